/**
 * A private InfluxDB 1.x process for fault tests: its own temp dir and free loopback ports, so a
 * test can pause (SIGSTOP), resume (SIGCONT), kill -9 and restart it without touching the shared
 * InfluxDB that other tests use. Fails loudly when the influxd binary is missing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const INFLUXD = process.env['NETATLAS_TEST_INFLUXD'] ?? '/usr/bin/influxd';

export interface InfluxProcess {
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  /** pid of the running influxd */
  readonly pid: number;
  pause(): void;
  resume(): void;
  /** SIGKILL and wait for the exit */
  kill(): Promise<void>;
  /** start again on the same port and data (after kill) */
  restart(): Promise<void>;
  /** raw InfluxQL over HTTP; returns the parsed JSON body */
  query(db: string | undefined, q: string): Promise<InfluxQueryResponse>;
  /** kill and delete the temp dir */
  cleanup(): Promise<void>;
}

export interface InfluxQueryResponse {
  results: Array<{ series?: Array<{ name: string; columns: string[]; values: unknown[][] }>; error?: string }>;
}

/** a loopback port with nothing listening on it now (bound, then closed) */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

function config(dir: string, httpPort: number, rpcPort: number): string {
  return `reporting-disabled = true
bind-address = "127.0.0.1:${rpcPort}"
[meta]
  dir = "${dir}/meta"
  logging-enabled = false
[data]
  dir = "${dir}/data"
  wal-dir = "${dir}/wal"
  query-log-enabled = false
[monitor]
  store-enabled = false
[http]
  bind-address = "127.0.0.1:${httpPort}"
  log-enabled = false
  pprof-enabled = false
[continuous_queries]
  log-enabled = false
`;
}

const live = new Set<ChildProcess>();
process.once('exit', () => { for (const child of live) child.kill('SIGKILL'); });

export async function startInfluxProcess(): Promise<InfluxProcess> {
  if (!fs.existsSync(INFLUXD)) {
    throw new Error(`influxd not found at ${INFLUXD}: install the Debian package influxdb (tests/services/start does) or set NETATLAS_TEST_INFLUXD`);
  }
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'netatlas-influxd-'));
  const port = await freePort();
  const rpcPort = await freePort();
  const confFile = path.join(dir, 'influxdb.conf');
  await fsp.writeFile(confFile, config(dir, port, rpcPort));
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let stderrTail = '';

  const launch = async (): Promise<void> => {
    const c = spawn(INFLUXD, ['-config', confFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    child = c;
    live.add(c);
    c.stderr!.on('data', (b: Buffer) => { stderrTail = (stderrTail + b.toString()).slice(-4000); });
    c.once('exit', () => live.delete(c));
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (c.exitCode !== null || c.signalCode !== null) {
        throw new Error(`influxd exited during start-up (${c.exitCode ?? c.signalCode}): ${stderrTail}`);
      }
      try {
        const res = await fetch(`${url}/ping`, { signal: AbortSignal.timeout(1000) });
        if (res.status === 204) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`influxd did not answer /ping on ${url} within 30 s: ${stderrTail}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  const running = (): ChildProcess => {
    if (!child || child.exitCode !== null || child.signalCode !== null) throw new Error('influxd is not running');
    return child;
  };

  const kill = async (): Promise<void> => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
    c.kill('SIGKILL');
    await exited;
  };

  await launch();
  return {
    url, port, dir,
    get pid() { return running().pid!; },
    pause: () => { running().kill('SIGSTOP'); },
    resume: () => { running().kill('SIGCONT'); },
    kill,
    restart: async () => { await kill(); await launch(); },
    query: async (db, q) => {
      const params = new URLSearchParams({ q, epoch: 'ms' });
      if (db) params.set('db', db);
      const res = await fetch(`${url}/query`, { method: 'POST', body: params, signal: AbortSignal.timeout(30_000) });
      const body = (await res.json()) as InfluxQueryResponse;
      if (!res.ok) throw new Error(`InfluxQL failed (HTTP ${res.status}): ${JSON.stringify(body)}`);
      return body;
    },
    cleanup: async () => {
      await kill();
      await fsp.rm(dir, { recursive: true, force: true });
    },
  };
}
