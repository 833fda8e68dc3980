import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = path.join(root, 'bin/netatlas.js');
const dir = mkdtempSync(path.join(tmpdir(), 'netatlas-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The environment without NETATLAS_ variables, so the result depends on the file alone. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('NETATLAS_') && !k.startsWith('VITEST')) env[k] = v;
  return { ...env, ...extra };
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCli(args: string[], env: NodeJS.ProcessEnv = cleanEnv()): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: dir, env, timeout: 30_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

function lines(text: string): string[] {
  return text.split('\n').filter((l) => l.trim() !== '');
}

describe('netatlas check-config', () => {
  it('prints one line per mistake naming each field, and exits 1, for a file with three mistakes', async () => {
    const file = path.join(dir, 'three-mistakes.yaml');
    writeFileSync(file, 'http:\n  port: -1\nstore:\n  influx: { url: "influx:8086" }\npipeline:\n  batchsize: 100\n');
    const run = await runCli(['check-config', file]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(lines(run.stderr)).toEqual([
      `${file}: http.port: Too small: expected number to be >=0`,
      `${file}: store.influx.url: URL scheme must be one of http, https`,
      `${file}: pipeline.batchsize: unknown key`,
    ]);
  });

  it('prints FILE: OK and exits 0 for a good file', async () => {
    const file = path.join(dir, 'good.yaml');
    writeFileSync(file, 'http: { port: 9000 }\nstore:\n  influx: { url: http://127.0.0.1:8086 }\n');
    const run = await runCli(['check-config', file]);
    expect({ code: run.code, stdout: run.stdout, stderr: run.stderr }).toEqual({ code: 0, stdout: `${file}: OK\n`, stderr: '' });
  });

  it('accepts netatlas.example.yaml, the documented example', async () => {
    const file = path.join(root, 'netatlas.example.yaml');
    const run = await runCli(['check-config', file]);
    expect({ code: run.code, stdout: run.stdout, stderr: run.stderr }).toEqual({ code: 0, stdout: `${file}: OK\n`, stderr: '' });
  });

  it('also reports a NETATLAS_ variable that matches no key, as start would', async () => {
    const file = path.join(dir, 'good.yaml');
    const run = await runCli(['check-config', file], cleanEnv({ NETATLAS_HTTP_PROT: '9000' }));
    expect(run.code).toBe(1);
    expect(lines(run.stderr)).toEqual([
      `${file}: NETATLAS_HTTP_PROT: matches no configuration key (NETATLAS_<SECTION>_<KEY>, e.g. NETATLAS_PIPELINE_BATCH_SIZE)`,
    ]);
  });

  it('names a file that does not exist and exits 1', async () => {
    const file = path.join(dir, 'missing.yaml');
    const run = await runCli(['check-config', file]);
    expect(run.code).toBe(1);
    expect(lines(run.stderr)).toEqual([`${file}: cannot read the file (ENOENT)`]);
  });
});

describe('netatlas subcommands and help', () => {
  it('names the bad argument and exits 1 for a missing CSV file and a bad report period', async () => {
    const runs = await Promise.all([
      runCli(['import', 'devices', 'no-such-devices.csv']),
      runCli(['report', 'desi', '--period', '2026-Q9', '--format', 'csv']),
    ]);
    expect(runs.map((r) => r.code)).toEqual([1, 1]);
    expect(runs[0]!.stderr).toContain('no-such-devices.csv: cannot read');
    expect(runs[1]!.stderr).toContain('period: expected YYYY, YYYY-Qn (n = 1..4) or YYYY-MM, got "2026-Q9"');
  });

  it('prints help with exit 0 for simulate, import devices and report desi', async () => {
    const runs = await Promise.all([
      runCli(['simulate', '--help']),
      runCli(['import', 'devices', '--help']),
      runCli(['report', 'desi', '--help']),
    ]);
    expect(runs.map((r) => r.code)).toEqual([0, 0, 0]);
    expect(runs[0]!.stdout).toContain('Usage: netatlas simulate');
    expect(runs[1]!.stdout).toContain('Usage: netatlas import devices');
    expect(runs[2]!.stdout).toContain('Usage: netatlas report desi');
  });

  it('prints help for check-config with exit 0', async () => {
    const run = await runCli(['check-config', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: netatlas check-config [options] <file>');
  });
});
