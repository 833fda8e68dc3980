/**
 * Issue 13, against Mosquitto started from the SHIPPED deploy/mosquitto/mosquitto.conf and acl
 * (tests/helpers/shipped-mosquitto.ts: only ports, paths, passwords and a test certificate
 * substituted), the real MQTT collector and a SQLite store:
 *
 * - a backlog of 12 000 QoS 1 messages (12 x Mosquitto's default max_queued_messages of 1000)
 *   published while the collector is stopped is stored in full once it starts, and the broker's
 *   $SYS dropped counter, followed by the collector, stays 0 in /api/health;
 * - the control: the same file with Mosquitto's default queue limit put back drops 11 000 of them,
 *   /api/health says so (503, broker component degraded, dropped 11 000) and a broker_dropping alert fires;
 * - one identity per AP: AP `ap-a`, logged in with its own password over the TLS listener, is
 *   refused when it publishes to `ap-b`'s status or telemetry, and nothing is stored for `ap-b`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { MqttCollector } from '../../collectors/mqtt/collector.js';
import { mqttConfigSchema, type MqttConfig } from '../../collectors/mqtt/config.js';
import { SqliteStore } from '../../server/store/sqlite-store.js';
import { createApp } from '../../server/app.js';
import { brokerHealth } from '../../server/broker/broker-health.js';
import { apPassword } from '../../server/broker/credentials.js';
import { createOperations } from '../../server/compose/operations.js';
import { alertsSchema } from '../../server/alerts/config.js';
import { notifiersSchema } from '../../server/notifiers/config.js';
import { maintenanceSchema } from '../../server/maintenance/config.js';
import { reportsSchema } from '../../server/scheduled-reports/config.js';
import { ShippedMosquitto } from '../helpers/shipped-mosquitto.js';
import { collectorContext, connectClient, inventoryOf, publishAll, waitFor, wifiAp } from '../helpers/mqtt-fixtures.js';
import { testInventory } from './alerts-harness.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const SECRET = 'test-broker-secret-0123456789';
const NETATLAS_PASSWORD = 'collector-pw-4711';
const WIDE = { from: 0, to: 4_102_444_800_000 };

interface Setup {
  broker: ShippedMosquitto;
  store: SqliteStore;
  config: MqttConfig;
  ctx: ReturnType<typeof collectorContext>;
}

async function setup(apIds: string[], replace: Array<[string, string]> = []): Promise<Setup> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'netatlas-broker-prod-'));
  const devicesFile = path.join(dir, 'devices.yaml');
  writeFileSync(devicesFile, `devices:\n${apIds.map((id) => `  - id: ${id}\n    tech: wifi\n    site: site-${id}\n    location: { lat: 50.83, lon: 4.37 }\n    radiusM: 50\n`).join('')}`);
  const secretFile = path.join(dir, 'secret');
  writeFileSync(secretFile, `${SECRET}\n`);
  const broker = await ShippedMosquitto.start({ netatlasPassword: NETATLAS_PASSWORD, devicesFile, secretFile, replace });
  cleanups.push(() => broker.close());
  const ctx = collectorContext(inventoryOf(apIds.map((id) => wifiAp(id))));
  const store = new SqliteStore({ path: path.join(ctx.dataDir, 'metrics.sqlite') });
  await store.init();
  cleanups.push(() => store.close());
  // the shipped ACL's topics: the default prefix netatlas/wifi
  const config = mqttConfigSchema.parse({ url: broker.url, username: 'netatlas', password: NETATLAS_PASSWORD, clientId: `netatlas-prod-${process.pid}`, reconnectMinMs: 100, reconnectMaxMs: 1000 });
  return { broker, store, config, ctx };
}

/** 20 APs x 600 messages = 12 000 = 12 x Mosquitto's default max_queued_messages (1000) */
const APS = Array.from({ length: 20 }, (_, i) => `ap-${String(i).padStart(2, '0')}`);
const PER_AP = 600;
const TOTAL = APS.length * PER_AP;

