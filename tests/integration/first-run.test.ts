/**
 * First run: `netatlas start` with no config file, in an empty working directory, brings up the
 * demo (embedded store and broker, simulated network, both collectors, the API) and the data is
 * real: SNMP answers from the simulated agents, MQTT messages from the simulated APs, the scripted
 * AP power cut seen through its Last Will. A second instance runs beside the first; SIGTERM stops
 * each cleanly; a restart on the same data dir continues the history. The simulated network is
 * kept small (6 fibre nodes, 20 APs) so this runs quickly on 2 cores.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createStore } from '../../server/store/create-store.js';
import { cleanEnv, freeTcpPort, getJson, startNetatlas, stopWith, waitFor, type RunningChild } from './first-run-helpers.js';

const cwd = mkdtempSync(path.join(tmpdir(), 'netatlas-first-run-'));
const running: RunningChild[] = [];
afterAll(() => {
  for (const r of running) if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL');
  rmSync(cwd, { recursive: true, force: true });
});

interface Health {
  status: string;
  uptime_s: number;
  store: { kind: string; ok: boolean; detail: string };
  broker: { url: string };
  pipeline: { written: number; dropped: number };
  simulator: { snmpBasePort: number; agents: number; aps: number; apsOnline: number; telemetrySent: number; faults: { kind: string; target: string; scripted: boolean; startedAt: number }[] };
  collectors: { snmp: { devices: number; up: number; down: number } | null; mqtt: { connected: boolean; lastMessageAt?: number } };
}

const SMALL = {
  NETATLAS_SIMULATOR_FIBRE_NODES: '6',
  NETATLAS_SIMULATOR_WIFI_APS: '20',
  NETATLAS_SIMULATOR_TELEMETRY_INTERVAL_S: '2',
  NETATLAS_SIMULATOR_RANDOM_FAULTS_PER_HOUR: '0',
  NETATLAS_COLLECTORS_SNMP_INTERVAL_S: '5',
  NETATLAS_COLLECTORS_SNMP_TIMEOUT_MS: '500',
  NETATLAS_COLLECTORS_SNMP_STATUS_INTERFACES: 'uplink*',
  NETATLAS_LOG_LEVEL: 'info',
};

async function demo(dataDir: string): Promise<RunningChild> {
  const port = await freeTcpPort();
  const env = cleanEnv({ ...SMALL, NETATLAS_PORT: String(port), NETATLAS_DATA_DIR: dataDir });
  const r = await startNetatlas(['start'], env, cwd);
  running.push(r);
  return r;
}

/** The health report once SNMP polls succeed, AP telemetry arrives and points reach the store. */
function alive(r: RunningChild, timeoutMs: number): Promise<Health> {
  return waitFor('SNMP answers, AP telemetry and stored points in /api/health', timeoutMs, async () => {
    const { body } = await getJson<Health>(`${r.url}/api/health`);
    const ok = (body.collectors?.snmp?.up ?? 0) > 0 && body.collectors.mqtt.lastMessageAt !== undefined && body.pipeline.written > 0;
    return ok ? body : undefined;
  });
}

const dataA = path.join(cwd, 'data-a');
const dataB = path.join(cwd, 'data-b');
let first: RunningChild;
let powerCut: { target: string; startedAt: number };
let firstStoppedAt = 0;
let firstStartedAt = 0;

