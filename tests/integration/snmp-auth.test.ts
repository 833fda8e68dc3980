/**
 * Authentication failures against the real snmpd: the device's status says whether the agent
 * answered with a REPORT (auth failure) or did not answer at all, and a log line names the device.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SnmpCollector } from '../../collectors/snmp/collector.js';
import type { Device, SnmpAccess } from '../../server/inventory/device.js';
import { createMetricsRegistry } from '../../server/self-metrics.js';
import type { SimAgent } from '../../sim/snmp-agent.js';
import { startAgent } from '../helpers/snmp-sim.js';
import { services } from '../helpers/services.js';
import { RecordingSink, captureLogger, requireSnmpAgent, snmpConfig, snmpDevice, staticInventory } from '../helpers/snmp-fixtures.js';

const host = services.snmpHost;
const port = services.snmpPort;
const agent = `${host}:${port}`;
const v3 = (over: Partial<Extract<SnmpAccess, { version: '3' }>>): SnmpAccess => ({
  host, port, version: '3', user: services.snmpV3User, level: 'authPriv', authProtocol: 'sha',
  authKey: services.snmpV3AuthKey, privProtocol: 'aes', privKey: services.snmpV3PrivKey, ...over,
});

describe('SNMP authentication failures', () => {
  const sink = new RecordingSink();
  const cap = captureLogger();
  let silent: SimAgent;
  let collector: SnmpCollector;
  let devices: Device[];

  beforeAll(async () => {
    await requireSnmpAgent({ host, port, version: '2c', community: services.snmpCommunity });
    silent = await startAgent({ mode: 'silent' });
    devices = [
      snmpDevice('good-v3', v3({})),
      snmpDevice('wrong-community', { host, port, version: '2c', community: 'not-the-community' }),
      snmpDevice('wrong-password', v3({ authKey: 'not-the-auth-password' })),
      snmpDevice('unknown-user', v3({ user: 'nobody-here' })),
      snmpDevice('no-answer', { host: '127.0.0.1', port: silent.port, version: '2c', community: 'public' }),
    ];
    collector = new SnmpCollector(snmpConfig({ timeoutMs: 500, retries: 1, optical: false }), {
      inventory: staticInventory(devices), metrics: createMetricsRegistry({ defaultMetrics: false }), log: cap.log,
    });
    await collector.poll(sink, new AbortController().signal);
  });
  afterAll(async () => {
    await collector?.close();
    await silent?.close();
  });

  const status = (id: string) => sink.of('device_status', id)[0]?.fields;
  const logsAbout = (id: string) => cap.lines().filter((l) => l['device'] === id && typeof l['msg'] === 'string' && (l['msg'] as string).includes(id));

  it('marks a wrong v3 password down with an authentication reason (the agent sent a report)', () => {
    expect(status('wrong-password')).toMatchObject({ up: 0 });
    expect(String(status('wrong-password')?.['reason'])).toMatch(/^auth: Wrong Digest/);
    const line = logsAbout('wrong-password')[0];
    expect(line?.['msg']).toContain(`device wrong-password (${agent}) down: authentication failed (the agent answered with a report)`);
    expect(line?.['agent']).toBe(agent);
  });

  it('marks an unknown v3 user down with an authentication reason naming the unknown user', () => {
    expect(status('unknown-user')).toMatchObject({ up: 0 });
    expect(String(status('unknown-user')?.['reason'])).toMatch(/^auth: Unknown User Name/);
    expect(logsAbout('unknown-user')[0]?.['kind']).toBe('auth');
  });

  it('reports a wrong v2c community as no answer, because snmpd drops such requests without a reply', () => {
    expect(status('wrong-community')).toEqual({ up: 0, reason: 'timeout: no answer' });
    expect(logsAbout('wrong-community')[0]?.['msg']).toContain(`device wrong-community (${agent}) down: no answer after 2 tries of 500 ms`);
  });

  it('tells a device that never answers apart from an authentication failure', () => {
    expect(status('no-answer')).toEqual({ up: 0, reason: 'timeout: no answer' });
    expect(logsAbout('no-answer')[0]?.['kind']).toBe('timeout');
  });

  it('keeps polling the good device next to the failing ones, cycle after cycle', async () => {
    expect(status('good-v3')).toMatchObject({ up: 1 });
    sink.clear();
    await collector.poll(sink, new AbortController().signal);
    expect(status('good-v3')).toMatchObject({ up: 1 });
    expect(sink.of('device_status')).toHaveLength(devices.length);
    expect(collector.lastCycle).toMatchObject({ devices: 5, up: 1, down: 4, notRun: 0 });
  });
});
