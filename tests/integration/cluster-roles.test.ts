/**
 * `netatlas start --role …` (#19 item 1): what each role answers and what it does not. Real
 * processes, the real InfluxDB and Mosquitto, 20 simulated SNMP agents, loopback only.
 *
 * - collector: GET /api/health (its pipeline, collectors and cluster membership) and GET /metrics,
 *   nothing else (the API, the map: 404 naming the api process); it polls and writes points
 *   tagged with its instance;
 * - api: the API and the map, /api/health listing the collector members; it polls nothing (no
 *   collector_status of its own in the store);
 * - all: both in one process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore } from '../../server/store/create-store.js';
import type { MetricStore } from '../../server/store/metric-store.js';
import { requireInflux, requireMosquitto, services } from '../helpers/services.js';
import { startSimProcess, type SimProcess } from '../helpers/snmp-sim-process.js';
import { startNetatlas, writeConfig, writeInventory, type NetatlasProcess } from '../helpers/cluster-processes.js';

const DEVICES = 20;
const database = `netatlas_roles_${process.pid}_${Date.now()}`;
const dir = mkdtempSync(path.join(tmpdir(), 'netatlas-roles-'));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

let sim: SimProcess;
let store: MetricStore;
const procs: NetatlasProcess[] = [];
let collector: NetatlasProcess;
let api: NetatlasProcess;
let collectorInstance = '';

beforeAll(async () => {
  await requireInflux();
  await requireMosquitto();
  sim = await startSimProcess({ count: DEVICES, interfaces: 2 });
  const files = writeInventory(dir, DEVICES, sim.basePort);
  const settings = { influxUrl: services.influxUrl, database, mqttUrl: services.mqttUrl, topicPrefix: `netatlas-roles-${process.pid}-${Date.now()}`, intervalS: 5, heartbeatS: 2, keepaliveS: 2 };
  const c = writeConfig(files, 'collector', settings);
  collectorInstance = c.instance;
  api = await startNetatlas(writeConfig(files, 'api', settings).file, 'api');
  procs.push(api);
  collector = await startNetatlas(c.file, 'collector');
  procs.push(collector);
  store = createStore({ influx: { url: services.influxUrl, database } });
}, 240_000);

afterAll(async () => {
  await Promise.all(procs.map((p) => p.stop()));
  await sim?.stop();
  await store?.close();
  await fetch(new URL(`/query?q=${encodeURIComponent(`DROP DATABASE "${database}"`)}`, services.influxUrl), { method: 'POST' }).catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe('role collector', () => {
  it('answers /api/health with its pipeline, collectors and membership, and /metrics', async () => {
    const res = await fetch(`${collector.url}/api/health`);
    const h = await res.json() as Record<string, { ok: boolean; instance?: string; sharding?: boolean } | string>;
    expect(h['role']).toBe('collector');
    expect(Object.keys(h)).toEqual(expect.arrayContaining(['pipeline', 'broker', 'collectors', 'collection', 'cluster']));
    expect(h['cluster']).toMatchObject({ instance: collectorInstance, sharding: true });
    const metrics = await fetch(`${collector.url}/metrics`);
    expect(metrics.status).toBe(200);
    const text = await metrics.text();
    // the MQTT collector is started (success 1) before the process says it runs; the SNMP gauges follow its cycles
    expect(text).toMatch(/^netatlas_collector_success\{collector="mqtt"\} 1$/m);
    expect(text).toContain('# HELP netatlas_collector_duration_seconds');
  });

  it('serves no API and no map: 404 naming the api process', async () => {
    for (const p of ['/api/devices', '/api/uptime', '/', '/api/openapi.json']) {
      const res = await fetch(`${collector.url}${p}`);
      expect({ p, status: res.status }).toEqual({ p, status: 404 });
      const body = await res.json() as { error: { code: string; message: string } };
      expect(body.error.code).toBe('not_found');
      expect(body.error.message).toContain('api process');
    }
    expect((await fetch(`${collector.url}/api/health`, { method: 'POST' })).status).toBe(404);
  });

  it('polls every device and tags each point with its instance', async () => {
    // the member polls from the tick a full interval after it joined (5 s ticks): wait for two cycles
    const until = Date.now() + 40_000;
    let rows = await store.querySeries({ measurement: 'device_status', from: Date.now() - 60_000, to: Date.now() + 1, fields: ['up'] });
    while (new Set(rows.map((r) => r.tags['device'])).size < DEVICES && Date.now() < until) {
      await sleep(1000);
      rows = await store.querySeries({ measurement: 'device_status', from: Date.now() - 60_000, to: Date.now() + 1, fields: ['up'] });
    }
    expect(new Set(rows.map((r) => r.tags['device'])).size).toBe(DEVICES);
    expect(new Set(rows.map((r) => r.tags['instance']))).toEqual(new Set([collectorInstance]));
    const iface = await store.querySeries({ measurement: 'interface', from: Date.now() - 60_000, to: Date.now() + 1, fields: ['ifOperStatus'] });
    expect(iface.length).toBeGreaterThan(0);
    expect(iface.every((r) => r.tags['instance'] === collectorInstance)).toBe(true);
  }, 60_000);
});

describe('role api', () => {
  it('serves the API and the map, and lists the collector member in /api/health', async () => {
    const devices = await (await fetch(`${api.url}/api/devices`)).json() as { id: string }[];
    expect(devices.length).toBe(DEVICES);
    const page = await fetch(`${api.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const h = await (await fetch(`${api.url}/api/health`)).json() as { collectors: { ok: boolean; members: { instance: string; devices: number }[] }; collection: { detail: string } };
    expect(h.collectors.ok).toBe(true);
    expect(h.collectors.members.map((m) => m.instance)).toEqual([collectorInstance]);
    expect(h.collection.detail).toContain('collector processes');
  });

  it('runs no collector: the only collector_status instance in the store is the collector process\'s', async () => {
    const rows = await store.querySeries({ measurement: 'collector_status', from: Date.now() - 120_000, to: Date.now() + 1, fields: ['connected'] });
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((r) => `${r.tags['collector']}/${r.tags['instance']}`))).toEqual(new Set([`snmp/${collectorInstance}`, `mqtt/${collectorInstance}`]));
  });

  it('follows the collector\'s points: the devices read up through the API within a few seconds', async () => {
    const until = Date.now() + 30_000;
    let up = 0;
    while (Date.now() < until) {
      const list = await (await fetch(`${api.url}/api/devices`)).json() as { status: string }[];
      up = list.filter((d) => d.status === 'up').length;
      if (up === DEVICES) break;
      await sleep(1000);
    }
    expect(up).toBe(DEVICES);
  }, 40_000);
});
