/**
 * The collector against the real snmpd on 127.0.0.1:1161, v2c and v3 authPriv (SHA/AES and
 * SHA-256/AES users): what it stores must equal what the Net-SNMP CLI reads at the same time.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SnmpCollector } from '../../collectors/snmp/collector.js';
import type { SnmpAccess } from '../../core/device.js';
import { createMetricsRegistry } from '../../core/self-metrics.js';
import { services } from '../helpers/services.js';
import { RecordingSink, cliArgs, requireSnmpAgent, snmpConfig, snmpDevice, staticInventory } from '../helpers/snmp-fixtures.js';
import { intervalSOf } from '../../server/status/intervals.js';

const run = promisify(execFile);
const IF_NAME = '1.3.6.1.2.1.31.1.1.1.1';
const IF_HC_IN = '1.3.6.1.2.1.31.1.1.1.6';
const IF_OPER = '1.3.6.1.2.1.2.2.1.8';

const v2c: SnmpAccess = { host: services.snmpHost, port: services.snmpPort, version: '2c', community: services.snmpCommunity };
const v3: SnmpAccess = {
  host: services.snmpHost, port: services.snmpPort, version: '3', user: services.snmpV3User, level: 'authPriv',
  authProtocol: 'sha', authKey: services.snmpV3AuthKey, privProtocol: 'aes', privKey: services.snmpV3PrivKey,
};
const v3Sha256: SnmpAccess = { ...v3, user: services.snmpV3Sha256User, authProtocol: 'sha256' };

async function walk(a: SnmpAccess, oid: string): Promise<Map<string, string>> {
  // -On numeric OIDs, -Oq "oid value", -Oe enums as numbers
  const { stdout: withOids } = await run('snmpbulkwalk', [...cliArgs(a), '-On', '-Oq', '-Oe', '-t', '2', `${a.host}:${a.port}`, oid]);
  const out = new Map<string, string>();
  for (const line of withOids.split('\n').filter(Boolean)) {
    const sp = line.indexOf(' ');
    const fullOid = line.slice(0, sp).replace(/^\./, '');
    out.set(fullOid.slice(oid.length + 1), line.slice(sp + 1).replace(/^"|"$/g, ''));
  }
  return out;
}

describe.each([['v2c', v2c], ['v3 authPriv (SHA/AES)', v3], ['v3 authPriv (SHA-256/AES)', v3Sha256]] as const)('SNMP collector against snmpd, %s', (_label, access) => {
  const sink = new RecordingSink();
  let collector: SnmpCollector;

  beforeAll(async () => {
    await requireSnmpAgent(access);
    collector = new SnmpCollector(
      snmpConfig({ timeoutMs: 2000, retries: 1, optical: false, interfaces: { skipAdminDown: false } }),
      { intervalSOf, inventory: staticInventory([snmpDevice('snmpd-1', access)]), metrics: createMetricsRegistry({ defaultMetrics: false }) },
    );
  });
  afterAll(async () => { await collector?.close(); });

  it('stores each interface ifHCInOctets between what snmpget read just before and just after, and the same ifOperStatus', async () => {
    const before = await walk(access, IF_HC_IN);
    await collector.poll(sink, new AbortController().signal);
    const after = await walk(access, IF_HC_IN);
    const oper = await walk(access, IF_OPER);
    const points = sink.of('interface', 'snmpd-1');
    expect(points.length).toBe(oper.size);
    expect(points.length).toBeGreaterThan(0);
    for (const p of points) {
      const idx = p.tags['ifIndex'] as string;
      const stored = p.fields['ifHCInOctets'] as number;
      expect(stored).toBeGreaterThanOrEqual(Number(before.get(idx)));
      expect(stored).toBeLessThanOrEqual(Number(after.get(idx)));
      expect(p.fields['ifOperStatus']).toBe(Number(oper.get(idx)));
    }
    const status = sink.of('device_status', 'snmpd-1');
    expect(status).toHaveLength(1);
    expect(status[0]?.fields['up']).toBe(1);
    expect(status[0]?.fields['rtt_ms']).toBeGreaterThan(0);
    expect(status[0]?.tags).toMatchObject({ source: 'snmp', tech: 'fibre', device: 'snmpd-1' });
  });

  it('tags interfaces with the ifName values snmpwalk reads, and the snmp point with sysName and uptime', async () => {
    const names = await walk(access, IF_NAME);
    const points = sink.of('interface', 'snmpd-1');
    expect(new Map(points.map((p) => [p.tags['ifIndex'], p.tags['ifName']]))).toEqual(names);
    const { stdout } = await run('snmpget', [...cliArgs(access), '-Oqv', `${access.host}:${access.port}`, '1.3.6.1.2.1.1.5.0']);
    const snmpPoint = sink.of('snmp', 'snmpd-1')[0];
    expect(snmpPoint?.tags['hostname']).toBe(stdout.trim().replace(/^"|"$/g, ''));
    expect(snmpPoint?.tags['agent_host']).toBe(access.host);
    expect(snmpPoint?.fields['uptime']).toBeGreaterThan(0);
  });
});
