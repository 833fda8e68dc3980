/**
 * Credential failures against the real snmpd. An agent that answers but will not let us read it
 * (wrong v3 auth key: a REPORT of usmStatsWrongDigests; unknown v3 user: usmStatsUnknownUserNames)
 * is *unreadable*: a device_status point `unreadable=1, reason` with no `up` field, which the
 * store and server/status read as unknown, never down. An agent that does not answer (a silent
 * port; snmpd given a wrong v2c community or a wrong v3 privacy key, which it drops without a
 * reply) is down. (Until issue 11 a wrong key was written `up=0`: our misconfiguration was
 * charged to the device's uptime.)
 */
import dgram from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SnmpCollector } from '../../collectors/snmp/collector.js';
import type { Device, SnmpAccess } from '../../core/device.js';
import { createMetricsRegistry, type Registry } from '../../core/self-metrics.js';
import { DEFAULT_INTERVALS, rawUptimes } from '../../server/status/index.js';
import { SqliteStore } from '../../server/store/sqlite-store.js';
import type { SimAgent } from '../../sim/snmp-agent.js';
import { startAgent } from '../helpers/snmp-sim.js';
import { services } from '../helpers/services.js';
import { RecordingSink, captureLogger, requireSnmpAgent, snmpConfig, snmpDevice, staticInventory } from '../helpers/snmp-fixtures.js';
import { intervalSOf } from '../../server/status/intervals.js';

const host = services.snmpHost;
const port = services.snmpPort;
const agent = `${host}:${port}`;
const v3 = (over: Partial<Extract<SnmpAccess, { version: '3' }>>): SnmpAccess => ({
  host, port, version: '3', user: services.snmpV3User, level: 'authPriv', authProtocol: 'sha',
  authKey: services.snmpV3AuthKey, privProtocol: 'aes', privKey: services.snmpV3PrivKey, ...over,
});

