/**
 * `netatlas broker-credentials` (server/broker/credentials*.ts): per-AP Mosquitto password entries
 * from the inventory. That Mosquitto accepts the entries (and the ACL built on them) is checked
 * against the real broker in tests/integration/mqtt-broker-production.test.ts; here: the format,
 * the derivation and every refusal.
 */
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { pbkdf2Sync } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../../server/cli.js';
import { apCredentials, apPassword, mosquittoPasswdLine, PBKDF2_ITERATIONS } from '../../server/broker/credentials.js';

async function run(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  let code = -1;
  const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), env: {}, setExitCode: (c) => { code = c; } };
  await runCli(['node', 'netatlas', ...args], io);
  return { code, out, err };
}

const ap = (id: string, extra = '') => `  - id: ${id}\n    tech: wifi\n    site: s\n    location: { lat: 50.8, lon: 4.3 }\n    radiusM: 50\n${extra}`;
const fibre = '  - id: olt-1\n    tech: fibre\n    site: s\n    location: { lat: 50.8, lon: 4.3 }\n    snmp: { host: 127.0.0.1, port: 1161, version: 2c, community: public }\n';

function files(devices: string, secret = 'a-secret-of-sixteen-plus'): { dir: string; devices: string; secret: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'netatlas-creds-'));
  writeFileSync(path.join(dir, 'devices.yaml'), `devices:\n${devices}`);
  writeFileSync(path.join(dir, 'secret'), `${secret}\n`);
  return { dir, devices: path.join(dir, 'devices.yaml'), secret: path.join(dir, 'secret') };
}

describe('mosquittoPasswdLine', () => {
  it('writes Mosquitto 2\'s $7$ entry: PBKDF2-SHA512 of the password with the salt, base64', () => {
    const salt = Buffer.alloc(12, 7);
    const line = mosquittoPasswdLine('ap-1', 'pw', salt);
    const hash = pbkdf2Sync('pw', salt, PBKDF2_ITERATIONS, 64, 'sha512').toString('base64');
    expect(line).toBe(`ap-1:$7$${PBKDF2_ITERATIONS}$${salt.toString('base64')}$${hash}`);
  });
});

describe('apCredentials', () => {
  it('gives each wifi AP (not fibre) its MQTT id as user and a password derived from the secret, stable across runs', () => {
    const r = apCredentials([{ id: 'ap-1', tech: 'wifi' }, { id: 'ap-2', tech: 'wifi', mqttId: 'AP2' }, { id: 'olt-1', tech: 'fibre' }], 'a-secret-of-sixteen-plus');
    expect(r).toEqual({ ok: true, credentials: [
      { device: 'ap-1', user: 'ap-1', password: apPassword('a-secret-of-sixteen-plus', 'ap-1') },
      { device: 'ap-2', user: 'AP2', password: apPassword('a-secret-of-sixteen-plus', 'AP2') },
    ] });
    expect(apPassword('a-secret-of-sixteen-plus', 'ap-1')).toHaveLength(24);
    expect(apPassword('a-secret-of-sixteen-plus', 'ap-1')).not.toBe(apPassword('another-secret-of-16+', 'ap-1'));
  });

  it('refuses a short secret, ids that cannot be usernames under the ACL pattern, and an inventory without APs', () => {
    expect(apCredentials([{ id: 'ap-1', tech: 'wifi' }], 'short')).toEqual({ ok: false, errors: ['the secret must be at least 16 characters (it has 5)'] });
    const bad = apCredentials([{ id: 'ap:1', tech: 'wifi' }], 'a-secret-of-sixteen-plus');
    expect(bad.ok ? [] : bad.errors).toEqual(['device ap:1: MQTT id "ap:1" contains + # / or : (not allowed in an MQTT id used as a username)']);
    expect(apCredentials([{ id: 'olt-1', tech: 'fibre' }], 'a-secret-of-sixteen-plus')).toEqual({ ok: false, errors: ['the inventory has no wifi access points'] });
  });
});

describe('netatlas broker-credentials', () => {
  it('writes the password file and the provisioning CSV, both 0600', async () => {
    const f = files(ap('ap-1') + ap('ap-2') + fibre);
    const out = path.join(f.dir, 'passwd');
    const csv = path.join(f.dir, 'aps.csv');
    const r = await run(['broker-credentials', '--devices', f.devices, '--secret-file', f.secret, '--out', out, '--passwords', csv]);
    expect(r.code).toBe(0);
    expect(r.err).toEqual([`2 access points: password file ${out}, passwords for provisioning in ${csv}`]);
    expect(readFileSync(out, 'utf8').split('\n').filter(Boolean).map((l) => l.split(':')[0])).toEqual(['ap-1', 'ap-2']);
    expect(readFileSync(csv, 'utf8')).toBe(`device,user,password\nap-1,ap-1,${apPassword('a-secret-of-sixteen-plus', 'ap-1')}\nap-2,ap-2,${apPassword('a-secret-of-sixteen-plus', 'ap-2')}\n`);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(statSync(csv).mode & 0o777).toBe(0o600);
  });

  it('prints the entries on stdout without --out, and fails naming the file and the device otherwise', async () => {
    const ok = files(ap('ap-1'));
    const printed = await run(['broker-credentials', '--devices', ok.devices, '--secret-file', ok.secret]);
    expect(printed.code).toBe(0);
    expect(printed.out).toHaveLength(1);
    expect(printed.out[0]).toMatch(/^ap-1:\$7\$1000\$/);

    const noSecret = await run(['broker-credentials', '--devices', ok.devices, '--secret-file', path.join(ok.dir, 'missing')]);
    expect(noSecret).toMatchObject({ code: 1, err: [`${path.join(ok.dir, 'missing')}: cannot read the secret: ENOENT`] });
    const short = files(ap('ap-1'), 'tiny');
    expect(await run(['broker-credentials', '--devices', short.devices, '--secret-file', short.secret]))
      .toMatchObject({ code: 1, err: [`${short.devices}: the secret must be at least 16 characters (it has 4)`] });
  });
});
