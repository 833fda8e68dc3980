/**
 * Statuses in a shared group (collectors/mqtt/topics.ts statusSubscription), on a private
 * Mosquitto: each member hears every AP's status itself (not split), and a persistent session
 * that an older version left subscribed to the statuses through the group is cleaned up on
 * connect, so no status arrives twice or goes to one member only.
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

describe('statuses with a shared group', () => {
  it('every member receives each status once, also when its session held the old shared status subscription', async () => {
    const mosquitto = await MosquittoProcess.start({ extraConfig: ['max_queued_messages 0'] });
    cleanups.push(() => mosquitto.close());
    const aps = Array.from({ length: 10 }, (_, i) => wifiAp(`ap-${i}`));
    const base = testConfig({ url: mosquitto.url, sharedGroup: 'g', sessionExpiryS: 3600 });
    const ctx = collectorContext(inventoryOf(aps));
    const store = new SqliteStore({ path: path.join(ctx.dataDir, 'metrics.sqlite') });
    await store.init();
    cleanups.push(() => store.close());

    // member 0's session as an older version left it: the statuses subscribed through the group
    const old = await connectClient(mosquitto.url, { protocolVersion: 5, clientId: `${base.clientId}-0`, clean: false, properties: { sessionExpiryInterval: 3600 } });
    await old.subscribeAsync(`$share/g/${base.topicPrefix}/+/status`, { qos: 1 });
    await old.endAsync();

    const registries = [createMetricsRegistry({ defaultMetrics: false }), createMetricsRegistry({ defaultMetrics: false })];
    for (const [i, metrics] of registries.entries()) {
      const c = new MqttCollector({ config: { ...base, clientId: `${base.clientId}-${i}` }, ctx: { ...ctx, metrics } });
      await c.start(store);
      cleanups.push(() => c.stop());
    }
    // the UNSUBSCRIBE of the retired filter follows the SUBACK: give it a moment on the broker
    await new Promise((r) => setTimeout(r, 500));

    const publisher = await connectClient(mosquitto.url, { protocolVersion: 5 });
    cleanups.push(() => publisher.endAsync());
    // 10 APs × (offline, online) = 20 status messages, not retained (so nothing is re-sent on a SUBSCRIBE)
    await publishAll(publisher, aps.flatMap((d) => ['offline', 'online'].map((payload) => ({ topic: `${base.topicPrefix}/${d.id}/status`, payload }))), 10);
    const received = async (): Promise<number[]> => Promise.all(registries.map((r) => metricValue(r, 'netatlas_mqtt_messages_total', { kind: 'status' })));
    await waitFor('each member has the 20 statuses', async () => (await received()).every((n) => n >= 20), 20_000, 100);
    await new Promise((r) => setTimeout(r, 500));
    // each member all 20, once: not split between them (10 + 10), not twice to member 0 (40)
    expect(await received()).toEqual([20, 20]);
  }, 60_000);
});