/** Every AP logs in as itself and publishes PER_AP telemetry messages, QoS 1, 1 ms apart in ts. */
async function publishBacklog(s: Setup): Promise<void> {
  const t0 = Date.now() - 3_600_000;
  await Promise.all(APS.map(async (id) => {
    const ap = await connectClient(s.broker.url, { username: id, password: apPassword(SECRET, id), protocolVersion: 5 });
    try {
      await publishAll(ap, Array.from({ length: PER_AP }, (_, i) => ({ topic: `netatlas/wifi/${id}/telemetry`, payload: JSON.stringify({ ts: t0 + i, clients: i % 40 }) })), 50);
    } finally {
      await ap.endAsync();
    }
  }));
}

async function backlogRun(s: Setup): Promise<{ collector: MqttCollector; rows: number }> {
  const first = new MqttCollector({ config: s.config, ctx: s.ctx });
  await first.start(s.store);
  await first.stop(); // the broker keeps the session and queues for it from here
  await publishBacklog(s);
  const collector = new MqttCollector({ config: s.config, ctx: s.ctx });
  await collector.start(s.store);
  cleanups.push(() => collector.stop());
  const count = async (): Promise<number> => (await s.store.querySeries({ measurement: 'wifi_ap', ...WIDE })).length;
  // the broker's $SYS counters come every sys_interval (10 s, as shipped)
  await waitFor('the broker\'s $SYS dropped counter', () => collector.state().broker.droppedTotal !== undefined, 25_000, 100);
  // the queue is delivered at the reconnection: once the store stops growing for 2 s, all is in
  let last = -1;
  for (let i = 0; i < 120; i++) {
    const n = await count();
    if (n === last && n > 0) break;
    last = n;
    await new Promise((r) => setTimeout(r, 2000));
  }
  return { collector, rows: await count() };
}

