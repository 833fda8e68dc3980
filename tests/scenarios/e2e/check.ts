/**
 * Reads an end-to-end run back from its store the way the API does (rawUptimes, incidents from
 * raw samples and collector liveness) and compares it with the scenario's hand-computed figures
 * scaled to the run's clock, within 0.1 % of the window plus a fixed tolerance.
 */
import { expect } from 'vitest';
import { rawUptimes } from '../../../server/status/index.js';
import type { MetricStore } from '../../../server/store/metric-store.js';
import type { Device } from '../../../core/device.js';
import type { Span } from '../../../server/analytics/intervals.js';
import type { DefaultIntervals } from '../../../server/status/index.js';
import { maintenanceLookup, storeIncidents } from '../stores.js';
import type { Scenario } from '../types.js';

export interface RunRecord {
  t0: number;
  devices: Device[];
  intervals: DefaultIntervals;
  maintenance: Map<string, Span[]>;
}

export async function checkRun(s: Scenario, run: RunRecord, store: MetricStore, scale: number, toleranceMs: number, storeName: string): Promise<void> {
  const from = run.t0 + s.window.from * scale, to = run.t0 + s.window.to * scale;
  const tol = 0.001 * (to - from) + toleranceMs;
  const maintenance = maintenanceLookup(run.maintenance);
  const got = await rawUptimes(store, { devices: run.devices, from, to, now: to, intervals: run.intervals, maintenance });
  const incidents = await storeIncidents(store, run.devices, run.intervals, from, to, maintenance);
  const measured: Record<string, unknown> = {};
  for (const [id, r] of got) {
    measured[id] = {
      up_ms: r.up_ms, down_ms: r.down_ms, unknown_ms: r.unknown_ms, maintenance_ms: r.maintenance_ms,
      incidents: incidents.get(id)!.map((i) => [i.start - run.t0, i.end === null ? null : i.end - run.t0, i.duration_ms]),
    };
  }
  // the figures measured end to end, for the record (CI logs)
  console.log(`e2e ${s.name} on ${storeName} (× ${scale}, window ${to - from} ms, ± ${tol} ms):`, JSON.stringify(measured));
  for (const [id, e] of Object.entries(s.expected)) {
    const r = got.get(id)!;
    const list = incidents.get(id)!;
    for (const k of ['up_ms', 'down_ms', 'unknown_ms', 'maintenance_ms'] as const) {
      expect(Math.abs(r[k] - e[k] * scale), `${storeName} ${id} ${k}: measured ${r[k]}, expected ${e[k]} × ${scale} = ${e[k] * scale} (± ${tol})`).toBeLessThanOrEqual(tol);
    }
    expect(list.length, `${storeName} ${id}: incidents ${JSON.stringify(measured[id])}`).toBe(e.incidents.length);
    e.incidents.forEach((want, i) => {
      const g = list[i]!;
      expect(Math.abs(g.start - run.t0 - want.start * scale), `${storeName} ${id} incident ${i} start`).toBeLessThanOrEqual(tol);
      if (want.end === null) expect(g.ongoing, `${storeName} ${id} incident ${i} ongoing`).toBe(true);
      else expect(Math.abs(g.end! - run.t0 - want.end * scale), `${storeName} ${id} incident ${i} end`).toBeLessThanOrEqual(tol);
    });
  }
}
