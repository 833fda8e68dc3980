/**
 * The shipped start-up does not load the simulator: from server/main.ts and server/cli.ts, every
 * path to a sim/ module goes through a dynamic import() (taken only with the simulator on, or by
 * `netatlas simulate`). Static imports (type-only ones aside: they are erased) never reach sim/.
 */
import path from 'node:path';
import { cruise, type IModule } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

describe('the simulator at start-up', { timeout: 120_000 }, () => {
  it('is reached from main.ts and cli.ts by dynamic imports only', async () => {
    const cwd = process.cwd();
    process.chdir(ROOT);
    let modules: IModule[];
    try {
      const result = await cruise(['server/main.ts', 'server/cli.ts'], {
        doNotFollow: { path: 'node_modules' },
        tsPreCompilationDeps: false,
        tsConfig: { fileName: 'tsconfig.json' },
      }, { extensions: ['.ts', '.js'] });
      modules = (result.output as { modules: IModule[] }).modules;
    } finally {
      process.chdir(cwd);
    }
    const bySource = new Map(modules.map((m) => [m.source, m]));
    // the modules a static import chain reaches from the entry points
    const reached = new Set<string>();
    const queue = ['server/main.ts', 'server/cli.ts'];
    while (queue.length > 0) {
      const source = queue.pop()!;
      if (reached.has(source)) continue;
      reached.add(source);
      for (const d of bySource.get(source)?.dependencies ?? []) {
        if (d.dynamic || d.coreModule || d.resolved.startsWith('node_modules')) continue;
        queue.push(d.resolved);
      }
    }
    // the traversal reaches the modules that load sim/ dynamically
    expect(reached).toContain('server/collection/collection-side.ts');
    expect(reached).toContain('server/inventory/inventory-files.ts');
    expect([...reached].filter((s) => s.startsWith('sim/'))).toEqual([]);
    // and sim/ is there, behind a dynamic import (so the check above is not vacuous)
    const dynamicToSim = modules.flatMap((m) => m.dependencies.filter((d) => d.dynamic && d.resolved.startsWith('sim/')).map((d) => `${m.source} → ${d.resolved}`));
    expect(dynamicToSim).toEqual(expect.arrayContaining(['server/inventory/inventory-files.ts → sim/demo-inventory.ts', 'server/collection/collection-side.ts → sim/network-in-worker.ts']));
  });
});
