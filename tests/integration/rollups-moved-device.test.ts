/**
 * A device that moves (the inventory gives it another area) while the rollup job keeps rolling
 * its last hours again: the hour rolled again is written under the new tags, a new series, and
 * the row under the old tags must go, or the device's hour counts twice (server/rollups.ts
 * dropRowsUnderOldTags). Before the fix, this history read 4 h of up time in the 3 h window and
 * -1 h of unknown time. Hours not rolled again keep the tags they were rolled with (the device was
 * in area A then).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rollupRange } from '../../server/rollups.js';
import { deviceUptimes } from '../../server/status/device-uptimes.js';
import type { MetricStore } from '../../server/store/metric-store.js';
import type { Device } from '../../core/device.js';
import type { Point } from '../../core/point.js';
import { storeKinds } from '../helpers/test-stores.js';

const HOUR = 3_600_000;
// three whole hours, 30 and 31 hours before a fixed hour in the past
const T0 = Math.floor(Date.now() / HOUR) * HOUR - 30 * HOUR;
const intervals = { fibreS: 60, wifiS: 60 };
const inA: Device = { id: 'olt-moved', tech: 'fibre', site: 's1', area: 'A', location: { lat: 50.85, lon: 4.35 }, intervalS: 60 };
const inB: Device = { ...inA, area: 'B' };
const other: Device = { ...inA, id: 'olt-still', area: 'A' };

/** up every minute from an hour before T0 to 4 hours after it */
function samples(d: Device): Point[] {
  const out: Point[] = [];
  for (let t = T0 - HOUR; t < T0 + 4 * HOUR; t += 60_000) out.push({ measurement: 'device_status', tags: { device: d.id, site: d.site, area: d.area, tech: d.tech, source: 'snmp' }, fields: { up: 1 }, time: t });
  return out;
}

describe.each(storeKinds('rollup_move'))('rollups of a device that moved: $name', (kind) => {
  let store: MetricStore, dispose: () => Promise<void>;
  beforeAll(async () => {
    ({ store, dispose } = await kind.open());
    await store.write([...samples(inA), ...samples(other)]);
    // the job rolls hours 0..2 while the device is in A, then it moves to B and the job rolls
    // hour 2 again (its recomputeHours)
    await rollupRange(store, [inA, other], T0, T0 + 3 * HOUR, intervals);
    await rollupRange(store, [inB, other], T0 + 2 * HOUR, T0 + 3 * HOUR, intervals);
  });
  afterAll(async () => { await dispose(); });

  it('counts the hour rolled again once: 3 h up in the 3 h window, no unknown time', async () => {
    const u = await deviceUptimes(store, { devices: [inB, other], from: T0, to: T0 + 3 * HOUR, now: T0 + 5 * HOUR, intervals });
    expect(u.sources).toEqual({ rollup_ms: 3 * HOUR, raw_ms: 0 });
    for (const id of ['olt-moved', 'olt-still']) {
      expect({ id, ...u.byDevice.get(id) }).toEqual({ id, up_ms: 3 * HOUR, down_ms: 0, maintenance_ms: 0, unknown_ms: 0, counted_ms: 3 * HOUR, uptime: 1 });
    }
  });

  it('keeps hours 0 and 1 under area A, where the device was, and hour 2 under B only', async () => {
    const rows = await store.querySeries({ measurement: 'device_status_hourly', retention: 'long', from: T0, to: T0 + 3 * HOUR, where: { device: 'olt-moved' }, fields: ['up_s'] });
    expect(rows.map((r) => [(r.time - T0) / HOUR, r.tags['area'], r.fields['up_s']])).toEqual([[0, 'A', 3600], [1, 'A', 3600], [2, 'B', 3600]]);
    // the device that did not move keeps its three rows
    const still = await store.querySeries({ measurement: 'device_status_hourly', retention: 'long', from: T0, to: T0 + 3 * HOUR, where: { device: 'olt-still' }, fields: ['up_s'] });
    expect(still).toHaveLength(3);
  });
});
