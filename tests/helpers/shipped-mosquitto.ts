/**
 * Mosquitto started from the SHIPPED configuration (deploy/mosquitto/mosquitto.conf and acl), with
 * only what a test machine needs substituted: the two listeners move to free loopback ports, the
 * container paths (/mosquitto/...) to a temp dir, the password file is written the way
 * docker-compose.yml writes it (the `netatlas` entry, then the APs' entries from
 * `netatlas broker-credentials`), a self-signed certificate for the TLS listener is made with
 * openssl, and as root `user root` is added (Mosquitto would otherwise drop to the `mosquitto`
 * user, who cannot read the temp dir). `replace` lets a test change one setting (a control run
 * with Mosquitto's default queue limit).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort, MOSQUITTO_BIN } from './mosquitto-process.js';
import { mosquittoPasswdLine } from '../../server/broker/credentials.js';
import { runCli, type CliIo } from '../../server/cli.js';

async function tcpOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ host: '127.0.0.1', port });
    sock.once('connect', () => { sock.destroy(); resolve(true); });
    sock.once('error', () => resolve(false));
  });
}

const root = new URL('../../', import.meta.url);
export const SHIPPED_CONF = new URL('deploy/mosquitto/mosquitto.conf', root);
export const SHIPPED_ACL = new URL('deploy/mosquitto/acl', root);

export interface ShippedMosquittoOptions {
  /** the collector user's password (`netatlas` in the shipped ACL) */
  netatlasPassword: string;
  /** devices file and secret file for `netatlas broker-credentials` */
  devicesFile: string;
  secretFile: string;
  /** [setting line as shipped, replacement] pairs */
  replace?: Array<[string, string]>;
}

/** Runs the CLI in-process, throwing with its stderr when it fails. */
async function cli(args: string[]): Promise<string[]> {
  const out: string[] = [];
  const err: string[] = [];
  let code = 0;
  const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), env: {}, setExitCode: (c) => { code = c; } };
  await runCli(['node', 'netatlas', ...args], io);
  if (code !== 0) throw new Error(`netatlas ${args.join(' ')} failed (${code}): ${err.join('\n')}`);
  return out;
}

export class ShippedMosquitto {
  private child: ChildProcess | undefined;
  private output = '';

  private constructor(readonly dir: string, readonly port: number, readonly tlsPort: number, readonly caFile: string) {}

  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  get tlsUrl(): string {
    return `mqtts://127.0.0.1:${this.tlsPort}`;
  }

  /** what Mosquitto logged (stdout, as shipped, and stderr) */
  log(): string {
    return this.output;
  }

  static async start(o: ShippedMosquittoOptions): Promise<ShippedMosquitto> {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'netatlas-shipped-mosquitto-'));
    const [port, tlsPort] = [await freePort(), await freePort()];
    mkdirSync(path.join(dir, 'data'));
    mkdirSync(path.join(dir, 'certs'));
    // a self-signed certificate for 127.0.0.1: the test's CA is the certificate itself
    const crt = path.join(dir, 'certs', 'server.crt');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', path.join(dir, 'certs', 'server.key'), '-out', crt], { stdio: 'ignore' });
    // the password file as docker-compose.yml writes it: netatlas, then the APs' entries
    const apEntries = path.join(dir, 'ap-passwd');
    await cli(['broker-credentials', '--devices', o.devicesFile, '--secret-file', o.secretFile, '--out', apEntries]);
    writeFileSync(path.join(dir, 'data', 'passwd'), `${mosquittoPasswdLine('netatlas', o.netatlasPassword)}\n${readFileSync(apEntries, 'utf8')}`, { mode: 0o600 });
    writeFileSync(path.join(dir, 'acl'), readFileSync(SHIPPED_ACL, 'utf8'));

    let conf = readFileSync(SHIPPED_CONF, 'utf8');
    const subs: Array<[string, string]> = [
      ['listener 1883', `listener ${port} 127.0.0.1`],
      ['listener 8883', `listener ${tlsPort} 127.0.0.1`],
      ['/mosquitto/certs/', `${dir}/certs/`],
      ['/mosquitto/data/', `${dir}/data/`],
      ['/mosquitto/config/acl', `${dir}/acl`],
      ...(o.replace ?? []),
    ];
    for (const [from, to] of subs) {
      if (!conf.includes(from)) throw new Error(`the shipped mosquitto.conf no longer has "${from}": update this helper`);
      conf = conf.split(from).join(to);
    }
    if (process.getuid?.() === 0) conf += '\nuser root\n';
    writeFileSync(path.join(dir, 'mosquitto.conf'), conf);
    const m = new ShippedMosquitto(dir, port, tlsPort, crt);
    await m.startProcess();
    return m;
  }

  private async startProcess(): Promise<void> {
    const child = spawn(MOSQUITTO_BIN, ['-c', path.join(this.dir, 'mosquitto.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    const keep = (d: Buffer): void => { this.output = (this.output + d.toString()).slice(-200_000); };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    // both listeners open: the plain one is opened first, the TLS one last
    for (let i = 0; i < 200; i++) {
      if (await tcpOpen(this.port) && await tcpOpen(this.tlsPort)) return;
      if (child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`mosquitto from the shipped config did not start within 5 s: ${this.output}`);
  }

  async close(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child && child.exitCode === null) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => { clearTimeout(timer); resolve(); });
        child.kill('SIGTERM');
      });
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
