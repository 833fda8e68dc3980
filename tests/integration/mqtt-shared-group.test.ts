/**
 * Acceptance: two collectors in one shared group on Mosquitto split 10 000 messages and store each
 * exactly once in total. The Mosquitto here is a private one configured as README recommends for
 * collectors (no per-client queue cap), so that the broker's default queue limit of 1000 cannot drop
 * messages while the collectors catch up.
 */
import { afterEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import { MqttCollector } from '../../collectors/mqtt/collector.js';
import { SqliteStore } from '../../server/store/sqlite-store.js';
import { createMetricsRegistry } from '../../core/self-metrics.js';
import { MosquittoProcess } from '../helpers/mosquitto-process.js';
import { collectorContext, connectClient, inventoryOf, metricValue, publishAll, testConfig, waitFor, wifiAp } from '../helpers/mqtt-fixtures.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('two collectors in one shared group', () => {
  it('store 10 000 messages exactly once in total, both taking a share', async () => {
    const mosquitto = await MosquittoProcess.start({ extraConfig: ['max_queued_messages 0'] });
    cleanups.push(() => mosquitto.close());
    const aps = Array.from({ length: 20 }, (_, i) => wifiAp(`ap-${i}`));
    const inventory = inventoryOf(aps);
    const base = testConfig({ url: mosquitto.url, sharedGroup: 'netatlas-test' });
    const ctx = collectorContext(inventory);
    const store = new SqliteStore({ path: path.join(ctx.dataDir, 'metrics.sqlite') });
    await store.init();
    cleanups.push(() => store.close());

    const registries = [createMetricsRegistry({ defaultMetrics: false }), createMetricsRegistry({ defaultMetrics: false })];
    const collectors = registries.map((metrics, i) =>
      new MqttCollector({ config: { ...base, clientId: `${base.clientId}-${i}` }, ctx: { ...ctx, metrics } }));
    for (const c of collectors) {
      await c.start(store);
      cleanups.push(() => c.stop());
    }

    const n = 10_000;
    // an hour back: within maxPastSkewS (8 days), older telemetry is rejected as too_old
    const t0 = Date.now() - 3_600_000;
    const publisher = await connectClient(mosquitto.url, { protocolVersion: 5 });
    cleanups.push(() => publisher.endAsync());
    await publishAll(publisher, Array.from({ length: n }, (_, i) => ({
      topic: `${base.topicPrefix}/ap-${i % aps.length}/telemetry`,
      payload: JSON.stringify({ ts: t0 + i, clients: i % 100 }),
    })), 200);

    const received = async (): Promise<number[]> =>
      Promise.all(registries.map((r) => metricValue(r, 'netatlas_mqtt_messages_total', { kind: 'telemetry' })));
    await waitFor('10 000 messages received', async () => (await received()).reduce((a, b) => a + b, 0) >= n, 60_000, 100);
    await waitFor('10 000 rows stored', async () =>
      (await store.querySeries({ measurement: 'wifi_ap', from: 0, to: 4_102_444_800_000 })).length >= n, 30_000, 200);

    const shares = await received();
    expect(shares.reduce((a, b) => a + b, 0)).toBe(n); // no message delivered twice
    expect(shares.every((s) => s > 0)).toBe(true);
    const rows = await store.querySeries({ measurement: 'wifi_ap', from: 0, to: 4_102_444_800_000 });
    expect(rows).toHaveLength(n);
    expect(new Set(rows.map((r) => `${r.tags['device']}@${r.time}`)).size).toBe(n);
  });
});
