/**
 * The two real stores the scenarios run on: SQLite in a temp dir, and a database of its own on the
 * test InfluxDB (tests/services/start), dropped afterwards. Plus the reads the API makes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { SqliteStore } from '../../server/store/sqlite-store.js';
import { InfluxStore } from '../../server/store/influx-store.js';
import type { MetricStore } from '../../server/store/metric-store.js';
import type { Device } from '../../core/device.js';
import { clip, type Span } from '../../server/analytics/intervals.js';
import {
  collectorDownSpans, collectorOf, deviceIncidents, intervalMsOf, maxIntervalMs, type DefaultIntervals, type Incident,
} from '../../server/status/index.js';
import { requireInflux } from '../helpers/services.js';

export interface OpenStore {
  store: MetricStore;
  dispose(): Promise<void>;
}

export interface StoreKind {
  name: 'SQLite' | 'InfluxDB';
  open(): Promise<OpenStore>;
}

export const STORE_KINDS: StoreKind[] = [
  {
    name: 'SQLite',
    open: async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netatlas-scenario-'));
      const store = new SqliteStore({ dataDir: dir });
      await store.init();
      return { store, dispose: async () => { await store.close(); fs.rmSync(dir, { recursive: true, force: true }); } };
    },
  },
  {
    name: 'InfluxDB',
    open: async () => {
      const url = await requireInflux();
      const database = `netatlas_scenario_${process.pid}_${randomBytes(4).toString('hex')}`;
      const store = new InfluxStore({ url, database });
      await store.init();
      return {
        store,
        dispose: async () => {
          await store.close();
          await fetch(new URL('/query', url), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ q: `DROP DATABASE "${database}"` }).toString() });
        },
      };
    },
  },
];

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
