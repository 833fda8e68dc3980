/**
 * Latency of GET /api/coverage and GET /api/uptime?groupBy=area over 7 days of 1000 devices,
 * next to the bare store query of the same aggregate (per-area sums of the hourly rollups), on
 * the SQLite and the InfluxDB store; also the raw-point aggregate (mean of `up` per area over
 * the 7 days) for scale. Two baselines per endpoint (issue 18 goal 2): the historical one, the
 * 2 rolled sums (up, down) by area (`ratio_*_vs_store_rollup`, kept so figures stay comparable
 * across runs), and a like-for-like one, the bare query returning the information the answer
 * holds (`like_for_like`): uptime by area reports up, down, maintenance and unknown per area, so
 * 3 rolled sums (up, down, maintenance) by area; coverage weighs each device by its own uptime,
 * so 2 rolled sums (up, down) by device. Status points are every 5 minutes, not every minute (2.0 M points rather
 * than 10 M), to keep the write inside the bench budget; the API reads the hourly rollups, so its
 * work does not grow with the sampling rate. Each side runs alternately; medians are reported.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { CoverageCache } from '../../server/analytics/coverage.js';
import { parseAreasText } from '../../server/inventory/areas.js';
import { Inventory } from '../../server/inventory/inventory.js';
import type { DeviceInput } from '../../server/inventory/devices-schema.js';
import { rollupRange } from '../../server/rollups.js';
import { InfluxStore } from '../../server/store/influx-store.js';
import { SqliteStore } from '../../server/store/sqlite-store.js';
import type { MetricStore } from '../../server/store/metric-store.js';
import type { Point } from '../../core/point.js';
import { median, type Benchmark, type BenchContext } from './bench-types.js';
import { cpuSeconds, influxdPid } from './proc-cpu.js';
import { groupedUptimes } from '../../server/status/group-uptimes.js';
import { deviceUptimes } from '../../server/status/device-uptimes.js';
import { groupUptime } from '../../server/analytics/uptime.js';

const DEVICES = Number(process.env['NETATLAS_BENCH_API_DEVICES'] ?? 1000);
const DAYS = Number(process.env['NETATLAS_BENCH_API_DAYS'] ?? 7);
const STEP_MIN = Number(process.env['NETATLAS_BENCH_API_STEP_MIN'] ?? 5);
const RUNS = Number(process.env['NETATLAS_BENCH_API_RUNS'] ?? 11);
const STORES = (process.env['NETATLAS_BENCH_API_STORES'] ?? 'sqlite,influxdb').split(',');
const HOUR = 3_600_000;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (s * 1_664_525 + 1_013_904_223) >>> 0; return s / 2 ** 32; };
}

function benchInventory(): Inventory {
  const file = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../regions/brussels/areas.geojson');
  const parsed = parseAreasText(fs.readFileSync(file, 'utf8'), file, { avgHouseholdSize: 2.14 });
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  const [x0, y0, x1, y1] = parsed.value.areas.reduce((b, a) => [Math.min(b[0], a.bbox[0]), Math.min(b[1], a.bbox[1]), Math.max(b[2], a.bbox[2]), Math.max(b[3], a.bbox[3])], [180, 90, -180, -90]);
  const r = rng(7);
  const devices: DeviceInput[] = Array.from({ length: DEVICES }, (_v, i) => {
    const location = { lon: x0 + r() * (x1 - x0), lat: y0 + r() * (y1 - y0) };
    return i % 10 < 7
      ? { id: `olt-${i}`, tech: 'fibre', site: `site-${i % 120}`, location, snmp: { host: '127.0.0.1', port: 1161, version: '2c', community: 'public' }, householdsPassed: 200 + (i % 300), accessTech: 'ftth', intervalS: STEP_MIN * 60 }
      : { id: `ap-${i}`, tech: 'wifi', site: `site-${i % 120}`, location, radiusM: 50, intervalS: STEP_MIN * 60 };
  });
  return new Inventory(devices, parsed.value);
}

/** Every device up, except a random 2-hour outage per device per day in about a tenth of the days. */
function* statusBatches(inv: Inventory, from: number, to: number): Generator<Point[]> {
  const r = rng(11);
  const outages = new Map(inv.devices.map((d) => [d.id, Array.from({ length: DAYS }, (_v, day) => (r() < 0.1 ? from + day * 86_400_000 + Math.floor(r() * 22) * HOUR : -1))]));
  const step = STEP_MIN * 60_000;
  for (let t = from; t < to; t += 12 * step) {
    const batch: Point[] = [];
    for (let k = 0; k < 12 && t + k * step < to; k++) {
      const time = t + k * step;
      for (const d of inv.devices) {
        const down = outages.get(d.id)!.some((s) => s >= 0 && time >= s && time < s + 2 * HOUR);
        batch.push({ measurement: 'device_status', tags: { device: d.id, site: d.site, area: d.area, tech: d.tech, source: d.tech === 'fibre' ? 'snmp' : 'mqtt' }, fields: { up: down ? 0 : 1 }, time });
      }
    }
    yield batch;
  }
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}


