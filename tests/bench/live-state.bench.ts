/**
 * Issue 20 item 1: GET /api/map/devices (goal < 50 ms) and GET /api/incidents for the last 24 h
 * (goal < 100 ms) at 10 000 devices, before (every request recomputes from the store) and after
 * (the live state, server/status/live-state.ts), after the service has run 1 h and 6 h.
 *
 * Per run length: a fresh store holds that many hours of device_status (every device every
 * `intervalS`, heartbeats of both collectors every 10 s), a 20-minute outage on 1 % of the devices
 * each hour and an ongoing one on 0.5 %; the hours that are over are rolled up as the job does.
 * The clock stands 30 min into an hour. "before" is createApp without a live state; "after" the
 * same app with a LiveState restored from the store (its restore time and heap growth reported).
 * Requests alternate between the two; medians of wall and CPU time are reported. SQLite by default
 * (NETATLAS_BENCH_LIVE_STORES=sqlite,influxdb for both).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { CoverageCache } from '../../server/analytics/coverage.js';
import { Inventory } from '../../server/inventory/inventory.js';
import { parseAreas } from '../../server/inventory/areas.js';
import type { DeviceInput } from '../../server/inventory/devices-schema.js';
import { rollupRange } from '../../server/rollups.js';
import { LiveState } from '../../server/status/live-state.js';
import { InfluxStore } from '../../server/store/influx-store.js';
import { SqliteStore } from '../../server/store/sqlite-store.js';
import type { MetricStore } from '../../server/store/metric-store.js';
import type { Point } from '../../core/point.js';
import type { ApiDeps } from '../../server/api/deps.js';
import { median, type Benchmark, type BenchContext } from './bench-types.js';

const DEVICES = Number(process.env['NETATLAS_BENCH_LIVE_DEVICES'] ?? 10_000);
const HOURS = (process.env['NETATLAS_BENCH_LIVE_HOURS'] ?? '1,6').split(',').map(Number);
const INTERVAL_S = Number(process.env['NETATLAS_BENCH_LIVE_INTERVAL_S'] ?? 60);
const RUNS = Number(process.env['NETATLAS_BENCH_LIVE_RUNS'] ?? 7);
/** "before" takes seconds a request at 6 h: fewer runs of it */
const BEFORE_RUNS = Number(process.env['NETATLAS_BENCH_LIVE_BEFORE_RUNS'] ?? 3);
const STORES = (process.env['NETATLAS_BENCH_LIVE_STORES'] ?? 'sqlite').split(',');
const HOUR = 3_600_000;
const intervals = { fibreS: INTERVAL_S, wifiS: INTERVAL_S };

function inventory(): Inventory {
  const area = { type: 'Feature', properties: { id: 'a1', name: 'Bench', population: 200_000, households: 90_000 }, geometry: { type: 'Polygon', coordinates: [[[4.3, 50.8], [4.4, 50.8], [4.4, 50.9], [4.3, 50.9], [4.3, 50.8]]] } };
  const parsed = parseAreas({ type: 'FeatureCollection', features: [area] }, { avgHouseholdSize: 2.14 });
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  const devices: DeviceInput[] = Array.from({ length: DEVICES }, (_v, i) => {
    const location = { lon: 4.3 + ((i * 7919) % 10_000) / 100_000, lat: 50.8 + ((i * 104_729) % 10_000) / 100_000 };
    return i % 10 < 7
      ? { id: `olt-${i}`, tech: 'fibre', site: `site-${i % 120}`, location, snmp: { host: '127.0.0.1', port: 1161, version: '2c', community: 'public' }, householdsPassed: 200 + (i % 300), accessTech: 'ftth' }
      : { id: `ap-${i}`, tech: 'wifi', site: `site-${i % 120}`, location, radiusM: 50 };
  });
  return new Inventory(devices, { areas: parsed.areas, householdsEstimated: false, avgHouseholdSize: 2.14 });
}

/** `hours` of points up to `now`, a minute at a time. */
function* points(inv: Inventory, from: number, now: number): Generator<Point[]> {
  const step = INTERVAL_S * 1000;
  const devices = inv.all();
  for (let t = from; t < now; t += 60_000) {
    const batch: Point[] = [];
    for (let hb = t; hb < t + 60_000 && hb < now; hb += 10_000) {
      for (const c of ['snmp', 'mqtt']) batch.push({ measurement: 'collector_status', tags: { collector: c, instance: `bench-${c}` }, fields: { connected: 1, heartbeat_s: 10 }, time: hb });
    }
    devices.forEach((d, i) => {
      // each device polled at its own offset within the interval
      if ((t - from) % step !== 0) return;
      const time = t + ((i * 997) % step);
      if (time >= now) return;
      const hour = Math.floor((time - from) / HOUR);
      const inHour = (time - from) % HOUR;
      const outage = (i + hour * 37) % 100 === 0 && inHour >= 10 * 60_000 && inHour < 30 * 60_000;
      const ongoing = i % 200 === 1 && now - time < 15 * 60_000;
      const up = !(outage || ongoing);
      batch.push({ measurement: 'device_status', tags: { device: d.id, site: d.site, area: d.area, tech: d.tech, source: d.tech === 'fibre' ? 'snmp' : 'mqtt' }, fields: up ? { up: 1, rtt_ms: 2 } : { up: 0, reason: 'timeout' }, time });
    });
    yield batch;
  }
}

