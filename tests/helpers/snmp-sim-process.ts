/**
 * Starts sim/snmp-agents-main.ts in a child process and waits for its ready line (no sleeping).
 * Tries a few base ports in case another test holds some of the range.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../sim/snmp-agents-main.ts', import.meta.url));
const TSX = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));

export interface SimProcess {
  basePort: number;
  count: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

function startOnce(count: number, basePort: number, interfaces: number, silent: number, readyTimeoutMs: number): Promise<SimProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [MAIN, '--count', String(count), '--base-port', String(basePort), '--interfaces', String(interfaces), '--silent', String(silent)], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`SNMP simulator did not get ready in ${readyTimeoutMs} ms`)); }, readyTimeoutMs);
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`SNMP simulator exited with ${code} before it was ready`)); });
    lines.once('line', (line) => {
      clearTimeout(timer);
      const msg = JSON.parse(line) as { ready: boolean; error?: string };
      if (!msg.ready) { reject(new Error(`SNMP simulator: ${msg.error}`)); return; }
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      resolve({
        basePort, count, child,
        async stop() {
          child.stdin?.end();
          child.kill('SIGTERM');
          await Promise.race([exited, new Promise((r) => setTimeout(r, 5000).unref())]);
          if (child.exitCode === null) child.kill('SIGKILL');
        },
      });
    });
  });
}

const DEMO_PORTS = { from: 16_000, to: 17_000 };

/** A random base port (a multiple of 1000 in 10000..29000) whose range misses DEMO_PORTS. */
function pickBase(count: number): number {
  const bases = Array.from({ length: 20 }, (_, i) => 10_000 + i * 1000)
    .filter((b) => b + count <= DEMO_PORTS.from || b >= DEMO_PORTS.to);
  return bases[Math.floor(Math.random() * bases.length)]!;
}

export async function startSimProcess(o: { count: number; interfaces?: number; silent?: number; readyTimeoutMs?: number }): Promise<SimProcess> {
  let lastErr: unknown;
  for (let attempt = 0; attempt < 4; attempt++) {
    // below the ephemeral range (32768+) so client sockets never hold our ports, and clear of the
    // demo simulator's default ports (snmpBasePort 16100, up to 40 blocks tried), which the
    // first-run tests use at the same time in another worker
    const base = pickBase(o.count);
    try {
      return await startOnce(o.count, base, o.interfaces ?? 8, o.silent ?? 0, o.readyTimeoutMs ?? 120_000);
    } catch (err) {
      lastErr = err;
    }
  }
  throw lastErr;
}
