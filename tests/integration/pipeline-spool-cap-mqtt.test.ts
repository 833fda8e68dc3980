/**
 * Issue 14 item 4: the spool cap reached while the store is down loses no acknowledged point. The
 * real MQTT collector on the real Mosquitto writes through the real write pipeline into an
 * InfluxStore whose InfluxDB is a fake on loopback (fault injection: it answers 503 "down", then
 * 204). With a 16 KiB spool cap the pipeline stops resolving writes, so the collector stops sending
 * PUBACKs and stops reading its socket; Mosquitto keeps the messages. When the store returns,
 * every published message is in the store: counted by its timestamp.
 */
import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { MqttClient } from 'mqtt';
import { MqttCollector } from '../../collectors/mqtt/collector.js';
import { BatchingWriter } from '../../collectors/pipeline/index.js';
import { InfluxStore } from '../../server/store/influx-store.js';
import { requireMosquitto } from '../helpers/services.js';
import { collectorContext, connectClient, inventoryOf, publishAll, testConfig, waitFor, wifiAp } from '../helpers/mqtt-fixtures.js';
import { startFakeInflux } from '../helpers/fake-influx.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

describe('spool cap reached while the store is down (MQTT, real Mosquitto)', () => {
  it('holds PUBACKs, drops nothing, and stores every published message once the store returns', async () => {
    const url = await requireMosquitto();
    const fake = await startFakeInflux();
    cleanups.push(() => fake.close());
    fake.answer = () => ({ status: 503, error: 'influxdb restarting' });
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'netatlas-spool-cap-mqtt-'));
    cleanups.push(() => fs.rm(dataDir, { recursive: true, force: true }));
    const store = new InfluxStore({ url: fake.url, database: 'netatlas', timeoutMs: 2000 });
    await store.init();
    const cap = 16 * 1024;
    const pipeline = await BatchingWriter.open({ store, dataDir, batchSize: 50, flushIntervalMs: 50, maxQueuePoints: 100, maxSpoolBytes: cap, retryMinMs: 100, retryMaxMs: 200 });
    cleanups.push(() => pipeline.close());

    const aps = [wifiAp('ap-1'), wifiAp('ap-2'), wifiAp('ap-3')];
    const ctx = collectorContext(inventoryOf(aps));
    const config = testConfig({ url, maxBatchPoints: 20, maxInFlightWrites: 2 });
    const collector = new MqttCollector({ config, ctx });
    await collector.start(pipeline);
    cleanups.push(() => collector.stop());
    const publisher: MqttClient = await connectClient(url, { protocolVersion: 5 });
    cleanups.push(() => publisher.endAsync());

    // 3000 telemetry messages, each with its own timestamp (t0 + i ms)
    const N = 3000;
    const t0 = Date.now() - 120_000;
    const messages = Array.from({ length: N }, (_, i) => ({
      topic: `${config.topicPrefix}/ap-${(i % 3) + 1}/telemetry`,
      payload: JSON.stringify({ ts: t0 + i, clients: i % 50 }),
    }));
    await publishAll(publisher, messages); // the broker has them all (its PUBACKs to the publisher)
    await waitFor('the spool to fill', () => pipeline.stats().spoolFullSince !== null);
    await new Promise((r) => setTimeout(r, 1500));
    const full = pipeline.stats();
    const health = await pipeline.health();
    expect(full.dropped).toBe(0);
    expect(health.ok).toBe(false);
    expect(health.detail).toContain('spool full');
    // what was acknowledged (write() resolved) is what the spool holds: nothing went straight in
    expect(full.written).toBe(0);
    expect(full.spoolBytes).toBeGreaterThanOrEqual(cap);
    const heldWhileFull = { accepted: full.accepted, spooled: full.spooled, spoolBytes: full.spoolBytes, queued: full.queuedPoints };

    const back = Date.now();
    fake.answer = () => ({ status: 204 });
    const stamps = (): Set<number> => new Set(fake.stored.filter((l) => l.startsWith('wifi_ap,')).map((l) => Number(l.slice(l.lastIndexOf(' ') + 1))));
    await waitFor(`all ${N} telemetry messages stored`, () => stamps().size === N, 60_000, 100);
    const recoveredMs = Date.now() - back;
    const got = stamps();
    for (let i = 0; i < N; i++) expect(got.has(t0 + i)).toBe(true);
    expect(pipeline.stats().dropped).toBe(0);
    console.log(`spool cap ${cap} B, store down: ${heldWhileFull.spooled} points acknowledged (spooled, ${heldWhileFull.spoolBytes} B) and ${heldWhileFull.queued} queued while full, of ${N} messages; all ${N} stored ${recoveredMs} ms after the store returned`);
  });
});
