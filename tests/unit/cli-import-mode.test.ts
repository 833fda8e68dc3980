/**
 * Issue 14 item 6: `netatlas import devices` writes an inventory holding SNMP secrets (a v2c
 * community, v3 auth/priv keys) with mode 0600, also when it replaces a file that was 0644;
 * one without secrets (APs only) keeps the usual mode (0666 less the umask).
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importDevicesCommand, type CliIo } from '../../server/cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'netatlas-import-mode-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function importCsv(name: string, csv: string, out: string): Promise<{ code: number | undefined; out: string[]; err: string[] }> {
  const file = path.join(dir, `${name}.csv`);
  writeFileSync(file, csv);
  const lines: string[] = [], errors: string[] = [];
  let code: number | undefined;
  const io: CliIo = { out: (l) => lines.push(l), err: (l) => errors.push(l), env: {}, setExitCode: (c) => { code = c; } };
  await importDevicesCommand(file, { out }, io);
  return { code, out: lines, err: errors };
}

const mode = (file: string): number => statSync(file).mode & 0o777;
const HEADER = 'id,tech,site,lat,lon,snmp_host,snmp_version,snmp_community,snmp_user,snmp_level,snmp_auth_protocol,snmp_auth_key,snmp_priv_protocol,snmp_priv_key,radius_m';

describe('import devices file mode', () => {
  it('0600 for a v2c community, replacing a 0644 file', async () => {
    const out = path.join(dir, 'v2c.yaml');
    writeFileSync(out, 'old');
    chmodSync(out, 0o644);
    const r = await importCsv('v2c', `${HEADER}\nolt-1,fibre,co-1,50.85,4.35,127.0.0.1,2c,s3cret-community,,,,,,,\n`, out);
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    expect(mode(out)).toBe(0o600);
    expect(readFileSync(out, 'utf8')).toContain('s3cret-community');
    expect(r.out).toEqual([`${path.join(dir, 'v2c.csv')}: 1 devices (1 fibre, 0 wifi) written to ${out} (mode 0600: it holds SNMP secrets)`]);
  });

  it('0600 for SNMPv3 keys', async () => {
    const out = path.join(dir, 'v3.yaml');
    const r = await importCsv('v3', `${HEADER}\nolt-2,fibre,co-1,50.85,4.35,127.0.0.1,3,,netatlas,authPriv,sha,auth-key-123,aes,priv-key-123,\n`, out);
    expect(r.err).toEqual([]);
    expect(mode(out)).toBe(0o600);
  });

  it('the usual mode for access points only (no SNMP secret)', async () => {
    const out = path.join(dir, 'aps.yaml');
    const r = await importCsv('aps', `${HEADER}\nap-1,wifi,s1,50.85,4.35,,,,,,,,,,50\n`, out);
    expect(r.err).toEqual([]);
    expect(r.out[0]).toMatch(/written to .*aps\.yaml$/);
    expect(mode(out)).toBe(0o666 & ~process.umask());
  });
});
