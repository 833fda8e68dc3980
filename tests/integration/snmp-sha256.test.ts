/**
 * SHA-256 v3 authentication against the real snmpd's `netatlas256` user (SHA-256/AES): the right
 * key gets the device up, a wrong SHA-256 key is an authentication failure (the agent sends a
 * REPORT), not a timeout: the device is unreadable (unknown with its reason), not down. The values
 * polled with this user are compared with the CLI in snmp-snmpd.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SnmpCollector } from '../../collectors/snmp/collector.js';
import type { SnmpAccess } from '../../core/device.js';
import { createMetricsRegistry } from '../../core/self-metrics.js';
import { services } from '../helpers/services.js';
import { RecordingSink, captureLogger, requireSnmpAgent, snmpConfig, snmpDevice, staticInventory } from '../helpers/snmp-fixtures.js';
import { intervalSOf } from '../../server/status/intervals.js';

const host = services.snmpHost;
const port = services.snmpPort;
const agent = `${host}:${port}`;
const sha256 = (over: Partial<Extract<SnmpAccess, { version: '3' }>>): SnmpAccess => ({
  host, port, version: '3', user: services.snmpV3Sha256User, level: 'authPriv', authProtocol: 'sha256',
  authKey: services.snmpV3AuthKey, privProtocol: 'aes', privKey: services.snmpV3PrivKey, ...over,
});

describe('SNMP v3 with SHA-256 authentication against snmpd', () => {
  const sink = new RecordingSink();
  const cap = captureLogger();
  let collector: SnmpCollector;

  beforeAll(async () => {
    // fails naming snmpd (and the CLI's error, e.g. an unknown user) when the SHA-256 user is missing
    await requireSnmpAgent(sha256({}));
    collector = new SnmpCollector(snmpConfig({ timeoutMs: 1000, retries: 1, optical: false }), {
      intervalSOf, inventory: staticInventory([
        snmpDevice('sha256-good', sha256({})),
        snmpDevice('sha256-wrong-key', sha256({ authKey: 'not-the-sha256-auth-password' })),
        // the right keys under the wrong protocol (SHA, not SHA-256)
        snmpDevice('sha256-user-as-sha', sha256({ authProtocol: 'sha' })),
      ]),
      metrics: createMetricsRegistry({ defaultMetrics: false }),
      log: cap.log,
    });
    await collector.poll(sink, new AbortController().signal);
  });
  afterAll(async () => { await collector?.close(); });

  const status = (id: string) => sink.of('device_status', id)[0]?.fields;

  it('marks the device up with the right SHA-256 and AES keys and stores its interfaces', () => {
    expect(status('sha256-good')).toMatchObject({ up: 1 });
    expect(sink.of('interface', 'sha256-good').length).toBeGreaterThan(0);
  });

  it('marks a wrong SHA-256 key unreadable (no up field) with an authentication reason (the agent sent a report)', () => {
    expect(status('sha256-wrong-key')).toEqual({ unreadable: 1, reason: 'auth: Wrong Digest (incorrect password, community or key)' });
    const line = cap.lines().find((l) => l['device'] === 'sha256-wrong-key');
    expect(line?.['msg']).toContain(`device sha256-wrong-key (${agent}) unreadable: auth: Wrong Digest`);
  });

  it('marks the SHA-256 user polled with SHA unreadable with an authentication reason', () => {
    expect(status('sha256-user-as-sha')).toEqual({ unreadable: 1, reason: 'auth: Wrong Digest (incorrect password, community or key)' });
  });
});
