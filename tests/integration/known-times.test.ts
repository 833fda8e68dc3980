/**
 * deviceKnownTimes (coverage's read: up and down time only, the rolled hours' maintenance not
 * asked of the store) gives deviceUptimes' up, down and uptime, on SQLite and the real InfluxDB,
 * with a maintenance window in the rolled hours and in the raw part.
 *
 * The seeded data set of api-fixture.ts over its whole window [T0, NOW) = 600 min, with one
 * maintenance window on f2 over 130..190 min (applied by the rollups and by the raw part alike).
 * Hand-computed (minutes):
 *   f1 up all along: up 600, down 0 → 1
 *   f2 up 0..130, then down until now, 130..190 maintenance: up 130, down 470 − 60 = 410 → 130/540
 *   f3 up 0..85 (last up at 60 holds 25), unknown 85..180, down 180..200, up 200..600:
 *      up 85 + 400 = 485, down 20 → 485/505
 *   f4 never seen: up 0, down 0 → null
 *   w1 up all along but its collector was disconnected 300..360 (unknown): up 540, down 0 → 1
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Device } from '../../core/device.js';
import { deviceKnownTimes, deviceUptimes, type UptimeWindow } from '../../server/status/device-uptimes.js';
import { rollupRange } from '../../server/rollups.js';
import type { MetricStore } from '../../server/store/metric-store.js';
import { HOUR, MIN, NOW, STORES, T0, fixtureInventory, fixturePoints } from './api-fixture.js';

const inv = fixtureInventory();
const intervals = { fibreS: 600, wifiS: 600 };
const mw = { start: T0 + 130 * MIN, end: T0 + 190 * MIN };
const maintenance = (d: Device, from: number, to: number): { start: number; end: number }[] =>
  (d.id === 'f2' && mw.end > from && mw.start < to ? [{ start: Math.max(from, mw.start), end: Math.min(to, mw.end) }] : []);
const window: UptimeWindow = { devices: inv.all(), from: T0, to: NOW, now: NOW, intervals, maintenance };

const expected: Record<string, { up_ms: number; down_ms: number; uptime: number | null }> = {
  f1: { up_ms: 600 * MIN, down_ms: 0, uptime: 1 },
  f2: { up_ms: 130 * MIN, down_ms: 410 * MIN, uptime: 130 / 540 },
  f3: { up_ms: 485 * MIN, down_ms: 20 * MIN, uptime: 485 / 505 },
  f4: { up_ms: 0, down_ms: 0, uptime: null },
  w1: { up_ms: 540 * MIN, down_ms: 0, uptime: 1 },
};

describe.each(STORES)('deviceKnownTimes on $name', (kind) => {
  let store: MetricStore, dispose: () => Promise<void>;
  beforeAll(async () => {
    ({ store, dispose } = await kind.open());
    await store.write(fixturePoints(inv));
  });
  afterAll(async () => { await dispose(); });

  async function check(rollupMs: number): Promise<void> {
    const [known, full] = await Promise.all([deviceKnownTimes(store, window), deviceUptimes(store, window)]);
    expect(known.sources).toEqual({ rollup_ms: rollupMs, raw_ms: 10 * HOUR - rollupMs });
    expect(known.sources).toEqual(full.sources);
    for (const d of inv.all()) {
      const k = known.byDevice.get(d.id)!, f = full.byDevice.get(d.id)!;
      expect(k, d.id).toEqual({ up_ms: f.up_ms, down_ms: f.down_ms, uptime: f.uptime });
      expect(k.up_ms, d.id).toBe(expected[d.id]!.up_ms);
      expect(k.down_ms, d.id).toBe(expected[d.id]!.down_ms);
      if (expected[d.id]!.uptime === null) expect(k.uptime, d.id).toBeNull();
      else expect(k.uptime, d.id).toBeCloseTo(expected[d.id]!.uptime!, 12);
    }
    // the maintenance that deviceKnownTimes does not read is really in the answer's sources
    expect(full.byDevice.get('f2')!.maintenance_ms).toBe(60 * MIN);
  }

  it('gives the raw computation\'s figures with the first 6 hours rolled up (maintenance in hours 2 and 3)', async () => {
    await rollupRange(store, inv.all(), T0, T0 + 6 * HOUR, intervals, maintenance);
    await check(6 * HOUR);
  });

  it('and with every hour rolled up (no raw part)', async () => {
    await rollupRange(store, inv.all(), T0 + 6 * HOUR, NOW, intervals, maintenance);
    await check(10 * HOUR);
  });
});
