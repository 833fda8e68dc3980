/**
 * Issue 13, redaction: the whole service (startService, collection in-process so that every log
 * line reaches the captured logger) with secrets in every URL it is given: the MQTT broker URL
 * carries the collector's password (Mosquitto from the shipped config, so the password is real),
 * the InfluxDB URL a password (at a port where nothing listens, so the store is unhealthy and a
 * `health` alert carries its detail), and two webhooks whose paths are their credentials (as for
 * Slack and Teams): one answered by a receiver on loopback, one at a closed port, so that its
 * failure lands in the delivery log. Each output is then searched for each secret: the logs,
 * GET /api/health, /metrics, /api/alerts, the webhook bodies received, the delivery log and the
 * notifier database's bytes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { stringify } from 'yaml';
import { loadConfig } from '../../server/config.js';
import { startService } from '../../server/main.js';
import { DeliveryQueue } from '../../server/notifiers/delivery-queue.js';
import { ShippedMosquitto } from '../helpers/shipped-mosquitto.js';
import { freePort } from '../helpers/mosquitto-process.js';
import { waitFor } from '../helpers/mqtt-fixtures.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const MQTT_PW = 'mqttPW-s3cret-2718';
const INFLUX_PW = 'influxPW-s3cret-3141';
const LIVE_HOOK = 'T0LIVE/B0LIVE/liveHookS3cret';
const DEAD_HOOK = 'T0DEAD/B0DEAD/deadHookS3cret';
const SECRETS = [MQTT_PW, INFLUX_PW, LIVE_HOOK, DEAD_HOOK, 'liveHookS3cret', 'deadHookS3cret'];

function leaks(text: string): string[] {
  return SECRETS.filter((s) => text.includes(s));
}

describe('secrets in URLs', () => {
  it('never appear in logs, /api/health, /metrics, /api/alerts, webhook bodies or the delivery log', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'netatlas-redaction-'));
    const devicesFile = path.join(dir, 'devices.yaml');
    writeFileSync(devicesFile, 'devices:\n  - id: ap-1\n    tech: wifi\n    site: s\n    location: { lat: 50.83, lon: 4.37 }\n    radiusM: 50\n');
    writeFileSync(path.join(dir, 'secret'), 'redaction-test-secret-0123\n');
    const broker = await ShippedMosquitto.start({ netatlasPassword: MQTT_PW, devicesFile, secretFile: path.join(dir, 'secret') });
    cleanups.push(() => broker.close());

    const bodies: string[] = [];
    const receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => { body += c.toString(); });
      req.on('end', () => { bodies.push(body); res.statusCode = 204; res.end(); });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    cleanups.push(() => new Promise<void>((r) => { receiver.closeAllConnections(); receiver.close(() => r()); }));
    const livePort = (receiver.address() as AddressInfo).port;
    const [deadPort, influxPort] = [await freePort(), await freePort()];

    let logs = '';
    const sink = new Writable({ write(chunk: Buffer, _enc, done) { logs += chunk.toString(); done(); } });
    const log = pino({ level: 'debug' }, sink);

    const areasFile = path.join(dir, 'areas.geojson');
    writeFileSync(areasFile, JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { id: 'ixelles', name: 'Ixelles', population: 2140, households: 1000 }, geometry: { type: 'Polygon', coordinates: [[[4.36, 50.82], [4.38, 50.82], [4.38, 50.84], [4.36, 50.84], [4.36, 50.82]]] } }] }));
    const configFile = path.join(dir, 'netatlas.yaml');
    writeFileSync(configFile, stringify({
      dataDir: path.join(dir, 'data'),
      http: { host: '127.0.0.1', port: 0 },
      simulator: { enabled: false },
      inventory: { devicesFile, areasFile },
      store: { influx: { url: `http://netatlas:${INFLUX_PW}@127.0.0.1:${influxPort}`, database: 'netatlas' } },
      mqtt: { url: `mqtt://netatlas:${MQTT_PW}@127.0.0.1:${broker.port}` },
      notifiers: [
        { name: 'live', type: 'webhook', url: `http://127.0.0.1:${livePort}/services/${LIVE_HOOK}` },
        { name: 'dead', type: 'webhook', url: `http://127.0.0.1:${deadPort}/services/${DEAD_HOOK}` },
      ],
      // only the health rule: the timeline rules would read the unreachable store
      alerts: { evaluationIntervalMs: 500, deviceDown: { enabled: false }, collectorDown: { enabled: false }, deviceUnreadable: { enabled: false }, health: { forMs: 0 } },
    }));
    const config = loadConfig({ file: configFile, env: {} });
    const service = await startService(config, log, { collection: 'in-process' });
    cleanups.push(() => service.close());

    // the store's health alert reaches the live hook, and the dead hook's failure is logged
    await waitFor('a fired alert at the live webhook', () => bodies.some((b) => b.includes('"fired"') && b.includes('InfluxDB')), 30_000, 100);
    const queue = new DeliveryQueue({ dataDir: config.dataDir });
    cleanups.push(async () => queue.close());
    await waitFor('a failed delivery to the dead webhook', () => queue.log(50).some((e) => e.notifier === 'dead' && !e.ok), 30_000, 100);
    await waitFor('the collector connected', () => logs.includes('mqtt collector connected'), 15_000, 100);

    const health = await fetch(`${service.url}/api/health`).then((r) => r.text());
    const metrics = await fetch(`${service.url}/metrics`).then((r) => r.text());
    const alerts = await fetch(`${service.url}/api/alerts`).then((r) => r.text());
    const deliveries = JSON.stringify(queue.log(200));
    const dbBytes = readdirSync(config.dataDir).filter((f) => f.startsWith('notifications')).map((f) => readFileSync(path.join(config.dataDir, f)).toString('latin1')).join('');

    // what they show instead
    expect(health).toContain(`mqtt://netatlas:***@127.0.0.1:${broker.port}`);
    // the InfluxDB credentials travel as a header: the URL it names has none
    expect(health).toContain(`InfluxDB ping at http://127.0.0.1:${influxPort}/`);
    expect(deliveries).toContain(`http://127.0.0.1:${deadPort}/…`);
    expect(logs).toContain('mqtt collector connected');
    expect(bodies.length).toBeGreaterThan(0);

    expect({
      logs: leaks(logs), health: leaks(health), metrics: leaks(metrics), alerts: leaks(alerts),
      webhookBodies: leaks(bodies.join('\n')), deliveryLog: leaks(deliveries), notifierDb: leaks(dbBytes),
    }).toEqual({ logs: [], health: [], metrics: [], alerts: [], webhookBodies: [], deliveryLog: [], notifierDb: [] });
  }, 90_000);
});
