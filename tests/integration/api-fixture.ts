/**
 * The seeded data set of the API tests, small enough that every answer is computed by hand in
 * the tests. Times are minutes after T0 (a whole hour two days ago, inside InfluxDB's raw
 * retention); the clock of the app is fixed at NOW = T0 + 600 min. Every device reports every
 * 10 min (intervalS 600): an up sample holds 25 min (2.5 intervals) at most, and a down is
 * restated every 10 min like the collectors do (a down not restated would also end after 25 min).
 * The collector_status points here are the legacy kind without heartbeats (connected=0 until the
 * next connected=1); api-status.test.ts writes heartbeats as the collectors now do.
 *
 * Areas (squares of 0.02° × 0.02°, side by side west to east):
 *   a1 "West"   lon 4.30..4.32  households 1000
 *   a2 "Middle" lon 4.32..4.34  households 500
 *   a3 "East"   lon 4.34..4.36  households 300 — no devices
 * Devices:
 *   f1 fibre a1 site s1, 400 households passed (FTTH): up all along
 *   f2 fibre a1 site s1, 100 households passed (FTTH): up 0..130, then down until now (ongoing)
 *   f3 fibre a2 site s2, 200 households passed (FTTH): up 0..60 (holds to 85), silent 85..180
 *      (unknown), down 180..200, up 200..600
 *   f4 fibre a2 site s2, no households figure: never seen (unknown all along)
 *   w1 wifi AP exactly on the a1/a2 border (lon 4.32), site ws, radius 50 m: up all along, but the
 *      MQTT collector was disconnected 300..360 (unknown)
 */
import type { Express } from 'express';
import { afterAll, beforeAll } from 'vitest';
import { createApp } from '../../server/app.js';
import { CoverageCache } from '../../server/analytics/coverage.js';
import { parseAreas } from '../../server/inventory/areas.js';
import { Inventory } from '../../server/inventory/inventory.js';
import type { DeviceInput } from '../../server/inventory/devices-schema.js';
import type { ApiDeps } from '../../server/api/deps.js';
import type { MetricStore } from '../../server/store/metric-store.js';
import type { Point } from '../../core/point.js';
import { storeKinds } from '../helpers/test-stores.js';

export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const T0 = Math.floor((Date.now() - 2 * 86_400_000) / HOUR) * HOUR;
export const NOW = T0 + 600 * MIN;

function square(id: string, name: string, x0: number, x1: number, households: number): unknown {
  const [y0, y1] = [50.84, 50.86];
  return {
    type: 'Feature',
    properties: { id, name, population: Math.round(households * 2.14), households },
    geometry: { type: 'Polygon', coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]] },
  };
}

const snmp = { host: '127.0.0.1', port: 1161, version: '2c' as const, community: 'public' };

export const DEVICES: DeviceInput[] = [
  { id: 'f1', tech: 'fibre', site: 's1', location: { lat: 50.85, lon: 4.31 }, snmp, householdsPassed: 400, accessTech: 'ftth', intervalS: 600 },
  { id: 'f2', tech: 'fibre', site: 's1', location: { lat: 50.845, lon: 4.305 }, snmp, householdsPassed: 100, accessTech: 'ftth', intervalS: 600 },
  { id: 'f3', tech: 'fibre', site: 's2', location: { lat: 50.85, lon: 4.33 }, snmp, householdsPassed: 200, accessTech: 'ftth', intervalS: 600 },
  { id: 'f4', tech: 'fibre', site: 's2', location: { lat: 50.855, lon: 4.335 }, snmp, intervalS: 600 },
  { id: 'w1', tech: 'wifi', site: 'ws', location: { lat: 50.85, lon: 4.32 }, radiusM: 50, intervalS: 600 },
];

