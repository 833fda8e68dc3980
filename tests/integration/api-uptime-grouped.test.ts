/**
 * GET /api/uptime?groupBy=area|site|tech with weight time asks the store for the rolled hours'
 * sums per group (server/status/group-uptimes.ts) when every rolled series belongs to an inventory
 * device under the group the inventory gives it now; otherwise it sums per device. Both paths
 * must answer byte for byte the same. The per-device answer is built here from deviceUptimes and
 * groupRows (what the route answered before the grouped path existed); a recording wrapper of the
 * real store tells which path the route took. Fixture: api-fixture.ts; hours 1..8 are rolled up,
 * the window [30, 600) min keeps 30 raw minutes at its start and the unrolled hour 540..600.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceUptimes } from '../../server/status/device-uptimes.js';
import { rollupRange } from '../../server/rollups.js';
import { groupRows } from '../../server/api/routes-uptime.js';
import { Inventory } from '../../server/inventory/inventory.js';
import type { AggregateQuery, MetricStore, SeriesQuery } from '../../server/store/metric-store.js';
import { GROUP_ROLLUP_MEASUREMENT } from '../../server/status/group-rollups.js';
import { DEVICES, HOUR, MIN, NOW, STORES, T0, fixtureApp, fixtureDeps, fixtureInventory, fixturePoints, isoAt, q } from './api-fixture.js';

const ms = (min: number): number => min * MIN;
const intervals = { fibreS: 600, wifiS: 600 };
const W = { from: isoAt(30), to: isoAt(600) };

/** the same store, recording the groupBy of each sum over the rollups, and each read of the group rows */
function recording(inner: MetricStore): { store: MetricStore; sums: string[] } {
  const sums: string[] = [];
  const store = Object.create(inner) as MetricStore;
  store.queryAggregate = (a: AggregateQuery) => {
    if (a.retention === 'long' && a.fn === 'sum') sums.push((a.groupBy ?? []).join(','));
    return inner.queryAggregate(a);
  };
  store.querySeries = (a: SeriesQuery) => {
    if (a.measurement === GROUP_ROLLUP_MEASUREMENT) sums.push(`group-rows:${a.where?.['by'] ?? ''}`);
    return inner.querySeries(a);
  };
  return { store, sums };
}

/** The fixture's inventory with some devices changed or removed (the rollups keep what they were rolled with). */
function changedInventory(change: (d: (typeof DEVICES)[number]) => (typeof DEVICES)[number] | undefined): Inventory {
  const base = fixtureInventory();
  const devices = DEVICES.map(change).filter((d): d is (typeof DEVICES)[number] => d !== undefined);
  return new Inventory(devices, { areas: [...base.areas], householdsEstimated: false, avgHouseholdSize: 2.14 });
}

