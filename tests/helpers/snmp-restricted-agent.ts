/**
 * A private snmpd (the same Net-SNMP agent tests/services/start runs) on a free loopback port,
 * whose communities each see only part of the MIB, as an operator's restricted view does:
 * `sysonly` sees the system group (no interfaces), `ifonly` sees the interfaces group (no
 * sysUpTime), `none` sees nothing we poll. Started and stopped by the test that needs it (the
 * shared snmpd's config is the services script's), with its config and state in a temp dir.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const RESTRICTED_COMMUNITIES = { sysonly: '.1.3.6.1.2.1.1', ifonly: '.1.3.6.1.2.1.2', none: '.1.3.6.1.4.1.99999' } as const;

export interface RestrictedSnmpd {
  port: number;
  close(): Promise<void>;
}

function snmpdPath(): string {
  for (const dir of ['/usr/sbin', '/usr/bin', '/usr/local/sbin', '/usr/local/bin', '/sbin']) {
    if (existsSync(path.join(dir, 'snmpd'))) return path.join(dir, 'snmpd');
  }
  throw new Error('snmpd not found (Net-SNMP agent): install the snmpd package, as tests/services/start requires');
}

function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = dgram.createSocket('udp4');
    s.once('error', reject);
    s.bind(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    execFile('snmpget', ['-v2c', '-c', 'sysonly', '-t', '0.5', '-r', '0', `127.0.0.1:${port}`, '1.3.6.1.2.1.1.3.0'], (err) => resolve(!err));
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); }, 5000);
    child.once('exit', () => { clearTimeout(timer); resolve(); });
    child.kill('SIGTERM');
  });
}

/** Starts the agent; tries another port when the first is taken meanwhile (3 tries at most). */
export async function startRestrictedSnmpd(): Promise<RestrictedSnmpd> {
  const bin = snmpdPath();
  let lastErr = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freeUdpPort();
    const dir = mkdtempSync(path.join(tmpdir(), 'netatlas-snmpd-view-'));
    mkdirSync(path.join(dir, 'persist'));
    const lines = [`agentAddress udp:127.0.0.1:${port}`, ...Object.entries(RESTRICTED_COMMUNITIES).map(([c, oid]) => `rocommunity ${c} 127.0.0.1 ${oid}`)];
    writeFileSync(path.join(dir, 'snmpd.conf'), `${lines.join('\n')}\n`);
    const child = spawn(bin, ['-f', '-C', '-c', path.join(dir, 'snmpd.conf'), '-Lf', path.join(dir, 'snmpd.log')], {
      env: { ...process.env, SNMP_PERSISTENT_DIR: path.join(dir, 'persist'), MIBS: '' }, stdio: 'ignore',
    });
    const close = async (): Promise<void> => { await stop(child); rmSync(dir, { recursive: true, force: true }); };
    // up to 10 s for the agent to answer (bounded: 20 probes of at most 0.5 s each)
    for (let i = 0; i < 20 && child.exitCode === null; i++) {
      if (await answers(port)) return { port, close };
      await new Promise((r) => setTimeout(r, 100));
    }
    lastErr = child.exitCode !== null ? `snmpd exited with ${child.exitCode} (udp ${port} taken?)` : `snmpd did not answer on udp 127.0.0.1:${port} within 10 s`;
    await close();
  }
  throw new Error(`could not start a private snmpd with restricted views: ${lastErr}`);
}
