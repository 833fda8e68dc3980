/** Starts map-server-process.ts as a child and resolves with its URL; kill() ends it. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');

export interface ChildServer {
  url: string;
  /** ms the live state took to restore from the seeded store; null without `live` */
  liveRestoreMs: number | null;
  kill(): Promise<void>;
}

/** `live`: the API reads a live state, as the service does, instead of the store on every request */
export async function startChildMapServer(devices: number, timeoutMs = 60_000, opts: { live?: boolean } = {}): Promise<ChildServer> {
  const args = ['--import', 'tsx', path.join(HERE, 'map-server-process.ts'), String(devices), ...(opts.live ? ['--live'] : [])];
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NETATLAS_LOG_LEVEL: 'silent' },
  });
  let stderr = '';
  child.stderr!.on('data', (b: Buffer) => { stderr += b.toString(); });
  const started = await new Promise<{ url: string; liveRestoreMs: number | null }>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`map server with ${devices} devices did not start in ${timeoutMs} ms: ${stderr}`)), timeoutMs);
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) { clearTimeout(timer); resolve(JSON.parse(line) as { url: string; liveRestoreMs: number | null }); }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`map server exited with ${code}: ${stderr}`)); });
  });
  return {
    ...started,
    kill: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      // SIGKILL: a graceful close would wait for a coverage computation that may still be running.
      child.kill('SIGKILL');
    }),
  };
}
