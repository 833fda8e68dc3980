/**
 * The two real stores the scenarios run on: SQLite in a temp dir, and a database of its own on the
 * test InfluxDB (tests/services/start), dropped afterwards. Plus the reads the API makes.
 */
import type { MetricStore } from '../../server/store/metric-store.js';
import { storeKinds } from '../helpers/test-stores.js';
import type { Device } from '../../core/device.js';
import { clip, type Span } from '../../server/analytics/intervals.js';
import {
  collectorDownSpans, collectorOf, deviceIncidents, intervalMsOf, maxIntervalMs, type DefaultIntervals, type Incident,
} from '../../server/status/index.js';

export type { OpenStore, StoreKind } from '../helpers/test-stores.js';

export const STORE_KINDS = storeKinds('scenario');

/** A maintenance lookup as server/maintenance gives the API and the rollups. */
export function maintenanceLookup(spans: ReadonlyMap<string, Span[]>): (device: Device, from: number, to: number) => Span[] {
  return (device, from, to) => clip(spans.get(device.id) ?? [], from, to);
}

/** Incidents over [from, to) read from the store as /api/incidents reads them (status samples, collector liveness). */
export async function storeIncidents(
  store: MetricStore, devices: readonly Device[], intervals: DefaultIntervals, from: number, to: number,
  maintenance: (device: Device, from: number, to: number) => Span[],
): Promise<Map<string, Incident[]>> {
  const [samples, down] = await Promise.all([
    store.statusSamples({ from, to, devices: devices.map((d) => d.id), includePrevious: true }),
    collectorDownSpans(store, from, to, maxIntervalMs(devices, intervals)),
  ]);
  const out = new Map<string, Incident[]>();
  for (const d of devices) {
    out.set(d.id, deviceIncidents({
      samples: samples.filter((s) => s.device === d.id), from, to, now: to, intervalMs: intervalMsOf(d, intervals),
      collectorDown: down.get(collectorOf(d)) ?? [], maintenance: maintenance(d, from, to),
    }, { device: d.id, tech: d.tech, area: d.area }));
  }
  return out;
}