/** The same four ratios as the wall-clock ones, of influxd CPU: against the kept baseline and like for like. */
function cpuRatios(c: Record<string, number>): Record<string, number | null> {
  const r = (a: string, b: string): number | null => (c[b]! > 0 ? Number((c[a]! / c[b]!).toFixed(2)) : null);
  return {
    uptime_area_vs_store_rollup: r('api_uptime_area', 'store_rollup_sums_by_area'),
    coverage_vs_store_rollup: r('api_coverage', 'store_rollup_sums_by_area'),
    like_for_like_uptime_area_vs_store_rollup_3sums_by_area: r('api_uptime_area', 'store_rollup_3sums_by_area'),
    like_for_like_coverage_vs_store_rollup_2sums_by_device: r('api_coverage', 'store_rollup_2sums_by_device'),
  };
}

async function openStore(kind: string, ctx: BenchContext): Promise<{ store: MetricStore; dispose(): Promise<void> }> {
  if (kind === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netatlas-bench-api-'));
    const store = new SqliteStore({ dataDir: dir });
    await store.init();
    return { store, dispose: async () => { await store.close(); fs.rmSync(dir, { recursive: true, force: true }); } };
  }
  const database = `netatlas_bench_api_${randomBytes(4).toString('hex')}`;
  const store = new InfluxStore({ url: ctx.influxUrl, database, timeoutMs: 120_000 });
  await store.init();
  return {
    store,
    dispose: async () => {
      await fetch(new URL('/query', ctx.influxUrl), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ q: `DROP DATABASE "${database}"` }).toString() });
    },
  };
}