describe.each(STORES)('uptime per group through the store\'s group sums: $name', (kind) => {
  let store: MetricStore, dispose: () => Promise<void>;
  const inv = fixtureInventory();

  beforeAll(async () => {
    ({ store, dispose } = await kind.open());
    await store.write(fixturePoints(inv));
    const run = await rollupRange(store, inv.all(), T0, T0 + 9 * HOUR, intervals);
    // hours 0..8 of 5 devices
    expect(run.points).toBe(45);
  });
  afterAll(async () => { await dispose(); });

  /** the route's answer with this inventory, the per-device answer's bytes, and the sums the route asked for */
  async function both(invNow: Inventory, groupBy: 'area' | 'site' | 'tech', weight: 'time' | 'households' = 'time'): Promise<{ text: string; perDevice: string; sums: string[]; headers: Record<string, string> }> {
    const r = recording(store);
    const res = await request(fixtureApp(r.store, invNow)).get(`/api/uptime?${q({ ...W, groupBy, weight })}`).expect(200);
    const u = await deviceUptimes(store, { devices: invNow.all(), from: T0 + ms(30), to: NOW, now: NOW, intervals });
    const perDevice = JSON.stringify(groupRows(fixtureDeps(store, invNow), invNow.all(), u.byDevice, groupBy, weight));
    return { text: res.text, perDevice, sums: r.sums, headers: res.headers as Record<string, string> };
  }

  it('reads the group rows when no device changed area, with the per-device answer\'s bytes', async () => {
    const a = await both(inv, 'area');
    // the rolled hours from the areas' rows alone: no sum over the device rows
    expect(a.sums).toEqual(['group-rows:area']);
    expect(a.text).toBe(a.perDevice);
    // 8 rolled hours (60..540); raw: 30..60 and the unrolled 540..600
    expect(a.headers['x-netatlas-rollup-ms']).toBe(String(8 * HOUR));
    expect(a.headers['x-netatlas-raw-ms']).toBe(String(ms(90)));
    expect(JSON.parse(a.text)).toEqual([
      // a1 = f1 + f2 + w1 over [30, 600): up 570 + 100 + 510 = 1180, down 470 (f2), unknown 60 (w1's collector gap)
      { key: 'a1', name: 'West', devices: 3, up_ms: ms(1180), down_ms: ms(470), unknown_ms: ms(60), maintenance_ms: 0, uptime: 1180 / 1650 },
      // a2 = f3 + f4: up 30..85 and 200..600 = 455, down 20, unknown 95 (f3 silent) + 570 (f4 never seen) = 665
      { key: 'a2', name: 'Middle', devices: 2, up_ms: ms(455), down_ms: ms(20), unknown_ms: ms(665), maintenance_ms: 0, uptime: 455 / 475 },
      { key: 'a3', name: 'East', devices: 0, up_ms: 0, down_ms: 0, unknown_ms: 0, maintenance_ms: 0, uptime: null },
    ]);
  });

  it('reads the sites\' and technologies\' group rows too, with the same bytes', async () => {
    for (const groupBy of ['site', 'tech'] as const) {
      const a = await both(inv, groupBy);
      expect(a.sums, groupBy).toEqual([`group-rows:${groupBy}`]);
      expect(a.text, groupBy).toBe(a.perDevice);
    }
  });

  it('sums per device when a device moved area since its hours were rolled, with the same bytes', async () => {
    // f3 moved from a2 (lon 4.33) to a1 (lon 4.31): its rollups say a2
    const moved = changedInventory((d) => (d.id === 'f3' ? { ...d, location: { lat: 50.85, lon: 4.31 } } : d));
    expect(moved.byId('f3')!.area).toBe('a1');
    const a = await both(moved, 'area');
    // the areas' rows name other members (f3 in a2): the store's sums by area, whose series
    // check fails too (f3's rows say a2), then per device
    expect(a.sums).toEqual(['group-rows:area', 'area', 'area', 'area', 'device', 'device', 'device']);
    expect(a.text).toBe(a.perDevice);
    const rows = JSON.parse(a.text) as { key: string; up_ms: number; unknown_ms: number; devices: number; uptime: number | null }[];
    // a1 = f1 + f2 + w1 + f3: up 1180 + 455 = 1635, unknown 60 + 95 = 155; a2 = f4 alone, never seen: unknown 570
    expect(rows.map((r) => [r.key, r.devices, r.up_ms, r.unknown_ms, r.uptime])).toEqual([
      ['a1', 4, ms(1635), ms(155), 1635 / (1635 + 490)], ['a2', 1, 0, ms(570), null], ['a3', 0, 0, 0, null],
    ]);
    // its site and technology did not change: the technologies' rows still hold
    const tech = await both(moved, 'tech');
    expect(tech.sums).toEqual(['group-rows:tech']);
    expect(tech.text).toBe(tech.perDevice);
  });

  it('sums per device when a rolled device left the inventory, or with weight households', async () => {
    const removed = changedInventory((d) => (d.id === 'w1' ? undefined : d));
    const a = await both(removed, 'area');
    expect(a.sums).toEqual(['group-rows:area', 'area', 'area', 'area', 'device', 'device', 'device']);
    expect(a.text).toBe(a.perDevice);
    // a1 = f1 + f2: up 570 + 100 = 670, down 470
    expect((JSON.parse(a.text) as { key: string; up_ms: number; down_ms: number }[])[0]).toMatchObject({ key: 'a1', up_ms: ms(670), down_ms: ms(470) });
    // households weigh each device's own times: never asked per area
    const h = await both(inv, 'area', 'households');
    expect(h.sums).toEqual(['device', 'device', 'device']);
    expect(h.text).toBe(h.perDevice);
  });

  it('sums in the store when an hour has no group rows (rolled before they existed), then reads them again once rolled', async () => {
    // hour 3's areas' rows gone, as for an hour rolled by an older version
    await store.deleteSeries({ measurement: GROUP_ROLLUP_MEASUREMENT, retention: 'long', from: T0 + 3 * HOUR, to: T0 + 4 * HOUR, tags: { by: 'area' } });
    const a = await both(inv, 'area');
    expect(a.sums).toEqual(['group-rows:area', 'area', 'area', 'area']);
    expect(a.text).toBe(a.perDevice);
    // the sites' rows of that hour are still there
    expect((await both(inv, 'site')).sums).toEqual(['group-rows:site']);
    await rollupRange(store, inv.all(), T0 + 3 * HOUR, T0 + 4 * HOUR, intervals);
    const again = await both(inv, 'area');
    expect(again.sums).toEqual(['group-rows:area']);
    expect(again.text).toBe(a.text);
  });

  it('a recomputation for some devices only (a maintenance change) writes group rows the check refuses', async () => {
    // f1 alone rolled again for hour 2: its area's row then names f1 only
    await rollupRange(store, inv.all().filter((d) => d.id === 'f1'), T0 + 2 * HOUR, T0 + 3 * HOUR, intervals);
    const a = await both(inv, 'area');
    expect(a.sums).toEqual(['group-rows:area', 'area', 'area', 'area']);
    expect(a.text).toBe(a.perDevice);
    await rollupRange(store, inv.all(), T0 + 2 * HOUR, T0 + 3 * HOUR, intervals);
    expect((await both(inv, 'area')).sums).toEqual(['group-rows:area']);
  });
});
