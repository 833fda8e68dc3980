/**
 * A private Mosquitto for tests that must stop and start the broker (the shared one on 1883 is never
 * stopped) or need a configuration of their own. Listens on a free loopback port, keeps its
 * persistence file in a temp dir so that sessions and queued QoS 1 messages survive a restart.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const MOSQUITTO_BIN = process.env['NETATLAS_TEST_MOSQUITTO_BIN'] ?? '/usr/sbin/mosquitto';

export interface MosquittoProcessOptions {
  /** extra mosquitto.conf lines */
  extraConfig?: string[];
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function tcpOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
  });
}

export class MosquittoProcess {
  readonly dir: string;
  readonly url: string;
  private child: ChildProcess | undefined;
  private stderr = '';

  private constructor(readonly port: number, options: MosquittoProcessOptions) {
    this.dir = mkdtempSync(path.join(os.tmpdir(), 'netatlas-test-mosquitto-'));
    this.url = `mqtt://127.0.0.1:${port}`;
    writeFileSync(
      path.join(this.dir, 'mosquitto.conf'),
      [
        `listener ${port} 127.0.0.1`,
        'allow_anonymous true',
        'persistence true',
        `persistence_location ${this.dir}/`,
        // as root, mosquitto would drop to the `mosquitto` user, who cannot write our temp dir
        'user root',
        'log_dest stderr',
        'log_type error',
        'log_type warning',
        ...(options.extraConfig ?? []),
        '',
      ].join('\n'),
    );
  }

  static async start(options: MosquittoProcessOptions = {}): Promise<MosquittoProcess> {
    const m = new MosquittoProcess(await freePort(), options);
    await m.startProcess();
    return m;
  }

  /** the running broker's pid (benches read its CPU time) */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** (Re)starts the broker and waits until it accepts connections. */
  async startProcess(): Promise<void> {
    if (this.child) throw new Error('mosquitto already running');
    const child = spawn(MOSQUITTO_BIN, ['-c', path.join(this.dir, 'mosquitto.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = child;
    child.stderr?.on('data', (d: Buffer) => { this.stderr = (this.stderr + d.toString()).slice(-4000); });
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code) => reject(new Error(`mosquitto exited (${code}): ${this.stderr}`))),
    );
    exited.catch(() => {});
    for (let i = 0; i < 200; i++) {
      if (await Promise.race([tcpOpen(this.port), exited])) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`mosquitto did not listen on ${this.port} within 5 s: ${this.stderr}`);
  }

  /** SIGTERM: mosquitto writes its persistence file (sessions, queued messages) and exits. */
  async stopProcess(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    if (child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => { clearTimeout(timer); resolve(); });
      child.kill('SIGTERM');
    });
  }

  async close(): Promise<void> {
    await this.stopProcess();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