async function benchStore(kind: string, ctx: BenchContext, inv: Inventory): Promise<Record<string, unknown>> {
  const { store, dispose } = await openStore(kind, ctx);
  try {
    const now = Math.floor(Date.now() / HOUR) * HOUR - HOUR;
    const from = now - DAYS * 86_400_000;
    let points = 0;
    const writeMs = await timed(async () => {
      for (const batch of statusBatches(inv, from, now)) { await store.write(batch); points += batch.length; }
    });
    ctx.log(`${kind}: wrote ${points} status points in ${(writeMs / 1000).toFixed(1)} s`);
    const rollupMs = await timed(() => rollupRange(store, inv.all(), from, now, { fibreS: STEP_MIN * 60, wifiS: STEP_MIN * 60 }));
    ctx.log(`${kind}: hourly rollups of ${DAYS} days in ${(rollupMs / 1000).toFixed(1)} s`);
    const app = createApp({
      store, now: () => now,
      api: { store, inventory: () => inv, now: () => now, auth: {}, intervals: { fibreS: STEP_MIN * 60, wifiS: STEP_MIN * 60 }, coverageCache: new CoverageCache(), avgHouseholdSize: 2.14 },
    });
    const window = `from=${new Date(from).toISOString()}&to=${new Date(now).toISOString()}`;
    const uptimeWindow = { devices: inv.all(), from, to: now, now, intervals: { fibreS: STEP_MIN * 60, wifiS: STEP_MIN * 60 } };
    const sides: Record<string, () => Promise<unknown>> = {
      api_coverage: async () => { const r = await request(app).get(`/api/coverage?${window}`); if (r.status !== 200) throw new Error(`coverage ${r.status}`); },
      api_uptime_area: async () => { const r = await request(app).get(`/api/uptime?${window}&groupBy=area`); if (r.status !== 200) throw new Error(`uptime ${r.status}`); },
      store_rollup_sums_by_area: () => Promise.all(['up_s', 'down_s'].map((field) => store.queryAggregate({ measurement: 'device_status_hourly', retention: 'long', field, fn: 'sum', from, to: now, groupBy: ['area'] }))),
      // what /api/uptime's answer holds (maintenance and unknown time beside up and down) needs a third rolled field
      store_rollup_3sums_by_area: () => Promise.all(['up_s', 'down_s', 'maintenance_s'].map((field) => store.queryAggregate({ measurement: 'device_status_hourly', retention: 'long', field, fn: 'sum', from, to: now, groupBy: ['area'] }))),
      // what /api/coverage's live weights need: each device's up and down time
      store_rollup_2sums_by_device: () => Promise.all(['up_s', 'down_s'].map((field) => store.queryAggregate({ measurement: 'device_status_hourly', retention: 'long', field, fn: 'sum', from, to: now, groupBy: ['device'] }))),
      // the check that lets /api/uptime sum by area (status/group-uptimes.ts): the rolled series' device and area
      store_rollup_series_check: () => store.tagSets({ measurement: 'device_status_hourly', retention: 'long', from, to: now, keys: ['device', 'area'] }),
      // the two paths of /api/uptime?groupBy=area side by side in the same run, without HTTP: the
      // store's sums by area (with the series check), and per device then summed (the path before it)
      status_uptime_area_grouped: () => groupedUptimes(store, uptimeWindow, 'area'),
      status_uptime_area_per_device: async () => {
        const u = await deviceUptimes(store, uptimeWindow);
        const byArea = new Map<string, typeof inv.devices[number][]>();
        for (const d of inv.all()) byArea.set(d.area, [...(byArea.get(d.area) ?? []), d]);
        return [...byArea.values()].map((members) => groupUptime(members.map((d) => ({ result: u.byDevice.get(d.id)! }))));
      },
      store_raw_mean_up_by_area: () => store.queryAggregate({ measurement: 'device_status', field: 'up', fn: 'mean', from, to: now, groupBy: ['area'] }),
    };
    for (const fn of Object.values(sides)) await fn(); // warm-up (coverage geometry cache, statement cache)
    // which path /api/uptime?groupBy=area takes here: the store's sums by area, or per device (status/group-uptimes.ts)
    const grouped = await groupedUptimes(store, uptimeWindow, 'area');
    const times: Record<string, number[]> = Object.fromEntries(Object.keys(sides).map((k) => [k, []]));
    const cpu: Record<string, number[]> = Object.fromEntries(Object.keys(sides).map((k) => [k, []]));
    const pid = kind === 'influxdb' ? influxdPid() : undefined;
    const names = Object.keys(sides);
    for (let run = 0; run < RUNS; run++) {
      const order = run % 2 === 0 ? names : [...names].reverse();
      for (const name of order) {
        const before = pid === undefined ? 0 : cpuSeconds(pid);
        times[name]!.push(await timed(sides[name]!));
        if (pid !== undefined) cpu[name]!.push(1000 * (cpuSeconds(pid) - before));
      }
    }
    const med = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, Number(median(v).toFixed(2))]));
    const cpuMed = pid === undefined ? undefined : Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, Number(median(v).toFixed(0))]));
    return {
      points, write_s: Number((writeMs / 1000).toFixed(1)), rollup_s: Number((rollupMs / 1000).toFixed(1)),
      uptime_area_path: grouped ? grouped.via : 'per device',
      median_ms: med,
      // influxd's user + system CPU per call (10 ms ticks), median; absent on SQLite or without one local influxd
      ...(cpuMed ? { influxd_cpu_ms_median: cpuMed, influxd_cpu_ratios: cpuRatios(cpuMed) } : {}),
      ratio_coverage_vs_store_rollup: Number((med['api_coverage']! / med['store_rollup_sums_by_area']!).toFixed(2)),
      ratio_uptime_area_vs_store_rollup: Number((med['api_uptime_area']! / med['store_rollup_sums_by_area']!).toFixed(2)),
      ratio_uptime_area_vs_store_rollup_3sums: Number((med['api_uptime_area']! / med['store_rollup_3sums_by_area']!).toFixed(2)),
      like_for_like: {
        uptime_area: { baseline: 'store_rollup_3sums_by_area', ratio: Number((med['api_uptime_area']! / med['store_rollup_3sums_by_area']!).toFixed(2)) },
        coverage: { baseline: 'store_rollup_2sums_by_device', ratio: Number((med['api_coverage']! / med['store_rollup_2sums_by_device']!).toFixed(2)) },
      },
      // the grouped path's store work over the per-device path's, paired in this run
      uptime_area_grouped_vs_per_device: {
        wall: Number((med['status_uptime_area_grouped']! / med['status_uptime_area_per_device']!).toFixed(2)),
        ...(cpuMed && cpuMed['status_uptime_area_per_device']! > 0 ? { influxd_cpu: Number((cpuMed['status_uptime_area_grouped']! / cpuMed['status_uptime_area_per_device']!).toFixed(2)) } : {}),
      },
      ratio_uptime_area_vs_store_raw: Number((med['api_uptime_area']! / med['store_raw_mean_up_by_area']!).toFixed(3)),
    };
  } finally {
    await dispose();
  }
}

const bench: Benchmark = {
  name: 'api-latency',
  description: `GET /api/coverage and /api/uptime?groupBy=area over ${DEVICES} devices × ${DAYS} days (status every ${STEP_MIN} min) vs the bare store aggregate`,
  async run(ctx) {
    const inv = benchInventory();
    const out: Record<string, unknown> = { devices: DEVICES, days: DAYS, step_min: STEP_MIN, runs: RUNS };
    for (const kind of STORES) out[kind] = await benchStore(kind, ctx, inv);
    return out;
  },
};
export default bench;

/** The brief's entry point: run this benchmark alone. */
export async function run(): Promise<object> {
  const { requireInflux, services } = await import('../helpers/services.js');
  return bench.run({ influxUrl: await requireInflux(services.influxUrl), budgetMs: 600_000, log: (m) => process.stderr.write(`  api-latency: ${m}\n`) });
}
