/**
 * `npm run lint:deps` (dependency-cruiser with .dependency-cruiser.cjs) fails on a forbidden
 * import. The forbidden imports are made in small trees in a temp folder, laid out like the
 * project (core/, server/, collectors/, sim/, web/src/), with the project's own config and npm scripts,
 * so the rules tested are the ones CI runs; the last test runs the script on the project itself.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SCRIPTS = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
const dirs: string[] = [];

afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A temp tree with the project's rules and the given files (path → source). */
function tree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netatlas-lint-deps-'));
  dirs.push(dir);
  fs.copyFileSync(path.join(ROOT, '.dependency-cruiser.cjs'), path.join(dir, '.dependency-cruiser.cjs'));
  // an empty baseline: nothing known, every violation is new
  fs.writeFileSync(path.join(dir, '.dependency-cruiser-known-violations.json'), '[]');
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true } }));
  for (const d of ['core', 'server', 'collectors', 'sim', 'web/src']) fs.mkdirSync(path.join(dir, d), { recursive: true });
  add(dir, files);
  return dir;
}

function add(dir: string, files: Record<string, string>): void {
  for (const [file, source] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), source);
  }
}

/** Runs one of the project's npm scripts (its exact command line) in `cwd`. */
function run(script: 'lint:deps' | 'lint:deps:baseline', cwd: string): { status: number | null; out: string } {
  const r = spawnSync('sh', ['-c', SCRIPTS[script]!], {
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

// depcruise starts TypeScript for every run: a few seconds each, more on a busy machine
describe('npm run lint:deps', { timeout: 180_000 }, () => {
  it('passes a tree that keeps the layers', () => {
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
    });
    const r = run('lint:deps', dir);
    expect(r.out).toContain('no dependency violations found');
    expect(r.status).toBe(0);
  });

  it('fails on each forbidden import of issue 12, type-only imports included, naming rule, importer and imported', () => {
    // [importer, imported, rule]: the thirteen forbidden directions
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
    ];
    const files: Record<string, string> = {};
    for (const [from, to] of cases) files[to] = LEAF;
    cases.forEach(([from, to], i) => { files[from] = importing(from, to, i % 2 === 1); });
    const r = run('lint:deps', tree(files));
    for (const [from, to, rule] of cases) expect(r.out).toContain(`error ${rule}: ${from} → ${to}`);
    // one error per forbidden import (the tree's imports also close folder cycles, counted apart)
    expect(r.out.match(/error (?!no-folder-cycles)[a-z-]+: /g)).toHaveLength(cases.length);
    expect(r.status).not.toBe(0);
  });

  it('fails on an import that closes a cycle between two folders', () => {
    const r = run('lint:deps', tree({
      'server/alerts/engine.ts': importing('server/alerts/engine.ts', 'server/maintenance/windows.ts'),
      'server/maintenance/windows.ts': importing('server/maintenance/windows.ts', 'server/alerts/types.ts'),
      'server/alerts/types.ts': LEAF,
    }));
    expect(r.out).toMatch(/error no-folder-cycles: server\/alerts → \s*server\/maintenance →\s*server\/alerts/);
    expect(r.status).not.toBe(0);
  });

  it('with a baseline, warns on the violations it lists and fails on a new one', () => {
    const dir = tree({
      'collectors/types.ts': importing('collectors/types.ts', 'server/store/point.ts', true),
      'server/store/point.ts': LEAF,
      'server/api/alerts.ts': importing('server/api/alerts.ts', 'server/alerts/ops.ts'),
      'server/alerts/ops.ts': importing('server/alerts/ops.ts', 'server/api/params.ts'),
      'server/api/params.ts': LEAF,
    });
    const base = run('lint:deps:baseline', dir);
    expect(base.status, base.out).toBe(0);
    // a file split off in the same folder keeps the known import: still known
    add(dir, { 'collectors/types-split.ts': importing('collectors/types-split.ts', 'server/store/point.ts', true) });
    const known = run('lint:deps', dir);
    // 2 known imports (one folder, one target) and the known folder cycle api ↔ alerts (2 folder edges)
    expect(known.out).toContain('warn collectors-not-server-sim (known): collectors/types.ts → server/store/point.ts');
    expect(known.out).toContain('warn collectors-not-server-sim (known): collectors/types-split.ts → server/store/point.ts');
    expect(known.out).toContain('warn no-folder-cycles (known): server/alerts →');
    expect(known.out).toContain('warn no-folder-cycles (known): server/api →');
    expect(known.out).toContain('4 dependency violations (0 errors, 4 warnings)');
    expect(known.status).toBe(0);

    // the same forbidden import from another folder, another target from the known folder, and a
    // cycle between two folders outside the known tangle are errors; a new folder pulled into the
    // known cycle (api → plan → alerts → api) is warned as growing it
    add(dir, {
      'collectors/log.ts': importing('collectors/log.ts', 'server/log.ts'),
      'server/log.ts': LEAF,
      'collectors/mqtt/status.ts': importing('collectors/mqtt/status.ts', 'server/store/point.ts', true),
      'server/rollups/job.ts': importing('server/rollups/job.ts', 'server/events/feed.ts'),
      'server/events/feed.ts': importing('server/events/feed.ts', 'server/rollups/hours.ts'),
      'server/rollups/hours.ts': LEAF,
      'server/plan/service.ts': importing('server/plan/service.ts', 'server/alerts/ops.ts'),
      'server/api/plan.ts': importing('server/api/plan.ts', 'server/plan/service.ts'),
    });
    const r = run('lint:deps', dir);
    expect(r.out).toContain('error collectors-not-server-sim: collectors/mqtt/status.ts → server/store/point.ts');
    expect(r.out).toContain('error collectors-not-server-sim: collectors/log.ts → server/log.ts');
    expect(r.out).not.toContain('error collectors-not-server-sim: collectors/types.ts');
    expect(r.out).toMatch(/error no-folder-cycles: server\/rollups → \s*server\/events →\s*server\/rollups/);
    expect(r.out).toMatch(/warn no-folder-cycles \(grows the known tangle\): server\/plan → \s*server\/alerts →\s*server\/api →\s*server\/plan/);
    // 2 imports + the 2 edges of the new cycle; warned: 2 known imports, 2 known and 2 growing edges
    expect(r.out).toContain('(4 errors, 6 warnings)');
    expect(r.status).not.toBe(0);
  });

  it('passes on the project itself (the baseline is warned)', () => {
    const r = run('lint:deps', ROOT);
    expect(r.out).toMatch(/\(0 errors, \d+ warnings\)|no dependency violations found/);
    expect(r.status, r.out).toBe(0);
  });
});
