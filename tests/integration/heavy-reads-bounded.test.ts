/**
 * Issue 14 item 2, the bounded and off-thread reads, on the embedded SQLite store:
 * - GET /api/incidents with its default order reads only as far as its first `limit` incidents
 *   need (server/status/first-incidents.ts), with the same answer as the whole-window read;
 * - the heavy-reads worker pool (server/heavy/) gives the same uptimes, incidents and hourly
 *   rollups as the same reads in the API's thread, maintenance windows included.
 *
 * Ten days from D0 (midnight UTC twelve days ago), NOW = D0 + 10 d. Four fibre nodes (intervalS
 * 600, 100 households passed each) report every 600 s from D0 to D0 + 10 d − 600 s: 1 440 samples
 * each, 144 a day. The SNMP collector said `connected` once, before D0. Down samples (restated
 * every 600 s until the first up sample after them):
 *   f1: day 1 12:00 .. 13:50, up at 14:00   -> incident day 1 12:00, 2 h
 *   f2: day 2 06:00 .. day 8 05:50          -> incident day 2 06:00, 6 days
 *   f3: day 2 09:00 .. 09:50                -> incident day 2 09:00, 1 h
 *   f4: day 6 00:00 .. 00:50                -> incident day 6 00:00, 1 h
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { CoverageCache } from '../../server/analytics/coverage.js';
import type { ApiDeps } from '../../server/api/deps.js';
import { parseAreas } from '../../server/inventory/areas.js';
import { Inventory } from '../../server/inventory/inventory.js';
import type { DeviceInput } from '../../server/inventory/devices-schema.js';
import { windowIncidents, type Incident } from '../../server/status/index.js';
import { byStart, firstIncidents } from '../../server/status/first-incidents.js';
import { deviceUptimes } from '../../server/status/device-uptimes.js';
import { groupedUptimes } from '../../server/status/group-uptimes.js';
import { HeavyPool } from '../../server/heavy/heavy-pool.js';
import { computeRollups } from '../../server/rollups.js';
import { MaintenanceWindows } from '../../server/maintenance/windows.js';
import { SqliteStore } from '../../server/store/sqlite-store.js';
import type { MetricStore, StatusQuery } from '../../server/store/metric-store.js';
import type { Point } from '../../core/point.js';

const S = 1000, MIN = 60 * S, HOUR = 60 * MIN, DAY = 24 * HOUR;
const D0 = Math.floor((Date.now() - 12 * DAY) / DAY) * DAY;
const NOW = D0 + 10 * DAY;
const at = (day: number, h: number, m = 0): number => D0 + day * DAY + h * HOUR + m * MIN;
const intervals = { fibreS: 60, wifiS: 60 };
const snmp = { host: '127.0.0.1', port: 1161, version: '2c' as const, community: 'public' };
const IDS = ['f1', 'f2', 'f3', 'f4'];
const DEVICES: DeviceInput[] = IDS.map((id) => ({ id, tech: 'fibre', site: 's', location: { lat: 50.85, lon: 4.31 }, snmp, householdsPassed: 100, intervalS: 600 }));
/** [device, first down sample, first up sample after it] */
const DOWN: [string, number, number][] = [['f1', at(1, 12), at(1, 14)], ['f2', at(2, 6), at(8, 6)], ['f3', at(2, 9), at(2, 10)], ['f4', at(6, 0), at(6, 1)]];

function inventory(): Inventory {
  const square = { type: 'Feature', properties: { id: 'a1', name: 'West', population: 2140, households: 1000 }, geometry: { type: 'Polygon', coordinates: [[[4.30, 50.84], [4.32, 50.84], [4.32, 50.86], [4.30, 50.86], [4.30, 50.84]]] } };
  const parsed = parseAreas({ type: 'FeatureCollection', features: [square] }, { avgHouseholdSize: 2.14 });
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return new Inventory(DEVICES, { areas: parsed.areas, householdsEstimated: false, avgHouseholdSize: 2.14 });
}

function points(): Point[] {
  // the legacy kind without heartbeats: connected until it says otherwise
  const p: Point[] = [{ measurement: 'collector_status', tags: { collector: 'snmp', instance: 's1' }, fields: { connected: 1 }, time: D0 - HOUR }];
  for (const id of IDS) {
    for (let t = D0; t < NOW; t += 600 * S) {
      const down = DOWN.some(([d, from, to]) => d === id && t >= from && t < to);
      p.push({ measurement: 'device_status', tags: { device: id, site: 's', area: 'a1', tech: 'fibre', source: 'snmp' }, fields: down ? { up: 0, reason: 'timeout' } : { up: 1 }, time: t });
    }
  }
  return p;
}