describe('SNMP credential failures against snmpd: unreadable, or down when nothing answers', () => {
  const sink = new RecordingSink();
  const cap = captureLogger();
  let silent: SimAgent;
  let collector: SnmpCollector;
  let devices: Device[];
  let metrics: Registry;

  beforeAll(async () => {
    await requireSnmpAgent({ host, port, version: '2c', community: services.snmpCommunity });
    silent = await startAgent({ mode: 'silent' });
    // a loopback port nothing listens on (bound for a moment to find one, then released)
    const free = dgram.createSocket('udp4');
    const noAgentPort = await new Promise<number>((resolve) => free.bind(0, '127.0.0.1', () => resolve(free.address().port)));
    await new Promise<void>((resolve) => free.close(() => resolve()));
    devices = [
      snmpDevice('good-v3', v3({})),
      snmpDevice('wrong-community', { host, port, version: '2c', community: 'not-the-community' }),
      snmpDevice('wrong-password', v3({ authKey: 'not-the-auth-password' })),
      snmpDevice('wrong-priv', v3({ privKey: 'not-the-priv-password' })),
      snmpDevice('unknown-user', v3({ user: 'nobody-here' })),
      snmpDevice('no-answer', { host: '127.0.0.1', port: silent.port, version: '2c', community: 'public' }),
      snmpDevice('no-agent', { host: '127.0.0.1', port: noAgentPort, version: '2c', community: 'public' }),
    ];
    metrics = createMetricsRegistry({ defaultMetrics: false });
    collector = new SnmpCollector(snmpConfig({ timeoutMs: 500, retries: 1, optical: false }), {
      intervalSOf, inventory: staticInventory(devices), metrics, log: cap.log,
    });
    await collector.poll(sink, new AbortController().signal);
  });
  afterAll(async () => {
    await collector?.close();
    await silent?.close();
  });

  const status = (id: string) => sink.of('device_status', id)[0]?.fields;
  const logsAbout = (id: string) => cap.lines().filter((l) => l['device'] === id && typeof l['msg'] === 'string' && (l['msg'] as string).includes(id));

  it('writes a wrong v3 auth key as unreadable with the REPORT\'s reason and no up field, and says so in the log', () => {
    expect(status('wrong-password')).toEqual({ unreadable: 1, reason: 'auth: Wrong Digest (incorrect password, community or key)' });
    const line = logsAbout('wrong-password')[0];
    expect(line?.['msg']).toBe(`device wrong-password (${agent}) unreadable: auth: Wrong Digest (incorrect password, community or key); counted as unknown, not down: check its credentials and the agent's view`);
    expect(line?.['level']).toBe(40); // warn
    expect(line?.['agent']).toBe(agent);
  });

  it('writes an unknown v3 user as unreadable with a reason naming the unknown user', () => {
    expect(status('unknown-user')).toEqual({ unreadable: 1, reason: 'auth: Unknown User Name' });
  });

  it('keeps a wrong v2c community and a wrong v3 privacy key down: snmpd drops both without a reply (a timeout)', () => {
    expect(status('wrong-community')).toEqual({ up: 0, reason: 'timeout: no answer' });
    expect(logsAbout('wrong-community')[0]?.['msg']).toContain(`device wrong-community (${agent}) down: no answer after 2 tries of 500 ms`);
    expect(status('wrong-priv')).toEqual({ up: 0, reason: 'timeout: no answer' });
  });

  it('keeps a port where nothing answers, or where no agent listens, down', () => {
    expect(status('no-answer')).toEqual({ up: 0, reason: 'timeout: no answer' });
    expect(logsAbout('no-answer')[0]?.['kind']).toBe('timeout');
    expect(status('no-agent')).toEqual({ up: 0, reason: 'timeout: no answer' });
  });

  it('stores the unreadable samples as unknown time, not down, in a real store', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'netatlas-snmp-auth-'));
    const store = new SqliteStore({ dataDir });
    try {
      await store.init();
      await store.write(sink.of('device_status'));
      const t = sink.of('device_status', 'wrong-password')[0]!.time;
      const samples = await store.statusSamples({ from: t, to: t + 1, devices: ['wrong-password'] });
      expect(samples.map((s) => ({ up: s.up, unreadable: s.unreadable, reason: s.reason })))
        .toEqual([{ up: false, unreadable: true, reason: 'auth: Wrong Digest (incorrect password, community or key)' }]);
      // 10 s after the samples (well inside one 60 s interval): the wrong key is 10 000 ms of
      // unknown and 0 of down; the silent port is 10 000 ms of down
      const from = Math.max(...sink.of('device_status').map((p) => p.time)), to = from + 10_000;
      const u = await rawUptimes(store, { devices, from, to, now: to, intervals: DEFAULT_INTERVALS, collectorDown: new Map() });
      expect(u.get('wrong-password')).toMatchObject({ up_ms: 0, down_ms: 0, unknown_ms: 10_000, uptime: null });
      expect(u.get('unknown-user')).toMatchObject({ up_ms: 0, down_ms: 0, unknown_ms: 10_000 });
      expect(u.get('no-answer')).toMatchObject({ up_ms: 0, down_ms: 10_000, uptime: 0 });
    } finally {
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('keeps polling the good device next to the failing ones; logs an unreadable device again only when its reason changes', async () => {
    expect(status('good-v3')).toMatchObject({ up: 1 });
    const warnsBefore = logsAbout('wrong-password').filter((l) => l['level'] === 40).length;
    sink.clear();
    await collector.poll(sink, new AbortController().signal);
    expect(status('good-v3')).toMatchObject({ up: 1 });
    expect(status('wrong-password')).toEqual({ unreadable: 1, reason: 'auth: Wrong Digest (incorrect password, community or key)' });
    expect(sink.of('device_status')).toHaveLength(devices.length);
    // 7 devices: good-v3 up; wrong-community, wrong-priv, no-answer, no-agent down; wrong-password, unknown-user unreadable
    expect(collector.lastCycle).toMatchObject({ devices: 7, up: 1, down: 4, unreadable: 2, notRun: 0 });
    expect(warnsBefore).toBe(1);
    expect(logsAbout('wrong-password').filter((l) => l['level'] === 40)).toHaveLength(1);
    const text = await metrics.metrics();
    expect(text).toMatch(/^netatlas_snmp_unreadable_devices 2$/m);
    expect(text).toMatch(/^netatlas_snmp_cycle_devices\{result="unreadable"\} 2$/m);
  });
});
