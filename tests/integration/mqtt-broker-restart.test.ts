/**
 * Acceptance: Mosquitto stopped and started while the collector runs. The collector reconnects,
 * subscribes again and receives again (a peer's users saw "reconnected, but no data"), and QoS 1
 * messages queued for its session during the restart are stored. A private Mosquitto is used: the
 * shared one on 1883 is never stopped.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { MqttCollector } from '../../collectors/mqtt/collector.js';
import { SqliteStore } from '../../server/store/sqlite-store.js';
import { MosquittoProcess } from '../helpers/mosquitto-process.js';
import { collectorContext, connectClient, inventoryOf, publishAll, testConfig, waitFor, wifiAp } from '../helpers/mqtt-fixtures.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const WIDE = { from: 0, to: 4_102_444_800_000 };
const aps = [wifiAp('ap-a'), wifiAp('ap-b')];

async function setUp(reconnectMinMs: number) {
  const mosquitto = await MosquittoProcess.start();
  cleanups.push(() => mosquitto.close());
  const ctx = collectorContext(inventoryOf(aps));
  const store = new SqliteStore({ path: path.join(ctx.dataDir, 'metrics.sqlite') });
  await store.init();
  cleanups.push(() => store.close());
  const config = testConfig({ url: mosquitto.url, reconnectMinMs, reconnectMaxMs: reconnectMinMs });
  const collector = new MqttCollector({ config, ctx });
  await collector.start(store);
  cleanups.push(() => collector.stop());
  // an hour back: within maxPastSkewS (8 days), older telemetry is rejected as too_old
  const t0 = Date.now() - 3_600_000;
  const rows = async (): Promise<number> => (await store.querySeries({ measurement: 'wifi_ap', ...WIDE })).length;
  const batch = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({
    topic: `${config.topicPrefix}/${aps[i % 2]!.id}/telemetry`,
    payload: JSON.stringify({ ts: t0 + from + i, clients: i }),
  }));
  return { mosquitto, collector, rows, batch };
}

describe('the mqtt collector across a Mosquitto restart', () => {
  it('reconnects and stores the QoS 1 messages queued for its session while it was away', async () => {
    // a slow reconnect, so the publisher gets in first and the messages queue for the session
    const { mosquitto, collector, rows, batch } = await setUp(3000);
    let publisher = await connectClient(mosquitto.url, { protocolVersion: 5 });
    await publishAll(publisher, batch(0, 100));
    await waitFor('100 rows before the restart', async () => (await rows()) === 100);
    await publisher.endAsync();

    await mosquitto.stopProcess();
    await waitFor('the collector to notice', () => !collector.state().connected);
    await mosquitto.startProcess();
    publisher = await connectClient(mosquitto.url, { protocolVersion: 5 });
    cleanups.push(() => publisher.endAsync());
    await publishAll(publisher, batch(100, 200));
    expect(collector.state().connected).toBe(false); // they really were queued, not delivered live

    await waitFor('the collector to reconnect', () => collector.state().connected, 20_000);
    await waitFor('all 300 rows', async () => (await rows()) === 300, 20_000);
    await publishAll(publisher, batch(300, 50));
    await waitFor('350 rows: live messages flow after the restart', async () => (await rows()) === 350);
    expect(collector.state().reconnects).toBeGreaterThanOrEqual(1);
  });

  it('subscribes again when the restarted broker lost its session, and receives again', async () => {
    const { mosquitto, collector, rows, batch } = await setUp(200);
    let publisher = await connectClient(mosquitto.url, { protocolVersion: 5 });
    await publishAll(publisher, batch(0, 20));
    await waitFor('20 rows before the restart', async () => (await rows()) === 20);
    await publisher.endAsync();

    await mosquitto.stopProcess();
    rmSync(path.join(mosquitto.dir, 'mosquitto.db'), { force: true }); // the broker forgets every session
    await mosquitto.startProcess();
    await waitFor('the collector to reconnect', () => collector.state().connected, 20_000);
    await collector.whenSubscribed();

    publisher = await connectClient(mosquitto.url, { protocolVersion: 5 });
    cleanups.push(() => publisher.endAsync());
    await publishAll(publisher, batch(20, 30));
    await waitFor('50 rows: data flows after the reconnect', async () => (await rows()) === 50);
  });
});
