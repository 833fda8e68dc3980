/**
 * `npm run lint:deps` (dependency-cruiser with .dependency-cruiser.cjs) fails on a forbidden
 * import. The forbidden imports are made in small trees in a temp folder, laid out like the
 * project (the folders the npm script names: core/, io/, server/, collectors/, sim/, web/src/),
 * with the project's own config, and cruised with the arguments of the npm script (its config
 * file, output type and folders), so the rules tested are the ones CI runs; the last test runs
 * the script itself on the project.
 * Every violation is an error: there is no baseline of tolerated ones any more.
 *
 * The small trees are cruised in this process with dependency-cruiser's API (its config and
 * tsconfig readers, then `cruise` with the script's output type): a depcruise process per tree
 * spent most of its seconds starting Node and TypeScript, which kept `npm run test:unit` near
 * its minute.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { cruise } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SCRIPT = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts['lint:deps']!;
const dirs: string[] = [];

afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A temp tree with the project's rules and the given files (path → source). */
function tree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netatlas-lint-deps-'));
  dirs.push(dir);
  fs.copyFileSync(path.join(ROOT, '.dependency-cruiser.cjs'), path.join(dir, '.dependency-cruiser.cjs'));
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true } }));
  for (const d of scriptArgs().folders) fs.mkdirSync(path.join(dir, d), { recursive: true });
  add(dir, files);
  return dir;
}

function add(dir: string, files: Record<string, string>): void {
  for (const [file, source] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), source);
  }
}

/** The script's arguments; strict, so an option added to the script and not handled here fails. */
function scriptArgs(): { config: string; outputType: string; folders: string[] } {
  const [command, ...args] = SCRIPT.split(/\s+/);
  expect(command).toBe('depcruise');
  const { values, positionals } = parseArgs({ args, options: { config: { type: 'string' }, 'output-type': { type: 'string' } }, allowPositionals: true, strict: true });
  return { config: values.config!, outputType: values['output-type']!, folders: positionals };
}

/** Cruises `cwd` as the lint:deps script does: exit status and the reporter's text. */
async function lint(cwd: string): Promise<{ status: number; out: string }> {
  const { config, outputType, folders } = scriptArgs();
  const before = process.cwd();
  // the config, the tsconfig and the folders are read relative to the working directory, as by the script
  process.chdir(cwd);
  try {
    const options = await extractDepcruiseOptions(`./${config}`);
    const tsConfig = options.tsConfig?.fileName;
    const r = await cruise(folders, { ...options, outputType: outputType as 'err' }, undefined, tsConfig ? { tsConfig: extractTSConfig(tsConfig) } : {});
    return { status: r.exitCode, out: String(r.output) };
  } finally {
    process.chdir(before);
  }
}

