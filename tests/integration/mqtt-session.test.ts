/**
 * Acceptance: persistent sessions, PUBACK only after the points are durable, the AP's Last Will,
 * and the collector's own disconnection recorded as unknown time (never down).
 */
import { afterEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import { MqttCollector } from '../../collectors/mqtt/collector.js';
import type { Sink } from '../../collectors/types.js';
import { SqliteStore } from '../../server/store/sqlite-store.js';
import { startEmbeddedBroker } from '../../server/broker/embedded-broker.js';
import { requireMosquitto } from '../helpers/services.js';
import { MosquittoProcess } from '../helpers/mosquitto-process.js';
import { rawUptimes } from '../../server/status/index.js';
import {
  collectorContext, connectClient, inventoryOf, metricValue, publishAll, testConfig, waitFor, wifiAp,
} from '../helpers/mqtt-fixtures.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function sqlite(dir: string): Promise<SqliteStore> {
  const store = new SqliteStore({ path: path.join(dir, 'metrics.sqlite') });
  await store.init();
  cleanups.push(() => store.close());
  return store;
}

const WIDE = { from: 0, to: 4_102_444_800_000 };
const aps = Array.from({ length: 10 }, (_, i) => wifiAp(`ap-${i}`));

function telemetry(prefix: string, n: number, t0: number): Array<{ topic: string; payload: string }> {
  return Array.from({ length: n }, (_, i) => ({
    topic: `${prefix}/ap-${i % aps.length}/telemetry`,
    payload: JSON.stringify({ ts: t0 + i, clients: i % 50, channel_util: 0.5 }),
  }));
}

async function brokerFor(kind: 'mosquitto' | 'embedded'): Promise<{ url: string; protocolVersion: 4 | 5 }> {
  if (kind === 'mosquitto') return { url: await requireMosquitto(), protocolVersion: 5 };
  // the broker outlives the collector here: it is the one holding the session
  const broker = await startEmbeddedBroker({ port: 0 });
  cleanups.push(() => broker.close());
  return { url: broker.url, protocolVersion: broker.protocolVersion };
}

describe.each(['mosquitto', 'embedded'] as const)('persistent session on %s', (kind) => {
  it('stores all 1000 QoS 1 messages published while the collector was stopped, once it starts again', async () => {
    const { url, protocolVersion } = await brokerFor(kind);
    const ctx = collectorContext(inventoryOf(aps));
    const store = await sqlite(ctx.dataDir);
    const config = testConfig({ url, protocolVersion });

    const first = new MqttCollector({ config, ctx });
    await first.start(store);
    await first.stop();

    const publisher = await connectClient(url, { protocolVersion });
    cleanups.push(() => publisher.endAsync());
    const t0 = Date.now() - 3_600_000;
    await publishAll(publisher, telemetry(config.topicPrefix, 1000, t0));

    const second = new MqttCollector({ config, ctx });
    await second.start(store);
    cleanups.push(() => second.stop());
    await waitFor('1000 wifi_ap rows', async () => (await store.querySeries({ measurement: 'wifi_ap', ...WIDE })).length >= 1000, 30_000, 100);
    const rows = await store.querySeries({ measurement: 'wifi_ap', ...WIDE });
    expect(rows).toHaveLength(1000);
    expect(new Set(rows.map((r) => r.time)).size).toBe(1000);
  });

  it('does not acknowledge messages whose points the sink failed to store, so the next run receives them', async () => {
    const { url, protocolVersion } = await brokerFor(kind);
    const ctx = collectorContext(inventoryOf(aps));
    const store = await sqlite(ctx.dataDir);
    const config = testConfig({ url, protocolVersion });
    let attempts = 0;
    // fault injection: a store that is down and has no spool
    const failing: Sink = { write: async () => { attempts++; throw new Error('store down'); } };

    const first = new MqttCollector({ config, ctx });
    await first.start(failing);
    const publisher = await connectClient(url, { protocolVersion });
    cleanups.push(() => publisher.endAsync());
    const t0 = Date.now() - 3_600_000;
    await publishAll(publisher, telemetry(config.topicPrefix, 50, t0));
    await waitFor('the failing sink to be tried', () => attempts > 1);
    await first.stop();

    const second = new MqttCollector({ config, ctx });
    await second.start(store);
    cleanups.push(() => second.stop());
    await waitFor('50 wifi_ap rows', async () => (await store.querySeries({ measurement: 'wifi_ap', ...WIDE })).length >= 50);
    expect(await store.querySeries({ measurement: 'wifi_ap', ...WIDE })).toHaveLength(50);
  });

  it('records an AP down when the broker publishes its Last Will, and up again when it comes back', async () => {
    const { url, protocolVersion } = await brokerFor(kind);
    const ctx = collectorContext(inventoryOf(aps));
    const store = await sqlite(ctx.dataDir);
    const config = testConfig({ url, protocolVersion });
    const collector = new MqttCollector({ config, ctx });
    await collector.start(store);
    cleanups.push(() => collector.stop());

    const statusTopic = `${config.topicPrefix}/ap-3/status`;
    const will = { topic: statusTopic, payload: Buffer.from('offline'), qos: 1 as const, retain: true };
    const ap = await connectClient(url, { protocolVersion, will, clientId: `${config.clientId}-ap3`, keepalive: 5 });
    await ap.publishAsync(statusTopic, 'online', { qos: 1, retain: true });
    await waitFor('the online sample', async () => (await store.latestStatus(['ap-3']))[0]?.up === true);

    const diedAt = Date.now();
    ap.stream.destroy(); // dies without DISCONNECT: the broker publishes the will
    await waitFor('the will (down sample)', async () => (await store.latestStatus(['ap-3']))[0]?.up === false);
    const down = (await store.latestStatus(['ap-3']))[0]!;
    expect(down.time).toBeGreaterThanOrEqual(diedAt);
    expect(down.time).toBeLessThan(Date.now());
    expect(down.tags).toMatchObject({ source: 'mqtt', tech: 'wifi' });
    ap.end(true);

    const back = await connectClient(url, { protocolVersion, will, clientId: `${config.clientId}-ap3` });
    cleanups.push(() => back.endAsync());
    await back.publishAsync(statusTopic, 'online', { qos: 1, retain: true });
    await waitFor('the up sample after the return', async () => (await store.latestStatus(['ap-3']))[0]?.up === true);
    const samples = await store.statusSamples({ ...WIDE, devices: ['ap-3'] });
    expect(samples.map((s) => s.up)).toEqual([true, false, true]);
    // clear the retained status so the shared broker keeps nothing of this test
    await back.publishAsync(statusTopic, '', { qos: 1, retain: true });
  });
});