export function fixtureInventory(): Inventory {
  const parsed = parseAreas({ type: 'FeatureCollection', features: [square('a1', 'West', 4.30, 4.32, 1000), square('a2', 'Middle', 4.32, 4.34, 500), square('a3', 'East', 4.34, 4.36, 300)] }, { avgHouseholdSize: 2.14 });
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return new Inventory(DEVICES, { areas: parsed.areas, householdsEstimated: false, avgHouseholdSize: 2.14 });
}

function status(inv: Inventory, id: string, minute: number, up: 0 | 1): Point {
  const d = inv.byId(id)!;
  return { measurement: 'device_status', tags: { device: id, site: d.site, area: d.area, tech: d.tech, source: d.tech === 'fibre' ? 'snmp' : 'mqtt' }, fields: { up }, time: T0 + minute * MIN };
}

const every10 = (from: number, to: number): number[] => Array.from({ length: Math.floor((to - from) / 10) + 1 }, (_v, i) => from + 10 * i);

export function fixturePoints(inv: Inventory): Point[] {
  const p: Point[] = [];
  for (const m of every10(0, 590)) p.push(status(inv, 'f1', m, 1));
  for (const m of every10(0, 120)) p.push(status(inv, 'f2', m, 1));
  for (const m of every10(130, 590)) p.push(status(inv, 'f2', m, 0));
  for (const m of every10(0, 60)) p.push(status(inv, 'f3', m, 1));
  for (const m of [180, 190]) p.push(status(inv, 'f3', m, 0));
  for (const m of every10(200, 590)) p.push(status(inv, 'f3', m, 1));
  for (const m of every10(0, 590)) p.push(status(inv, 'w1', m, 1));
  for (const m of every10(0, 590)) p.push({ measurement: 'wifi_ap', tags: { device: 'w1', site: 'ws', area: 'a1' }, fields: { clients: 12 }, time: T0 + m * MIN });
  p.push({ measurement: 'collector_status', tags: { collector: 'mqtt', instance: 'c1' }, fields: { connected: 0 }, time: T0 + 300 * MIN });
  p.push({ measurement: 'collector_status', tags: { collector: 'mqtt', instance: 'c1' }, fields: { connected: 1 }, time: T0 + 360 * MIN });
  return p;
}

import type { StoreKind } from '../helpers/test-stores.js';
export type { StoreKind };
export const STORES = storeKinds('api_test');

export function fixtureDeps(store: MetricStore, inv: Inventory, extra: Partial<ApiDeps> = {}): ApiDeps {
  return {
    store, inventory: () => inv, now: () => NOW, auth: {}, intervals: { fibreS: 600, wifiS: 600 },
    coverageCache: new CoverageCache(), avgHouseholdSize: 2.14, ...extra,
  };
}

export function fixtureApp(store: MetricStore, inv: Inventory, extra: Partial<ApiDeps> = {}): Express {
  return createApp({ store, api: fixtureDeps(store, inv, extra), now: () => NOW });
}

/** A suite's fixture: the inventory, and a fresh store of its kind with the app on it (set before its tests). */
export interface SeededApi { inv: Inventory; store: MetricStore; app: Express }

/** Call inside a describe: opens `kind`'s store, writes the fixture points and builds the app before the suite's tests, disposes of the store after. */
export function seededApi(kind: StoreKind, extra: () => Partial<ApiDeps> = () => ({})): SeededApi {
  // the store and the app exist once beforeAll ran, which is before any test reads them
  const fx = { inv: fixtureInventory() } as SeededApi;
  let dispose: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const opened = await kind.open();
    dispose = opened.dispose;
    fx.store = opened.store;
    await fx.store.write(fixturePoints(fx.inv));
    fx.app = fixtureApp(fx.store, fx.inv, extra());
  });
  afterAll(async () => { await dispose?.(); });
  return fx;
}

export const q = (params: Record<string, string | number>): string => new URLSearchParams(Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)]))).toString();
export const isoAt = (minute: number): string => new Date(T0 + minute * MIN).toISOString();
