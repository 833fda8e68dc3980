/**
 * The log format (#15 item 8): JSON lines when stdout is a pipe, pino-pretty lines on a terminal.
 * The terminal is a real pseudo-terminal made by util-linux `script`; the child is the real
 * createLogger in its own process.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { logFormat } from '../../core/log.js';

const run = promisify(execFile);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CHILD = path.join(ROOT, 'tests', 'helpers', 'log-child.ts');
const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => {
  const e: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete e['VITEST'];
  delete e['NETATLAS_LOG_LEVEL'];
  return e;
};
const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

describe('log format', () => {
  it('chooses pretty only on a terminal', () => {
    expect(logFormat(true)).toBe('pretty');
    expect(logFormat(false)).toBe('json');
    expect(logFormat(undefined)).toBe('json');
  });

  it('writes JSON lines to a pipe', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', CHILD], { cwd: ROOT, env: env(), timeout: 30_000 });
    const line = JSON.parse(stdout.trim()) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 30, name: 'netatlas', device: 'olt-1', msg: 'hello from the log test' });
  });

  it('writes readable lines to a terminal', async () => {
    const cmd = [process.execPath, '--import', 'tsx', CHILD].map(shellQuote).join(' ');
    const { stdout } = await run('script', ['-qec', cmd, '/dev/null'], { cwd: ROOT, env: env(), timeout: 30_000 });
    // strip the colour codes pino-pretty adds on a terminal
    const text = stdout.replace(/\x1b\[[0-9;]*m/g, '');
    expect(text).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO \(netatlas\): hello from the log test\r?$/m);
    expect(text).toMatch(/device: "olt-1"/);
    expect(() => JSON.parse(text.trim())).toThrow();
  });
});