describe('first run: netatlas start with no config file', () => {
  it('prints the URL and where data lives, and within 60 s the API reports SNMP polls and AP telemetry', async () => {
    first = await demo(dataA);
    expect(first.output()).toContain(`netatlas is running: open ${first.url}`);
    expect(first.output()).toContain(`data: embedded store and spool in ${dataA}`);
    const health = await alive(first, 60_000);
    expect(health.store).toMatchObject({ kind: 'sqlite', ok: true });
    expect(health.simulator).toMatchObject({ agents: 6, aps: 20 });
    expect(health.collectors.snmp!.devices).toBe(6);
    expect(health.collectors.mqtt.connected).toBe(true);
    expect(health.pipeline.dropped).toBe(0);
    firstStartedAt = Date.now() - health.uptime_s * 1000;
  }, 90_000);

  it('shows every demo device on /api/map/devices, with SNMP rates for fibre and telemetry for APs', async () => {
    const generated = parse(readFileSync(path.join(dataA, 'demo-devices.yaml'), 'utf8')) as { devices: { id: string }[] };
    const map = await getJson<{ features: { properties: { id: string; tech: string; status: string } }[] }>(`${first.url}/api/map/devices`);
    expect(map.status).toBe(200);
    expect(map.body.features.map((f) => f.properties.id).sort()).toEqual(generated.devices.map((d) => d.id).sort());
    expect(map.body.features).toHaveLength(26);
    const fibreIds = map.body.features.filter((f) => f.properties.tech === 'fibre').map((f) => f.properties.id);
    const apIds = map.body.features.filter((f) => f.properties.tech === 'wifi').map((f) => f.properties.id);
    const from = new Date(firstStartedAt - 60_000).toISOString();
    const rate = await waitFor('in_bps of a fibre node from two SNMP polls', 30_000, async () => {
      for (const id of fibreIds) {
        const { body } = await getJson<{ value: number | null }[]>(`${first.url}/api/devices/${id}/series?metric=in_bps&from=${from}&step=10s`);
        const v = body.find((p) => typeof p.value === 'number' && p.value > 0);
        if (v) return v.value;
      }
      return undefined;
    });
    expect(rate).toBeGreaterThan(0);
    const clients = await getJson<{ value: number | null }[]>(`${first.url}/api/devices/${apIds[0]}/series?metric=clients&from=${from}&step=10s`);
    expect(clients.body.some((p) => typeof p.value === 'number')).toBe(true);
  }, 60_000);

  it('plays the scripted AP power cut about 15 s after start', async () => {
    const fault = await waitFor('the scripted ap-power-cut', 40_000, async () => {
      const { body } = await getJson<Health>(`${first.url}/api/health`);
      return body.simulator.faults.find((f) => f.kind === 'ap-power-cut' && f.scripted);
    });
    expect(fault.target).toMatch(/^ap-\d+-\d{3}$/);
    powerCut = fault;
    const incident = await waitFor(`an incident of ${fault.target} in /api/incidents`, 15_000, async () => {
      const { body } = await getJson<{ device: string; start: string; ongoing: boolean }[]>(`${first.url}/api/incidents?device=${fault.target}&from=${new Date(firstStartedAt - 60_000).toISOString()}`);
      return body.find((i) => i.device === fault.target);
    });
    expect(Date.parse(incident.start)).toBeGreaterThanOrEqual(fault.startedAt - 1000);
  }, 60_000);

  it('runs a second instance beside the first, with its own port, data dir, broker and SNMP ports', async () => {
    const second = await demo(dataB);
    const [a, b] = await Promise.all([getJson<Health>(`${first.url}/api/health`), alive(second, 60_000)]);
    expect(second.url).not.toBe(first.url);
    expect(b.broker.url).not.toBe(a.body.broker.url);
    expect(b.simulator.snmpBasePort).not.toBe(a.body.simulator.snmpBasePort);
    expect(b.store.detail).toContain(dataB);
    const stopped = await stopWith(second, 'SIGTERM');
    expect(stopped.code).toBe(0);
    expect(stopped.ms).toBeLessThan(10_000);
  }, 90_000);

  it('stops on SIGTERM with exit 0 within 10 s, leaving SNMP rates, AP telemetry and the outage in the store', async () => {
    // Give the collector a moment past the power cut so its Last Will sample is surely flushed.
    await waitFor('the power cut to be 3 s old', 10_000, async () => (Date.now() - powerCut.startedAt > 3000 ? true : undefined));
    const stopped = await stopWith(first, 'SIGTERM');
    firstStoppedAt = Date.now();
    expect(stopped.code).toBe(0);
    expect(stopped.ms).toBeLessThan(10_000);
    expect(first.output()).toContain('"msg":"shutting down"');

    const store = createStore({ dataDir: dataA });
    await store.init();
    try {
      const range = { from: firstStoppedAt - 600_000, to: firstStoppedAt + 1000 };
      const rates = await store.querySeries({ measurement: 'interface', fields: ['in_bps'], ...range });
      const withRate = rates.filter((r) => typeof r.fields['in_bps'] === 'number' && (r.fields['in_bps'] as number) > 0);
      expect(withRate.length).toBeGreaterThan(0);
      expect(withRate[0]!.tags['device']).toMatch(/^olt-/);
      const wifi = await store.querySeries({ measurement: 'wifi_ap', ...range });
      expect(wifi.length).toBeGreaterThan(10);
      expect(typeof wifi[0]!.fields['clients']).toBe('number');
      const samples = await store.statusSamples({ ...range, includePrevious: false });
      const snmpUp = samples.filter((s) => s.tags['source'] === 'snmp' && s.up);
      expect(new Set(snmpUp.map((s) => s.device)).size).toBeGreaterThanOrEqual(5);
      const cut = samples.filter((s) => s.device === powerCut.target);
      expect(cut.some((s) => s.up)).toBe(true);
      const down = cut.find((s) => !s.up);
      expect(down?.tags['source']).toBe('mqtt');
      expect(down!.time).toBeGreaterThanOrEqual(powerCut.startedAt - 1000);
    } finally {
      await store.close();
    }
  }, 30_000);

  it('continues the history when started again on the same data dir', async () => {
    const again = await demo(dataA);
    await alive(again, 60_000);
    // Uptime over both runs: the always-up nodes were known up for (most of) the first run too,
    // which lasted well over 20 s, while this one has run for a few seconds.
    const { body: uptime } = await getJson<{ key: string; up_ms: number }[]>(`${again.url}/api/uptime?groupBy=device&from=${new Date(firstStartedAt - 60_000).toISOString()}`);
    const fibreUp = uptime.filter((u) => u.key.startsWith('olt-')).map((u) => u.up_ms);
    expect(Math.max(...fibreUp)).toBeGreaterThan(20_000);
    const stopped = await stopWith(again, 'SIGTERM');
    expect(stopped.code).toBe(0);
    const store = createStore({ dataDir: dataA });
    await store.init();
    try {
      const samples = await store.statusSamples({ from: firstStoppedAt - 600_000, to: Date.now() + 1000, includePrevious: false });
      expect(samples.some((s) => s.time < firstStoppedAt)).toBe(true);
      expect(samples.some((s) => s.time > firstStoppedAt && s.tags['source'] === 'snmp')).toBe(true);
    } finally {
      await store.close();
    }
  }, 90_000);
});