/** The real store, with the device_status rows it hands out counted. */
function counting(store: MetricStore): { store: MetricStore; rows: () => number; reset: () => void } {
  let rows = 0;
  const counted = new Proxy(store, {
    get(target, key, receiver) {
      if (key === 'statusSamples') return async (q: StatusQuery) => { const out = await target.statusSamples(q); rows += out.length; return out; };
      const v = Reflect.get(target, key, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  return { store: counted, rows: () => rows, reset: () => { rows = 0; } };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netatlas-heavy-bounded-'));
const inv = inventory();
let sqlite: SqliteStore;
beforeAll(async () => {
  sqlite = new SqliteStore({ dataDir: dir });
  await sqlite.init();
  await sqlite.write(points());
});
afterAll(async () => {
  await sqlite.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const row = (i: Incident): unknown[] => [i.device, i.start, i.end, i.duration_ms, i.ongoing, i.impact.impact_hours];

describe('the first incidents of a window, read only as far as they need', () => {
  it('equal the whole-window read sorted by start and cut, for every limit', async () => {
    const w = { devices: inv.all(), from: D0, to: NOW, now: NOW, intervals };
    const whole = (await windowIncidents(sqlite, w)).sort(byStart);
    // 100 households × hours down
    expect(whole.map(row)).toEqual([
      ['f1', at(1, 12), at(1, 14), 2 * HOUR, false, 200],
      ['f2', at(2, 6), at(8, 6), 6 * DAY, false, 100 * 144],
      ['f3', at(2, 9), at(2, 10), HOUR, false, 100],
      ['f4', at(6, 0), at(6, 1), HOUR, false, 100],
    ]);
    for (const n of [1, 2, 3, 4, 5]) expect((await firstIncidents(sqlite, w, n)).map(row), `limit ${n}`).toEqual(whole.slice(0, n).map(row));
  });

  it('reads 2 593 sample rows for the first 3 instead of the 5 760 of the whole window', async () => {
    const c = counting(sqlite);
    const w = { devices: inv.all(), from: D0, to: NOW, now: NOW, intervals };
    await windowIncidents(c.store, w);
    // 4 devices × 10 days × 144 samples a day
    expect(c.rows()).toBe(4 * 10 * 144);
    c.reset();
    await firstIncidents(c.store, w, 3);
    // days 0-2 of all 4 (f1, f2 and f3 known at the end of day 2: 4 × 3 × 144 = 1728), then f2
    // alone, still down, from day 3 until its run ends on day 8: its sample before day 3 (1) and
    // days 3-8 (6 × 144 = 864): 1728 + 1 + 864 = 2593
    expect(c.rows()).toBe(2593);
    c.reset();
    await firstIncidents(c.store, w, 1);
    // f1's run is over on day 1: days 0-1 of all 4 = 4 × 2 × 144
    expect(c.rows()).toBe(1152);
  });

  it('GET /api/incidents?limit=3 answers the first three from 2 593 rows; sort=duration still reads the whole window', async () => {
    const c = counting(sqlite);
    const deps: ApiDeps = { store: c.store, inventory: () => inv, now: () => NOW, auth: {}, intervals, coverageCache: new CoverageCache(), avgHouseholdSize: 2.14 };
    const app = createApp({ store: c.store, api: deps, now: () => NOW });
    const res = await request(app).get('/api/incidents').query({ from: new Date(D0).toISOString(), to: new Date(NOW).toISOString(), limit: 3 }).expect(200);
    expect(res.body.map((i: Record<string, unknown>) => [i['device'], i['start'], i['duration_ms']])).toEqual([
      ['f1', new Date(at(1, 12)).toISOString(), 2 * HOUR], ['f2', new Date(at(2, 6)).toISOString(), 6 * DAY], ['f3', new Date(at(2, 9)).toISOString(), HOUR],
    ]);
    expect(c.rows()).toBe(2593);
    c.reset();
    // the longest first needs every run: f2 (6 d), f1 (2 h), then f3 and f4 (1 h, by start)
    const longest = await request(app).get('/api/incidents').query({ from: new Date(D0).toISOString(), to: new Date(NOW).toISOString(), limit: 3, sort: 'duration' }).expect(200);
    expect(longest.body.map((i: Record<string, unknown>) => i['device'])).toEqual(['f2', 'f1', 'f3']);
    expect(c.rows()).toBe(4 * 10 * 144);
  });
});

describe('the heavy-reads worker pool', () => {
  it('gives the same uptimes, incidents and rollups as the API thread, maintenance windows included', async () => {
    // f3's outage half in a maintenance window: 09:30-10:30 on day 2
    const windows = [{ id: 'm1', device: 'f3', start: new Date(at(2, 9, 30)).toISOString(), end: new Date(at(2, 10, 30)).toISOString() }];
    const mw = new MaintenanceWindows({ configured: windows });
    // as the service builds it: tasks over the inventory's own devices carry indices (shared-devices.ts)
    const pool = new HeavyPool({ store: { dataDir: dir }, threads: 1, logLevel: 'silent', maintenanceWindows: () => windows, inventory: () => inv.all() });
    try {
      const w = { devices: inv.all(), from: D0, to: NOW, now: NOW, intervals };
      const here = { ...w, maintenance: (d: { id: string; site: string; area: string }, from: number, to: number) => mw.spansFor(d, from, to) };
      const [poolUptimes, hereUptimes] = [await pool.uptimes(w), await deviceUptimes(sqlite, here)];
      expect(poolUptimes).toEqual(hereUptimes);
      // f3: down 09:00-09:30 (the rest of its outage is maintenance), 30 min of maintenance
      expect(poolUptimes.byDevice.get('f3')).toMatchObject({ down_ms: 30 * MIN, maintenance_ms: 60 * MIN });
      const [poolIncidents, hereIncidents] = [await pool.incidents(w), await windowIncidents(sqlite, here)];
      expect(poolIncidents.sort(byStart).map(row)).toEqual(hereIncidents.sort(byStart).map(row));
      expect(poolIncidents.find((i) => i.device === 'f3')).toMatchObject({ start: at(2, 9), duration_ms: 30 * MIN });
      expect((await pool.incidents({ ...w, firstN: 2 })).map(row)).toEqual(hereIncidents.slice(0, 2).map(row));
      // the hourly rollups of day 2, as the rollup job computes them with the workers
      const rolled = await pool.rollups({ devices: inv.all(), from: at(2, 0), to: at(3, 0), intervals });
      expect(rolled).toEqual(await computeRollups(sqlite, inv.all(), at(2, 0), at(3, 0), intervals, here.maintenance));
      // f3 at 09:00: down 09:00-09:30, maintenance 09:30-10:00; 4 devices × 24 hours
      expect(rolled.length).toBe(96);
      expect(rolled.find((p) => p.tags['device'] === 'f3' && p.time === at(2, 9))?.fields).toEqual({ up_s: 0, down_s: 1800, maintenance_s: 1800, unknown_s: 0 });
      // with day 2 rolled up, uptime per area sums its rolled hours in the store: in the workers as here
      await sqlite.writeRollups(rolled);
      const [poolGrouped, hereGrouped] = [await pool.groupedUptimes({ ...w, tag: 'area' }), await groupedUptimes(sqlite, here, 'area')];
      expect(poolGrouped).toBeDefined();
      expect(poolGrouped).toEqual(hereGrouped);
      // f3's area: f3's 60 min of maintenance (09:30-10:30, in the rolled day 2), the only window
      expect(poolGrouped!.byGroup.get(inv.byId('f3')!.area)!.maintenance_ms).toBe(60 * MIN);
      expect(poolGrouped!.sources.rollup_ms).toBe(24 * 60 * MIN);
      // a subset of the inventory (by index), and copies of its devices (not the inventory's objects:
      // posted whole) give the API thread's answers too
      const subset = inv.all().filter((d) => d.id === 'f3' || d.id === 'f1');
      const copies = subset.map((d) => ({ ...d }));
      for (const devices of [subset, copies]) {
        const [poolSub, hereSub] = [await pool.uptimes({ ...w, devices }), await deviceUptimes(sqlite, { ...here, devices })];
        expect([...poolSub.byDevice.keys()].sort()).toEqual(['f1', 'f3']);
        expect(poolSub).toEqual(hereSub);
      }
    } finally {
      await pool.close();
    }
  });
});