async function openStore(kind: string, ctx: BenchContext): Promise<{ store: MetricStore; dispose(): Promise<void> }> {
  if (kind === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netatlas-bench-live-'));
    const store = new SqliteStore({ dataDir: dir });
    await store.init();
    return { store, dispose: async () => { await store.close(); fs.rmSync(dir, { recursive: true, force: true }); } };
  }
  const database = `netatlas_bench_live_${randomBytes(4).toString('hex')}`;
  const store = new InfluxStore({ url: ctx.influxUrl, database, timeoutMs: 120_000 });
  await store.init();
  return { store, dispose: async () => { await store.close(); await fetch(new URL('/query', ctx.influxUrl), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ q: `DROP DATABASE "${database}"` }).toString() }); } };
}

const gc = (): void => (globalThis as { gc?: () => void }).gc?.();

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

/**
 * CPU ms of this process (server and supertest client) during `fn`: on a machine shared with
 * other work, wall time measures the others' load as much as ours.
 */
async function cpuTimed(fn: () => Promise<unknown>): Promise<number> {
  const c = process.cpuUsage();
  await fn();
  const d = process.cpuUsage(c);
  return (d.user + d.system) / 1000;
}

async function benchRun(kind: string, hours: number, inv: Inventory, ctx: BenchContext): Promise<Record<string, unknown>> {
  const { store, dispose } = await openStore(kind, ctx);
  const now = Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR + HOUR / 2;
  const from = now - hours * HOUR;
  let written = 0;
  try {
    const writeMs = await timed(async () => { for (const batch of points(inv, from, now)) { await store.write(batch); written += batch.length; } });
    await rollupRange(store, inv.all(), Math.floor(from / HOUR) * HOUR, Math.floor(now / HOUR) * HOUR, intervals);
    ctx.log(`${kind} ${hours} h: ${written} points written in ${(writeMs / 1000).toFixed(1)} s`);
    const base: ApiDeps = { store, inventory: () => inv, now: () => now, auth: {}, intervals, coverageCache: new CoverageCache(), avgHouseholdSize: 2.14 };
    const live = new LiveState({ store, devices: () => inv.all(), intervals, now: () => now, reconcileMs: 0 });
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const restoreMs = await timed(() => live.start());
    gc();
    const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 1e6;
    if (!live.ready) throw new Error('live state not restored');
    const apps = { before: createApp({ store, now: () => now, api: base }), after: createApp({ store, now: () => now, api: { ...base, live } }) };
    const get = async (app: typeof apps.before, url: string): Promise<number> => {
      const r = await request(app).get(url);
      if (r.status !== 200) throw new Error(`${url}: ${r.status}`);
      return url.startsWith('/api/map') ? (r.body as { features: unknown[] }).features.length : (r.body as unknown[]).length;
    };
    const routes = { map: '/api/map/devices', incidents: '/api/incidents?limit=10000' };
    const times: Record<string, number[]> = {};
    const cpu: Record<string, number[]> = {};
    const counts: Record<string, number> = {};
    for (let run = 0; run < RUNS; run++) {
      const sides: ('before' | 'after')[] = run % 2 === 0 ? ['before', 'after'] : ['after', 'before'];
      for (const side of sides.filter((x) => x === 'after' || run < BEFORE_RUNS)) {
        for (const [name, url] of Object.entries(routes)) {
          let n = 0, wall = 0;
          (cpu[`${name}_${side}`] ??= []).push(await cpuTimed(async () => { wall = await timed(async () => { n = await get(apps[side], url); }); }));
          (times[`${name}_${side}`] ??= []).push(wall);
          const prev = counts[name];
          if (prev !== undefined && prev !== n) throw new Error(`${name}: ${side} gave ${n} items, the other side ${prev}`);
          counts[name] = n;
        }
      }
    }
    live.stop();
    return {
      points: written, write_s: Number((writeMs / 1000).toFixed(1)), restore_ms: Math.round(restoreMs), live_heap_mb: Number(heapMb.toFixed(1)),
      map_features: counts['map'], incidents: counts['incidents'],
      median_ms: Object.fromEntries(Object.entries(times).map(([k, v]) => [k, Number(median(v).toFixed(1))])),
      median_cpu_ms: Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, Number(median(v).toFixed(1))])),
      after_ms: { map: times['map_after'], incidents: times['incidents_after'] },
    };
  } finally {
    await dispose();
  }
}

const bench: Benchmark = {
  name: 'live-state',
  description: `GET /api/map/devices and /api/incidents (24 h) at ${DEVICES} devices after ${HOURS.join(' and ')} h of data: recomputed from the store vs the live state`,
  async run(ctx) {
    const inv = inventory();
    const out: Record<string, unknown> = { devices: DEVICES, interval_s: INTERVAL_S, runs_after: RUNS, runs_before: Math.min(RUNS, BEFORE_RUNS), load_average: os.loadavg().map((x) => Number(x.toFixed(1))) };
    for (const kind of STORES) for (const h of HOURS) out[`${kind}_${h}h`] = await benchRun(kind, h, inv, ctx);
    return out;
  },
};
export default bench;

/** Run this benchmark alone: `npx tsx tests/bench/live-state.bench.ts` prints its JSON. */
export async function run(): Promise<object> {
  const { requireInflux, services } = await import('../helpers/services.js');
  const influxUrl = STORES.includes('influxdb') ? await requireInflux(services.influxUrl) : services.influxUrl;
  return bench.run({ influxUrl, budgetMs: 1_800_000, log: (m) => process.stderr.write(`  live-state: ${m}\n`) });
}

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  process.stdout.write(`${JSON.stringify(await run(), null, 2)}\n`);
}
