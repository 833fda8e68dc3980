/**
 * Issue 14 item 4, SNMP side: with the store down and the spool at its cap, a poll cycle's write
 * is held back; the cycle ends at its timeout instead of hanging, the device counts as not run
 * (netatlas_snmp_polls_not_run_total{reason="aborted"}), the runner skips and counts the tick that
 * came while the cycle still ran, and the points that had entered the queue are stored once the
 * store returns: nothing silently dropped. Real snmpd (v2c), real pipeline, a fake InfluxDB on
 * loopback for the outage (fault injection).
 */
import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SnmpCollector } from '../../collectors/snmp/collector.js';
import { CollectorRunner } from '../../collectors/runner.js';
import { BatchingWriter } from '../../collectors/pipeline/index.js';
import { InfluxStore } from '../../server/store/influx-store.js';
import type { SnmpAccess } from '../../core/device.js';
import { createMetricsRegistry } from '../../core/self-metrics.js';
import { services } from '../helpers/services.js';
import { requireSnmpAgent, snmpConfig, snmpDevice, staticInventory } from '../helpers/snmp-fixtures.js';
import { metricValue } from '../helpers/mqtt-fixtures.js';
import { startFakeInflux } from '../helpers/fake-influx.js';
import { intervalSOf } from '../../server/status/intervals.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

describe('SNMP cycle while the spool is full', () => {
  it('ends at its timeout, counts the device not run and the overrun tick, and its queued points reach the store later', async () => {
    const access: SnmpAccess = { host: services.snmpHost, port: services.snmpPort, version: '2c', community: services.snmpCommunity };
    await requireSnmpAgent(access);
    const fake = await startFakeInflux();
    cleanups.push(() => fake.close());
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'netatlas-snmp-full-'));
    cleanups.push(() => fs.rm(dataDir, { recursive: true, force: true }));
    const store = new InfluxStore({ url: fake.url, database: 'netatlas', timeoutMs: 2000 });
    await store.init();
    // cap 1 byte: the first spooled batch fills the spool
    const pipeline = await BatchingWriter.open({ store, dataDir, batchSize: 10_000, flushIntervalMs: 20, maxSpoolBytes: 1, retryMinMs: 100, retryMaxMs: 200 });
    cleanups.push(() => pipeline.close());
    const metrics = createMetricsRegistry({ defaultMetrics: false });
    const collector = new SnmpCollector(
      snmpConfig({ timeoutMs: 1000, retries: 0, optical: false, interfaces: { skipAdminDown: false } }),
      { intervalSOf, inventory: staticInventory([snmpDevice('snmpd-1', access)]), metrics },
    );
    cleanups.push(() => collector.close());
    // as the service does at shutdown: lift the cap before the collector writes its connected=0
    cleanups.push(async () => pipeline.releaseSpoolCap());
    const runner = new CollectorRunner({ sink: pipeline, metrics });
    runner.add(collector, { intervalS: 60, timeoutMs: 2500 });
    // a first cycle while the store is up: the heartbeat runs, its samples are stored
    fake.answer = () => ({ status: 204 });
    expect(await runner.tick('snmp')).toBe('ran');
    await pipeline.flush();
    const storedBefore = fake.stored.length;
    expect(storedBefore).toBeGreaterThan(1);

    fake.answer = () => ({ status: 503, error: 'down' });
    await pipeline.write([{ measurement: 'filler', tags: {}, fields: { n: 1 }, time: Date.now() - 1000 }]);
    expect(pipeline.stats().spoolRecords).toBe(1);
    const started = Date.now();
    const first = runner.tick('snmp');
    await new Promise((r) => setTimeout(r, 1000));
    expect(await runner.tick('snmp')).toBe('skipped'); // the first cycle still waits on its write
    expect(await first).toBe('ran');
    const cycleMs = Date.now() - started;
    expect(cycleMs).toBeLessThan(4000); // ended by its 2.5 s timeout, not by the store
    expect(runner.cycleStats()['snmp']).toMatchObject({ ran: 2, skipped: 1, timedOut: 1 });
    expect(await metricValue(metrics, 'netatlas_snmp_polls_not_run_total', { reason: 'aborted' })).toBe(1);
    expect(collector.lastCycle?.notRun).toBe(1);
    const held = pipeline.stats();
    expect([held.dropped, held.queuedPoints > 0]).toEqual([0, true]); // the cycle's points wait in the queue

    fake.answer = () => ({ status: 204 });
    await pipeline.flush();
    await pipeline.whenSpoolDrained();
    const later = fake.stored.slice(storedBefore);
    const status = later.filter((l) => l.startsWith('device_status,') && l.includes('device=snmpd-1'));
    const ifaces = later.filter((l) => l.startsWith('interface,') && l.includes('device=snmpd-1'));
    expect(status.length).toBe(1);
    expect(ifaces.length).toBeGreaterThan(0);
    expect(pipeline.stats().dropped).toBe(0);
    console.log(`snmp with a full spool: cycle ended after ${cycleMs} ms (timeout 2500), 1 tick skipped, ${1 + ifaces.length} points stored after the store returned`);
  });
});