describe('Mosquitto from the shipped config', () => {
  it('stores all 12 000 QoS 1 messages queued while the collector was stopped, and /api/health shows the broker dropped none', async () => {
    const s = await setup(APS);
    const { collector, rows } = await backlogRun(s);
    expect(rows).toBe(TOTAL); // 20 x 600 = 12 000
    const series = await s.store.querySeries({ measurement: 'wifi_ap', ...WIDE });
    expect(new Set(series.map((r) => `${r.tags['device']}@${r.time}`)).size).toBe(12_000);
    expect(s.broker.log()).not.toContain('Outgoing messages are being dropped');

    const app = createApp({ store: s.store, components: { broker: brokerHealth({ url: s.config.url, sys: () => collector.state().broker }) } });
    const res = await request(app).get('/api/health');
    expect(res.status).toBe(200);
    expect(res.body.broker).toMatchObject({ ok: true, lossVisible: true, dropped: 0, droppedSeen: 0 });
    expect(res.body.broker.version).toContain('mosquitto');
  }, 240_000);

  it('control: with Mosquitto\'s default max_queued_messages 1000 put back, 11 000 are dropped, /api/health is degraded and broker_dropping fires', async () => {
    const s = await setup(APS, [['max_queued_messages 0', 'max_queued_messages 1000']]);
    const { collector, rows } = await backlogRun(s);
    // the queue holds 1000; the other 12 000 - 1000 = 11 000 are dropped by the broker
    expect(rows).toBe(1000);
    await waitFor('dropped counter at 11 000', () => collector.state().broker.droppedTotal === 11_000, 25_000, 100);
    expect(s.broker.log()).toContain('Outgoing messages are being dropped');

    const probe = brokerHealth({ url: s.config.url, sys: () => collector.state().broker });
    const app = createApp({ store: s.store, components: { broker: probe } });
    const res = await request(app).get('/api/health');
    expect(res.status).toBe(503);
    expect(res.body.broker).toMatchObject({ ok: false, lossVisible: true, dropped: 11_000, droppedSeen: 11_000 });

    const dir = mkdtempSync(path.join(os.tmpdir(), 'netatlas-broker-alert-'));
    const ops = createOperations({
      config: { alerts: alertsSchema.parse({ health: { forMs: 0 } }), notifiers: notifiersSchema.parse([]), maintenance: maintenanceSchema.parse({}), reports: reportsSchema.parse({}) },
      store: s.store, inventory: () => testInventory(), dataDir: dir, intervals: { fibreS: 10, wifiS: 10 }, avgHouseholdSize: 2.14,
      health: [{ name: 'broker', probe }],
    });
    cleanups.push(() => ops.close());
    const events = await ops.engine.evaluate();
    const fired = events.filter((e) => e.kind === 'fired' && e.alert.rule === 'broker_dropping');
    expect(fired.map((e) => e.alert.subject)).toEqual(['broker']);
    expect(fired[0]!.alert.summary).toContain('dropped');
  }, 240_000);

  it('refuses AP ap-a publishing to ap-b\'s status and telemetry over the TLS listener, and nothing is stored for ap-b', async () => {
    const s = await setup(['ap-a', 'ap-b']);
    const collector = new MqttCollector({ config: s.config, ctx: s.ctx });
    await collector.start(s.store);
    cleanups.push(() => collector.stop());

    const ca = readFileSync(s.broker.caFile);
    const asApA = async (protocolVersion: 4 | 5) => {
      const c = await connectClient(s.broker.tlsUrl, { username: 'ap-a', password: apPassword(SECRET, 'ap-a'), protocolVersion, ca, clientId: `ap-a-v${protocolVersion}` });
      cleanups.push(() => c.endAsync(true));
      return c;
    };
    // MQTT 5: the broker answers the PUBLISH with reason code 135 (not authorized), and Mosquitto
    // 2.0 then drops the connection: each attempt on a connection of its own
    const refused = async (topic: string, payload: string, retain: boolean): Promise<number | undefined> => {
      const c = await asApA(5);
      return c.publishAsync(topic, payload, { qos: 1, retain }).then(() => undefined, (err: { code?: number }) => err.code);
    };
    expect(await refused('netatlas/wifi/ap-b/status', 'offline', true)).toBe(135);
    expect(await refused('netatlas/wifi/ap-b/telemetry', '{"clients":3}', false)).toBe(135);
    // an MQTT 3.1.1 client gets no reason code: whatever the broker answers, the message must not arrive
    const v4 = await asApA(4);
    await Promise.race([v4.publishAsync('netatlas/wifi/ap-b/status', 'offline', { qos: 1, retain: true }).catch(() => undefined), new Promise((r) => setTimeout(r, 2000))]);
    // its own status and telemetry go through: stored for ap-a, after the refused ones
    const apA = await asApA(5);
    await apA.publishAsync('netatlas/wifi/ap-a/status', 'online', { qos: 1, retain: true });
    await apA.publishAsync('netatlas/wifi/ap-a/telemetry', '{"clients":5}', { qos: 1 });
    await waitFor('ap-a\'s telemetry stored', async () => (await s.store.querySeries({ measurement: 'wifi_ap', where: { device: 'ap-a' }, ...WIDE })).length === 1, 10_000);

    expect(await s.store.statusSamples({ ...WIDE, devices: ['ap-b'], includePrevious: false })).toEqual([]);
    expect(await s.store.querySeries({ measurement: 'wifi_ap', where: { device: 'ap-b' }, ...WIDE })).toEqual([]);
    expect((await s.store.statusSamples({ ...WIDE, devices: ['ap-a'], includePrevious: false })).map((x) => x.up)).toContain(true);
    // and no retained `offline` for ap-b waits to be replayed: a new subscriber gets nothing
    const reader = await connectClient(s.broker.url, { username: 'netatlas', password: NETATLAS_PASSWORD });
    cleanups.push(() => reader.endAsync());
    const got: string[] = [];
    reader.on('message', (t) => got.push(t));
    await reader.subscribeAsync('netatlas/wifi/+/status', { qos: 1 });
    await new Promise((r) => setTimeout(r, 500));
    expect(got).toEqual(['netatlas/wifi/ap-a/status']);

    // a wrong password and no login at all are refused at CONNECT
    await expect(connectClient(s.broker.tlsUrl, { username: 'ap-b', password: 'guess', ca, protocolVersion: 5 })).rejects.toThrow(/Bad User Name or Password|Not authorized/i);
    await expect(connectClient(s.broker.url, { protocolVersion: 5 })).rejects.toThrow(/Not authorized|Bad User Name/i);
  }, 60_000);
});
