/**
 * Seeded data for the map tests: the demo devices with a 5-minute status interval and a known
 * pattern of status over the last 6 hours, and a synthetic inventory of N devices for scale.
 */
import type { DeviceInput } from '../../server/inventory/devices-schema.js';
import type { Inventory } from '../../server/inventory/inventory.js';
import type { Point } from '../../core/point.js';
import type { SqliteStore } from '../../server/store/sqlite-store.js';
import { statusPoint } from './map-harness.js';

export const STEP_MS = 300_000;

/**
 * Device i of the inventory: i % 7 == 3 never reported (unknown); i % 10 == 0 is down for the
 * last 30 minutes (down now); i % 5 == 0 otherwise had an outage from 2 h to 1 h ago; the rest
 * were up. The newest sample of every reporting device is at `now`.
 */
export async function seedPattern(store: SqliteStore, inv: Inventory, now: number): Promise<void> {
  const points: Point[] = [];
  inv.all().forEach((d, i) => {
    if (i % 7 === 3) return;
    for (let t = now - 6 * 3_600_000; t <= now; t += STEP_MS) {
      const age = now - t;
      const up = i % 10 === 0 ? age > 30 * 60_000 : i % 5 === 0 ? !(age <= 2 * 3_600_000 && age > 3_600_000) : true;
      points.push(statusPoint(d, t, up));
    }
  });
  for (let k = 0; k < points.length; k += 5000) await store.write(points.slice(k, k + 5000));
}

/** the demo devices, reporting every 5 minutes (so a test's minutes do not make them stale) */
export function withInterval(devices: readonly DeviceInput[], intervalS: number): DeviceInput[] {
  return devices.map((d) => ({ ...d, intervalS }));
}

/** n wifi/fibre devices spread over the region's bounding box, deterministic */
export function syntheticDevices(n: number): DeviceInput[] {
  let seed = 12345;
  const rnd = (): number => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed / 2 ** 31; };
  return Array.from({ length: n }, (_, i): DeviceInput => {
    const location = { lat: 50.80 + rnd() * 0.1, lon: 4.29 + rnd() * 0.15 };
    return i % 4 === 0
      ? { id: `fn-${i}`, tech: 'fibre', site: `site-${i % 300}`, location, householdsPassed: 200, intervalS: 3600, snmp: { host: '127.0.0.1', port: 161, version: '2c', community: 'public' } }
      : { id: `ap-${i}`, tech: 'wifi', site: `site-${i % 300}`, location, radiusM: 50, intervalS: 3600 };
  });
}

/** one fresh status sample per device (every 13th down) */
export async function seedLatest(store: SqliteStore, inv: Inventory, now: number): Promise<void> {
  const points = inv.all().map((d, i) => statusPoint(d, now - 1000, i % 13 !== 0));
  for (let k = 0; k < points.length; k += 5000) await store.write(points.slice(k, k + 5000));
}
