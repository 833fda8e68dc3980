/**
 * The interface walk's max-repetitions sized to the table (#18 item 3: the collector asks one
 * repetition more than the rows a device had at its last poll), against the real snmpd: with n
 * interfaces, n + 1 repetitions read every column and see its end in one GETBULK (each column gets
 * its n rows and then the first OID past it); n repetitions read the same rows but must ask once
 * more to see the ends; the readings are the same interfaces either way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SnmpAccess } from '../../core/device.js';
import { pollDevice, type PollReading } from '../../collectors/snmp/poller.js';
import { DeviceSession } from '../../collectors/snmp/session.js';
import { services } from '../helpers/services.js';
import { requireSnmpAgent } from '../helpers/snmp-fixtures.js';

const v2c: SnmpAccess = { host: services.snmpHost, port: services.snmpPort, version: '2c', community: services.snmpCommunity };

describe('the interface walk sized to the table, against snmpd', () => {
  let session: DeviceSession;
  const undecodable: Error[] = [];
  const poll = (interfaceRepetitions?: number): Promise<PollReading> => pollDevice(session, {
    maxRepetitions: 10, optical: false, signal: new AbortController().signal,
    ...(interfaceRepetitions !== undefined ? { interfaceRepetitions } : {}),
  });
  const names = (r: PollReading): string[] => r.interfaces.map((i) => `${i.ifIndex}:${i.name}`);

  beforeAll(async () => {
    await requireSnmpAgent(v2c);
    session = new DeviceSession(v2c, { timeoutMs: 2000, retries: 1 }, (err) => { undecodable.push(err); });
  });
  afterAll(() => session?.close());

  it('reads every interface in one request with rows + 1 repetitions, and needs a second with rows', async () => {
    const full = await poll();
    const n = full.interfaces.length;
    expect(n).toBeGreaterThan(0);
    // snmpd's few interfaces fit in 10 repetitions: one request at the configured maximum too
    expect(n).toBeLessThan(10);
    expect(full.requests).toBe(1);

    const sized = await poll(n + 1);
    expect(sized.requests).toBe(1);
    expect(names(sized)).toEqual(names(full));

    const short = await poll(n);
    expect(short.requests).toBe(2);
    expect(names(short)).toEqual(names(full));
    expect(undecodable).toEqual([]);
  });
});