describe('the collector losing its broker', () => {
  it('records the disconnected span as collector_status 0 between heartbeats, writes no down sample in it, and the uptime of the APs counts it as unknown', async () => {
    const mosquitto = await MosquittoProcess.start();
    cleanups.push(() => mosquitto.close());
    const ctx = collectorContext(inventoryOf(aps));
    const store = await sqlite(ctx.dataDir);
    const config = testConfig({ url: mosquitto.url, reconnectMinMs: 100, reconnectMaxMs: 200 });
    const collector = new MqttCollector({ config, ctx });
    await collector.start(store);
    cleanups.push(() => collector.stop());

    const publisher = await connectClient(mosquitto.url, { protocolVersion: 5 });
    await publishAll(publisher, aps.map((a) => ({ topic: `${config.topicPrefix}/${a.id}/status`, payload: 'online', retain: true })));
    await waitFor('every AP up', async () => (await store.latestStatus()).filter((s) => s.up).length === aps.length);
    await publisher.endAsync();

    const outageS = 2;
    await mosquitto.stopProcess();
    await waitFor('the collector to notice', () => !collector.state().connected);
    expect(await metricValue(ctx.metrics, 'netatlas_mqtt_connected')).toBe(0);
    await new Promise((r) => setTimeout(r, outageS * 1000)); // the outage itself is the subject here
    await mosquitto.startProcess();
    await waitFor('the collector to reconnect', () => collector.state().connected, 20_000);

    await waitFor('a heartbeat after the connected=0', async () => {
      const fields = (await store.querySeries({ measurement: 'collector_status', ...WIDE })).map((r) => r.fields['connected']);
      return fields.indexOf(0) >= 0 && fields.indexOf(1, fields.indexOf(0)) > 0;
    });
    // heartbeats (connected=1, heartbeat_s=10 by default) every 10 s while connected: the run of
    // them before the loss, its connected=0, and the first beat after the reconnect
    const points = await store.querySeries({ measurement: 'collector_status', ...WIDE });
    const lost = points.findIndex((r) => r.fields['connected'] === 0);
    expect(points.slice(0, lost).every((r) => r.fields['connected'] === 1 && r.fields['heartbeat_s'] === 10)).toBe(true);
    expect(points.slice(lost + 1).map((r) => r.fields)).toContainEqual({ connected: 1, heartbeat_s: 10 });
    expect(points.slice(lost + 1).every((r) => r.fields['connected'] === 1)).toBe(true);
    const lostAt = points[lost]!.time;
    const backAt = points[lost + 1]!.time;
    expect(backAt - lostAt).toBeGreaterThanOrEqual(outageS * 1000);
    const inSpan = await store.statusSamples({ from: lostAt, to: backAt + 1, includePrevious: false });
    expect(inSpan.filter((s) => !s.up)).toEqual([]);
    // after the reconnect the retained statuses restate every AP, so the unknown span ends at once
    await waitFor('every AP restated after the reconnect', async () =>
      new Set((await store.statusSamples({ from: backAt, to: Date.now() + 1000, includePrevious: false })).map((s) => s.device)).size === aps.length);

    // What an operator reads: the uptime of every AP over the disconnected span is all unknown,
    // never down (server/status takes the collector_status gap as collector-down time). The APs
    // report every 60 s, so their last state would otherwise still hold across a 2 s gap.
    const uptimes = await rawUptimes(store, {
      devices: aps, from: lostAt, to: backAt, now: Date.now(), intervals: { fibreS: 60, wifiS: 60 },
    });
    expect(uptimes.size).toBe(aps.length);
    for (const ap of aps) {
      expect(uptimes.get(ap.id)).toMatchObject({ up_ms: 0, down_ms: 0, unknown_ms: backAt - lostAt, uptime: null });
    }
  });
});
