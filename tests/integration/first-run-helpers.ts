/**
 * Helpers of the first-run tests: start the real service (`node bin/netatlas.js start`) as a child
 * process with a chosen environment, wait for its health to say something, stop it with a signal.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = path.join(root, 'server/cli.ts');
// tsx resolved from this repository (the child's cwd is a temp dir). The CLI runs in the child
// itself, not behind bin/netatlas.js, so a SIGKILL in cleanup reaches the service and leaves no orphan.
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** argv for `node --import tsx server/cli.ts <args>` */
export function cliArgv(args: readonly string[]): string[] {
  return ['--import', tsx, cli, ...args];
}

export interface RunningChild {
  child: ChildProcess;
  url: string;
  output: () => string;
  exit: Promise<number | null>;
}

/** The environment without NETATLAS_ or VITEST variables (the child must see only ours). */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('NETATLAS_') && !k.startsWith('VITEST')) env[k] = v;
  return { ...env, ...extra };
}

export async function freeTcpPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Spawns `node --import tsx server/cli.ts <args>` and resolves once it prints `netatlas is running: open URL` (bounded). */
export function startNetatlas(args: string[], env: NodeJS.ProcessEnv, cwd: string, within_ms = 60_000): Promise<RunningChild> {
  const child = spawn(process.execPath, cliArgv(args), { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "netatlas is running" line within ${within_ms} ms:\n${out.slice(-4000)}`)), within_ms);
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      const m = /netatlas is running: open (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        child.stdout!.on('data', (c: Buffer) => { out += c.toString(); });
        resolve({ child, url: m[1]!, output: () => out, exit });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => { out += chunk.toString(); });
    void exit.then((code) => { clearTimeout(timer); reject(new Error(`exited with ${code} before running:\n${out.slice(-4000)}`)); });
  });
}

/** Polls `fn` every 500 ms until it returns a value (not undefined) or `timeoutMs` passes. */
export async function waitFor<T>(what: string, timeoutMs: number, fn: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (let i = 0; Date.now() < deadline && i < 10_000; i++) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
}

export async function getJson<T>(url: string): Promise<{ status: number; body: T }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
  return { status: res.status, body: (await res.json()) as T };
}

/** SIGTERM, then the exit code and how long it took (SIGKILL after `limitMs` so a test never hangs). */
export async function stopWith(c: RunningChild, signal: NodeJS.Signals, limitMs = 15_000): Promise<{ code: number | null; ms: number }> {
  const t0 = Date.now();
  c.child.kill(signal);
  const killer = setTimeout(() => c.child.kill('SIGKILL'), limitMs);
  const code = await c.exit;
  clearTimeout(killer);
  return { code, ms: Date.now() - t0 };
}
