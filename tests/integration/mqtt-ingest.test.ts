/**
 * Acceptance: telemetry published by a real MQTT client lands in both stores with the right tags
 * and fields, through the real Mosquitto and through the embedded broker.
 */
import { afterEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import type { MqttClient } from 'mqtt';
import { MqttCollector } from '../../collectors/mqtt/collector.js';
import { startEmbeddedBroker } from '../../server/broker/embedded-broker.js';
import type { MetricStore } from '../../server/store/metric-store.js';
import { InfluxStore } from '../../server/store/influx-store.js';
import { SqliteStore } from '../../server/store/sqlite-store.js';
import { requireInflux, requireMosquitto, services } from '../helpers/services.js';
import {
  collectorContext, connectClient, dropInfluxDatabase, inventoryOf, metricValue, publishAll, testConfig, uniqueName, waitFor, wifiAp,
} from '../helpers/mqtt-fixtures.js';

type StoreKind = 'sqlite' | 'influx';
type BrokerKind = 'mosquitto' | 'embedded';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function openStore(kind: StoreKind, dataDir: string): Promise<MetricStore> {
  if (kind === 'sqlite') {
    const store = new SqliteStore({ path: path.join(dataDir, 'metrics.sqlite') });
    await store.init();
    cleanups.push(() => store.close());
    return store;
  }
  const url = await requireInflux();
  const database = uniqueName('mqtt_ingest');
  const store = new InfluxStore({ url, database });
  await store.init();
  cleanups.push(async () => { await store.close(); await dropInfluxDatabase(url, database); });
  return store;
}

const cases: Array<[BrokerKind, StoreKind]> = [
  ['mosquitto', 'sqlite'], ['mosquitto', 'influx'], ['embedded', 'sqlite'], ['embedded', 'influx'],
];

describe.each(cases)('the mqtt collector on %s writing to %s', (brokerKind, storeKind) => {
  it('stores telemetry and status from a real MQTT client with the inventory tags and the payload fields', async () => {
    const aps = [wifiAp('ap-1', { site: 'flagey', area: 'ixelles' }), wifiAp('ap-2', { mqttId: 'fw-0002', site: 'louise', area: 'bruxelles' })];
    const ctx = collectorContext(inventoryOf(aps));
    const store = await openStore(storeKind, ctx.dataDir);
    // the embedded broker is the service's (the collection side starts it and passes its URL)
    const embedded = brokerKind === 'embedded' ? await startEmbeddedBroker({ port: 0 }) : undefined;
    if (embedded) cleanups.push(() => embedded.close());
    const url = embedded ? embedded.url : await requireMosquitto();
    const config = testConfig(embedded ? { url, protocolVersion: 4 } : { url });
    const collector = new MqttCollector({ config, ctx });
    await collector.start(store);
    cleanups.push(() => collector.stop());
    expect(collector.state().connected).toBe(true);
    expect(collector.state().url).toBe(url);

    const brokerUrl = collector.state().url!;
    const publisher: MqttClient = await connectClient(brokerUrl, { protocolVersion: brokerKind === 'embedded' ? 4 : 5 });
    cleanups.push(() => publisher.endAsync());

    const t0 = Date.now() - 60_000;
    const p = config.topicPrefix;
    await publishAll(publisher, [
      { topic: `${p}/ap-1/status`, payload: 'online', retain: true },
      { topic: `${p}/ap-1/telemetry`, payload: JSON.stringify({ ts: t0, clients: 12, rssi_dbm: -61.5, channel_util: 0.42, tx_bytes: 123456789, rx_bytes: 987654, uptime_s: 3600 }) },
      { topic: `${p}/fw-0002/telemetry`, payload: JSON.stringify({ ts: new Date(t0 + 1000).toISOString(), clients: 3, extra_key: 'ignored' }) },
      { topic: `${p}/not-in-inventory/telemetry`, payload: JSON.stringify({ clients: 1 }) },
    ]);

    const range = { from: t0 - 1, to: Date.now() + 60_000 };
    await waitFor('2 wifi_ap rows', async () => (await store.querySeries({ measurement: 'wifi_ap', ...range })).length === 2);
    const rows = await store.querySeries({ measurement: 'wifi_ap', ...range });
    const ap1 = rows.find((r) => r.tags['device'] === 'ap-1');
    const ap2 = rows.find((r) => r.tags['device'] === 'ap-2');
    expect(ap1?.time).toBe(t0);
    expect(ap1?.tags).toMatchObject({ device: 'ap-1', site: 'flagey', area: 'ixelles' });
    expect(ap1?.fields).toMatchObject({ clients: 12, rssi_dbm: -61.5, channel_util: 0.42, tx_bytes: 123456789, rx_bytes: 987654, uptime_s: 3600 });
    expect(ap2?.time).toBe(t0 + 1000);
    expect(ap2?.tags).toMatchObject({ device: 'ap-2', site: 'louise', area: 'bruxelles' });
    expect(ap2?.fields).toMatchObject({ clients: 3 });
    expect(ap2?.fields).not.toHaveProperty('extra_key');

    await waitFor('status samples of both APs', async () =>
      new Set((await store.statusSamples({ ...range, includePrevious: false })).map((s) => s.device)).size === 2);
    const samples = await store.statusSamples({ ...range, includePrevious: false });
    expect(samples.every((s) => s.up)).toBe(true);
    expect(samples.find((s) => s.device === 'ap-2')?.tags).toMatchObject({ tech: 'wifi', source: 'mqtt', site: 'louise', area: 'bruxelles' });

    const connected = await store.querySeries({ measurement: 'collector_status', from: t0, to: Date.now() + 1000 });
    expect(connected.map((r) => r.fields['connected'])).toContain(1);
    expect(connected[0]?.tags).toMatchObject({ collector: 'mqtt', instance: config.clientId });
    expect(await metricValue(ctx.metrics, 'netatlas_mqtt_rejected_total', { reason: 'unknown_device' })).toBe(1);
    expect(await metricValue(ctx.metrics, 'netatlas_mqtt_connected')).toBe(1);
    // clear the retained status so the shared broker keeps nothing of this test
    await publisher.publishAsync(`${p}/ap-1/status`, '', { qos: 1, retain: true });
  });
});
