/**
 * The scenarios through both real stores: the recorder's points are written to SQLite and to
 * InfluxDB, the hourly rollups are run (server/rollups.ts rollupRange), and the figures are read
 * back the way the API reads them:
 * - rawUptimes and the incidents from raw samples (status samples + collector liveness): equal
 *   to the hand-computed figures to the millisecond;
 * - deviceUptimes (what /api/uptime calls) over at least 3 whole hours, which reads every hour
 *   from `device_status_hourly`. Rollups hold whole seconds, rounded per hour, so these figures
 *   are compared with the pure computation within 1 s per rolled hour (and, for the scenario
 *   written about rollups, with its hand-computed hourly rows exactly).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectorDownSpans, maxIntervalMs, rawUptimes } from '../../server/status/index.js';
import { rollupRange } from '../../server/rollups.js';
import { deviceUptimes, ROLLUP_MEASUREMENT } from '../../server/status/device-uptimes.js';
import type { MetricStore } from '../../server/store/metric-store.js';
import type { UptimeResult } from '../../server/status/index.js';
import { SCENARIOS } from './cases/index.js';
import { figuresOf, relativeIncidents, relativeSpans } from './compute.js';
import { record, type Recording } from './recorder.js';
import { maintenanceLookup, STORE_KINDS, storeIncidents, type OpenStore } from './stores.js';
import { HOUR, type Scenario } from './types.js';

/** a clock-hour start far enough in the past that every rolled hour is over, within raw retention */
const T0 = Math.floor(Date.now() / HOUR) * HOUR - 8 * HOUR;

const pick = (r: UptimeResult): Record<string, number> => ({ up_ms: r.up_ms, down_ms: r.down_ms, unknown_ms: r.unknown_ms, maintenance_ms: r.maintenance_ms });

const cases = STORE_KINDS.flatMap((kind) => SCENARIOS.map((s) => [`${kind.name}: ${s.name}`, kind, s] as const));

describe.each(cases)('scenario (store) %s', (_name, kind, s: Scenario) => {
  let open: OpenStore, store: MetricStore, rec: Recording;
  const from = T0 + s.window.from, to = T0 + s.window.to;
  /** whole hours rolled up: those the window touches, and at least 3 so /api/uptime reads rollups */
  const hours = Math.max(3, Math.ceil(s.window.to / HOUR));

  beforeAll(async () => {
    open = await kind.open();
    store = open.store;
    rec = record(s, T0);
    for (let i = 0; i < rec.points.length; i += 5000) await store.write(rec.points.slice(i, i + 5000));
    const run = await rollupRange(store, rec.devices, T0, T0 + hours * HOUR, rec.intervals, maintenanceLookup(rec.maintenance));
    expect(run.points).toBe(hours * rec.devices.length);
  });
  afterAll(async () => { await open?.dispose(); });

  it('rawUptimes from the stored samples: the hand-computed figures, exact', async () => {
    const got = await rawUptimes(store, { devices: rec.devices, from, to, now: to, intervals: rec.intervals, maintenance: maintenanceLookup(rec.maintenance) });
    for (const [id, e] of Object.entries(s.expected)) {
      expect({ id, ...pick(got.get(id)!) }).toEqual({ id, up_ms: e.up_ms, down_ms: e.down_ms, unknown_ms: e.unknown_ms, maintenance_ms: e.maintenance_ms });
    }
  });

  it('incidents and collector dead spans from the store, exact', async () => {
    const got = await storeIncidents(store, rec.devices, rec.intervals, from, to, maintenanceLookup(rec.maintenance));
    for (const [id, e] of Object.entries(s.expected)) expect({ id, incidents: relativeIncidents(got.get(id)!, T0) }).toEqual({ id, incidents: e.incidents });
    const gaps = await collectorDownSpans(store, from, to, maxIntervalMs(rec.devices, rec.intervals));
    for (const c of ['mqtt', 'snmp'] as const) {
      const inWindow = (gaps.get(c) ?? []).filter((g) => g.end > from).map((g) => ({ start: Math.max(g.start, from), end: g.end }));
      expect({ c, gaps: relativeSpans(inWindow, T0) }).toEqual({ c, gaps: s.collectorGaps[c] });
    }
  });

  it(`deviceUptimes over ${hours} whole hours reads the rollups: the pure figures within 1 s per hour`, async () => {
    const end = T0 + hours * HOUR;
    const got = await deviceUptimes(store, { devices: rec.devices, from: T0, to: end, now: end, intervals: rec.intervals, maintenance: maintenanceLookup(rec.maintenance) });
    expect(got.sources).toEqual({ rollup_ms: hours * HOUR, raw_ms: 0 });
    const pure = figuresOf(rec, T0, end);
    const tolerance = 1000 * hours; // each hour's figures are rounded to whole seconds
    for (const d of rec.devices) {
      const g = got.byDevice.get(d.id)!, p = pure.uptime.get(d.id)!;
      for (const k of ['up_ms', 'down_ms', 'unknown_ms', 'maintenance_ms'] as const) {
        expect(Math.abs(g[k] - p[k]), `${d.id} ${k}: rollups ${g[k]}, pure ${p[k]}`).toBeLessThanOrEqual(tolerance);
      }
    }
  });

  if (s.hourly) {
    const hourly = s.hourly;
    it('the rollup rows are the hand-computed hourly figures, and /api/uptime over the window sums them', async () => {
      const rows = await store.querySeries({ measurement: ROLLUP_MEASUREMENT, retention: 'long', from: T0, to: T0 + hours * HOUR });
      for (const [id, want] of Object.entries(hourly)) {
        const got = rows.filter((r) => r.tags['device'] === id).sort((a, b) => a.time - b.time)
          .map((r) => ({ up_s: r.fields['up_s'], down_s: r.fields['down_s'], maintenance_s: r.fields['maintenance_s'], unknown_s: r.fields['unknown_s'] }));
        expect({ id, got }).toEqual({ id, got: want });
      }
      const api = await deviceUptimes(store, { devices: rec.devices, from, to, now: to, intervals: rec.intervals });
      for (const [id, e] of Object.entries(s.expected)) {
        const sum = (k: 'up_s' | 'down_s') => 1000 * hourly[id]!.reduce((acc, h) => acc + h[k], 0);
        expect({ id, up_ms: api.byDevice.get(id)!.up_ms, down_ms: api.byDevice.get(id)!.down_ms }).toEqual({ id, up_ms: sum('up_s'), down_ms: sum('down_s') });
        // the rounded hours stay within 1 s per hour of the exact figures
        expect(Math.abs(sum('up_s') - e.up_ms)).toBeLessThanOrEqual(1000 * hourly[id]!.length);
      }
    });
  }
});