/** Runs the lint:deps npm script's exact command line in `cwd`. */
function runScript(cwd: string): { status: number | null; out: string } {
  const r = spawnSync('sh', ['-c', SCRIPT], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${path.join(ROOT, 'node_modules/.bin')}${path.delimiter}${process.env['PATH'] ?? ''}` },
    timeout: 120_000,
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** `from` imports `to` (a value import unless `typeOnly`). */
const importing = (from: string, to: string, typeOnly = false): string => {
  let rel = path.posix.relative(path.posix.dirname(from), to).replace(/\.ts$/, '.js');
  if (!rel.startsWith('.')) rel = `./${rel}`;
  return typeOnly ? `import type { T } from '${rel}';\nexport type U = T;\n` : `import { x } from '${rel}';\nexport const y = x;\n`;
};
const LEAF = 'export const x = 1;\nexport type T = number;\n';

// the first cruise loads TypeScript, and the project's own run takes seconds, more on a busy machine
describe('npm run lint:deps', { timeout: 180_000 }, () => {
  it('passes a tree that keeps the layers', async () => {
    const dir = tree({
      'server/store/point.ts': LEAF,
      'server/analytics/uptime.ts': LEAF,
      'server/api/routes.ts': importing('server/api/routes.ts', 'server/store/point.ts'),
      'collectors/snmp/poller.ts': importing('collectors/snmp/poller.ts', 'collectors/types.ts'),
      'collectors/types.ts': LEAF,
      // every part may import core/
      'core/point.ts': LEAF,
      'collectors/pipeline/spool.ts': importing('collectors/pipeline/spool.ts', 'core/point.ts', true),
      'sim/wifi-ap.ts': importing('sim/wifi-ap.ts', 'core/point.ts'),
      // and io/, which may import core/
      'io/files.ts': importing('io/files.ts', 'core/point.ts', true),
      'collectors/mqtt/floor.ts': importing('collectors/mqtt/floor.ts', 'io/files.ts'),
      'server/maintenance/windows.ts': importing('server/maintenance/windows.ts', 'io/files.ts'),
    });
    const r = await lint(dir);
    expect(r.out).toContain('no dependency violations found');
    expect(r.status).toBe(0);
  });

  it('fails on each forbidden import of issue 12, type-only imports included, naming rule, importer and imported', async () => {
    // [importer, imported, rule]: the sixteen forbidden directions
    const cases: [string, string, string][] = [
      ['server/analytics/a1.ts', 'server/store/point.ts', 'analytics-not-store-api'],
      ['server/analytics/a2.ts', 'server/api/routes.ts', 'analytics-not-store-api'],
      ['collectors/c1.ts', 'server/log.ts', 'collectors-not-server-sim'],
      ['collectors/snmp/c2.ts', 'sim/rng.ts', 'collectors-not-server-sim'],
      ['server/store/s1.ts', 'server/api/routes.ts', 'store-not-api-analytics'],
      ['server/store/s2.ts', 'server/analytics/uptime.ts', 'store-not-api-analytics'],
      ['web/src/w1.ts', 'server/errors.ts', 'web-not-server-collectors'],
      ['web/src/w2.ts', 'collectors/types.ts', 'web-not-server-collectors'],
      ['sim/m1.ts', 'collectors/registry.ts', 'sim-not-collectors-store'],
      ['sim/m2.ts', 'server/store/point.ts', 'sim-not-collectors-store'],
      ['core/k1.ts', 'server/log.ts', 'core-imports-nothing'],
      ['core/k2.ts', 'collectors/types.ts', 'core-imports-nothing'],
      ['core/k3.ts', 'sim/rng.ts', 'core-imports-nothing'],
      ['core/k4.ts', 'io/files.ts', 'core-imports-nothing'],
      ['io/i1.ts', 'server/log.ts', 'io-imports-only-core'],
      ['io/i2.ts', 'collectors/types.ts', 'io-imports-only-core'],
    ];
    const files: Record<string, string> = {};
    for (const [from, to] of cases) files[to] = LEAF;
    cases.forEach(([from, to], i) => { files[from] = importing(from, to, i % 2 === 1); });
    const r = await lint(tree(files));
    for (const [from, to, rule] of cases) expect(r.out).toContain(`error ${rule}: ${from} → ${to}`);
    // one error per forbidden import (the tree's imports also close folder cycles, counted apart)
    expect(r.out.match(/error (?!no-folder-cycles)[a-z-]+: /g)).toHaveLength(cases.length);
    expect(r.status).not.toBe(0);
  });

  it('fails on an import that closes a cycle between two folders', async () => {
    const r = await lint(tree({
      'server/alerts/engine.ts': importing('server/alerts/engine.ts', 'server/maintenance/windows.ts'),
      'server/maintenance/windows.ts': importing('server/maintenance/windows.ts', 'server/alerts/types.ts'),
      'server/alerts/types.ts': LEAF,
    }));
    expect(r.out).toMatch(/error no-folder-cycles: server\/alerts → \s*server\/maintenance →\s*server\/alerts/);
    expect(r.status).not.toBe(0);
  });

  it('fails on a cycle through a parent folder: sim/ importing server/ while server/ loads sim/, dynamically', async () => {
    // a dynamic import counts: the service loads sim/ only with the simulator on, but it still depends on it
    const files = {
      'sim/network.ts': importing('sim/network.ts', 'server/inventory/areas.ts', true),
      'server/inventory/areas.ts': importing('server/inventory/areas.ts', 'server/log.ts', true),
      'server/log.ts': LEAF,
    };
    const without = await lint(tree(files));
    expect(without.out).toContain('no dependency violations found');
    const r = await lint(tree({ ...files, 'server/compose/demo.ts': "export const load = (): Promise<unknown> => import('../../sim/network.js');\n" }));
    // the folder `server` is everything under it: server → sim → server/inventory → server
    expect(r.out).toMatch(/error no-folder-cycles: sim → \s*server\/inventory →\s*server →/);
    expect(r.status).not.toBe(0);
  });

  it('passes on the project itself (the npm script, run as CI runs it): no forbidden import, no folder cycle, nothing tolerated', () => {
    const r = runScript(ROOT);
    expect(r.out).toContain('no dependency violations found');
    expect(r.status, r.out).toBe(0);
  });
});
