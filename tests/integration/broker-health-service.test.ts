/**
 * Issue 13 acceptance: /api/health of the running service (startService, collection in-process)
 * shows the broker's dropped-message count with Mosquitto (started from the shipped config) and
 * says broker-side loss is "not visible" with the embedded broker; /metrics has the same counters.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { loadConfig } from '../../server/config.js';
import { startService } from '../../server/main.js';
import { silentLogger } from '../../core/log.js';
import { ShippedMosquitto } from '../helpers/shipped-mosquitto.js';
import { freePort } from '../helpers/mosquitto-process.js';
import { waitFor } from '../helpers/mqtt-fixtures.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface BrokerPart { ok: boolean; detail: string; lossVisible: boolean; dropped?: number }

async function service(mqtt: Record<string, unknown>): Promise<{ url: string; dir: string }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'netatlas-broker-health-'));
  const devicesFile = path.join(dir, 'devices.yaml');
  writeFileSync(devicesFile, 'devices:\n  - id: ap-1\n    tech: wifi\n    site: s\n    location: { lat: 50.83, lon: 4.37 }\n    radiusM: 50\n');
  const areasFile = path.join(dir, 'areas.geojson');
  writeFileSync(areasFile, JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { id: 'ixelles', name: 'Ixelles', population: 2140, households: 1000 }, geometry: { type: 'Polygon', coordinates: [[[4.36, 50.82], [4.38, 50.82], [4.38, 50.84], [4.36, 50.84], [4.36, 50.82]]] } }] }));
  const file = path.join(dir, 'netatlas.yaml');
  writeFileSync(file, stringify({ dataDir: path.join(dir, 'data'), http: { host: '127.0.0.1', port: 0 }, simulator: { enabled: false }, inventory: { devicesFile, areasFile }, mqtt, alerts: { enabled: false } }));
  const running = await startService(loadConfig({ file, env: {} }), silentLogger, { collection: 'in-process' });
  cleanups.push(() => running.close());
  return { url: running.url, dir };
}

async function brokerPart(url: string): Promise<BrokerPart> {
  const body = await fetch(`${url}/api/health`).then((r) => r.json()) as { broker: BrokerPart };
  return body.broker;
}

describe('/api/health broker component of the running service', () => {
  it('with Mosquitto from the shipped config: the dropped count (0), and the $SYS gauges in /metrics', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'netatlas-broker-health-m-'));
    writeFileSync(path.join(dir, 'devices.yaml'), 'devices:\n  - id: ap-1\n    tech: wifi\n    site: s\n    location: { lat: 50.83, lon: 4.37 }\n    radiusM: 50\n');
    writeFileSync(path.join(dir, 'secret'), 'broker-health-secret-0123\n');
    const broker = await ShippedMosquitto.start({ netatlasPassword: 'health-pw', devicesFile: path.join(dir, 'devices.yaml'), secretFile: path.join(dir, 'secret') });
    cleanups.push(() => broker.close());
    const { url } = await service({ url: broker.url, username: 'netatlas', password: 'health-pw' });
    // Mosquitto sends its retained $SYS values at the SUBSCRIBE, then every sys_interval (10 s)
    await waitFor('the broker component to see $SYS', async () => (await brokerPart(url)).lossVisible, 25_000, 200);
    const part = await brokerPart(url);
    expect(part).toMatchObject({ ok: true, lossVisible: true, dropped: 0 });
    expect(part.detail).toContain('no messages dropped');
    const metrics = await fetch(`${url}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(/^netatlas_mqtt_broker_sys_visible 1$/m);
    expect(metrics).toMatch(/^netatlas_mqtt_broker_publish_dropped 0$/m);
    expect(metrics).toMatch(/^netatlas_mqtt_broker_stored_messages \d+$/m);
  }, 60_000);

  it('with the embedded broker: broker-side loss is not visible, and the health stays ok', async () => {
    const { url } = await service({ embeddedPort: await freePort() });
    const part = await brokerPart(url);
    expect(part).toMatchObject({ ok: true, lossVisible: false });
    expect(part.detail).toContain('embedded broker (aedes)');
    expect(part.detail).toContain('broker-side loss is not visible');
    const metrics = await fetch(`${url}/metrics`).then((r) => r.text());
    expect(metrics).not.toMatch(/^netatlas_mqtt_broker_sys_visible 1$/m);
  }, 60_000);
});
