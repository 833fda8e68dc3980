/**
 * Issue 13, past timestamps, against the shared Mosquitto and a SQLite store: a telemetry `ts` older
 * than maxPastSkewS is rejected (`too_old`, counted, nothing stored), and telemetry never rewrites a
 * status already known for a later time, not even after a collector restart (the tracker's floors
 * are kept in the data dir, collectors/mqtt/floor-file.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import { MqttCollector } from '../../collectors/mqtt/collector.js';
import { SqliteStore } from '../../server/store/sqlite-store.js';
import { requireMosquitto } from '../helpers/services.js';
import { collectorContext, connectClient, inventoryOf, metricValue, testConfig, waitFor, wifiAp } from '../helpers/mqtt-fixtures.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const WIDE = { from: 0, to: 4_102_444_800_000 };

describe('past telemetry timestamps', () => {
  it('rejects a ts older than maxPastSkewS as too_old, and after a restart writes no up sample before the down the last run wrote', async () => {
    const url = await requireMosquitto();
    const ap = wifiAp('ap-1');
    const ctx = collectorContext(inventoryOf([ap]));
    const store = new SqliteStore({ path: path.join(ctx.dataDir, 'metrics.sqlite') });
    await store.init();
    cleanups.push(() => store.close());
    // maxPastSkewS 3600: an hour back at most
    const config = testConfig({ url, maxPastSkewS: 3600 });
    const topic = (kind: string) => `${config.topicPrefix}/ap-1/${kind}`;
    const publisher = await connectClient(url, { protocolVersion: 5 });
    cleanups.push(() => publisher.endAsync());

    const first = new MqttCollector({ config, ctx });
    await first.start(store);
    await publisher.publishAsync(topic('status'), 'offline', { qos: 1 });
    await waitFor('the offline sample', async () => (await store.statusSamples({ ...WIDE, devices: ['ap-1'], includePrevious: false })).length === 1, 10_000);
    const down = (await store.statusSamples({ ...WIDE, devices: ['ap-1'], includePrevious: false }))[0]!;
    expect(down.up).toBe(false);
    await first.stop();

    const second = new MqttCollector({ config, ctx });
    await second.start(store);
    cleanups.push(() => second.stop());
    const now = Date.now();
    // 3 601 s old: beyond the 3 600 s bound
    await publisher.publishAsync(topic('telemetry'), JSON.stringify({ ts: now - 3_601_000, clients: 1 }), { qos: 1 });
    // 1 s before the down the first run wrote (within the bound): the AP's clock lags, or it was queued
    await publisher.publishAsync(topic('telemetry'), JSON.stringify({ ts: down.time - 1000, clients: 2 }), { qos: 1 });
    // now: evidence of life after the down
    await publisher.publishAsync(topic('telemetry'), JSON.stringify({ ts: now, clients: 3 }), { qos: 1 });
    await waitFor('the latest telemetry row', async () => (await store.querySeries({ measurement: 'wifi_ap', ...WIDE })).some((r) => r.fields['clients'] === 3), 10_000);

    expect(await metricValue(ctx.metrics, 'netatlas_mqtt_rejected_total', { reason: 'too_old' })).toBe(1);
    // the too-old message stored nothing; the lagging one is data (wifi_ap) but not status
    expect((await store.querySeries({ measurement: 'wifi_ap', ...WIDE })).map((r) => r.fields['clients']).sort()).toEqual([2, 3]);
    const samples = await store.statusSamples({ ...WIDE, devices: ['ap-1'], includePrevious: false });
    expect(samples.map((s) => [s.time, s.up])).toEqual([[down.time, false], [now, true]]);
  }, 60_000);
});
