/**
 * The one contract every MetricStore passes (DESIGN.md convention 8). Each test gets a fresh,
 * initialised store from `makeStore` and disposes of it afterwards. Expected numbers are computed
 * by hand in the comments next to them.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MetricStore } from '../../server/store/metric-store.js';
import { StoreRejectedError } from '../../core/point-writer.js';
import type { Point } from '../../core/point.js';

export interface StoreUnderTest {
  store: MetricStore;
  /** close the store and remove everything it created (database, files) */
  dispose(): Promise<void>;
}

/**
 * Two days ago, on a whole hour (so minute buckets start here): recent enough for InfluxDB's raw
 * retention policy (90 d) to accept the points, old enough that 50 000 points a second apart
 * (13.9 h) stay in the past.
 */
export const T0 = Math.floor((Date.now() - 2 * 86_400_000) / 3_600_000) * 3_600_000;

function status(device: string, offsetMs: number, up: 0 | 1, rtt_ms?: number, extraTags: Record<string, string> = {}): Point {
  return {
    measurement: 'device_status',
    tags: { device, site: 'site-1', area: 'area-1', tech: 'fibre', source: 'snmp', ...extraTags },
    fields: rtt_ms === undefined ? { up } : { up, rtt_ms },
    time: T0 + offsetMs,
  };
}

function ap(device: string, area: string, offsetMs: number, fields: Point['fields']): Point {
  return { measurement: 'wifi_ap', tags: { device, site: `site-${device}`, area }, fields, time: T0 + offsetMs };
}

export const NASTY_IDS = [
  'x" OR 1=1', "x' OR 'a'='a", 'a,b', 'a b', 'a=b', "it's", 'back\\slash', 'trailing\\', 'line\nbreak',
  'cr\rlf', 'é漢字', '100%', 'literal%0A', '"quoted"', 'semi;colon--',
] as const;

export function describeMetricStoreContract(name: string, makeStore: () => Promise<StoreUnderTest>): void {
  describe(`MetricStore contract: ${name}`, () => {
    let sut: StoreUnderTest;
    let store: MetricStore;

    beforeEach(async () => {
      sut = await makeStore();
      store = sut.store;
      await store.init();
    });
    afterEach(async () => {
      await sut.dispose();
    });

    it('reads back written points exactly: tags, integer and float fields, booleans, strings and ms times', async () => {
      const points: Point[] = [
        ap('ap-1', 'area-1', 0, {
          clients: 12, rssi_dbm: -61.5, channel_util: 0.25, tx_bytes: 123_456_789_012, online: true,
          note: 'he said "hi", \\ ok\nbye',
        }),
        ap('ap-1', 'area-1', 1_001, { clients: 0, rssi_dbm: -60, channel_util: 1, tx_bytes: 7, online: false, note: '' }),
      ];
      await store.write(points);
      const rows = await store.querySeries({ measurement: 'wifi_ap', from: T0, to: T0 + 60_000 });
      expect(rows).toEqual(points.map((p) => ({ time: p.time, tags: { ...p.tags }, fields: { ...p.fields } })));
      expect(Number.isInteger(rows[0]?.fields['clients'])).toBe(true);
    });

    it('treats time ranges as half-open: from is included, to is excluded', async () => {
      await store.write([status('d1', 0, 1), status('d1', 1_000, 1), status('d1', 2_000, 0)]);
      const rows = await store.querySeries({ measurement: 'device_status', from: T0, to: T0 + 2_000 });
      expect(rows.map((r) => r.time)).toEqual([T0, T0 + 1_000]);
    });

    it('filters on tags with where, all conditions ANDed', async () => {
      await store.write([
        status('d1', 0, 1, 1, { site: 's1' }), status('d2', 0, 1, 2, { site: 's1' }), status('d1', 1_000, 1, 3, { site: 's2' }),
      ]);
      const both = await store.querySeries({ measurement: 'device_status', from: T0, to: T0 + 60_000, where: { device: 'd1', site: 's1' } });
      expect(both.map((r) => r.fields['rtt_ms'])).toEqual([1]);
      const site = await store.querySeries({ measurement: 'device_status', from: T0, to: T0 + 60_000, where: { site: 's1' } });
      expect(site.map((r) => r.tags['device'])).toEqual(['d1', 'd2']);
    });

    it('returns only the fields named in fields', async () => {
      await store.write([status('d1', 0, 1, 4.5)]);
      const rows = await store.querySeries({ measurement: 'device_status', from: T0, to: T0 + 1, fields: ['rtt_ms'] });
      expect(rows).toEqual([{ time: T0, tags: status('d1', 0, 1).tags, fields: { rtt_ms: 4.5 } }]);
    });

    it('returns at most limit rows, the first ones in time order', async () => {
      await store.write([status('d2', 2_000, 1), status('d1', 0, 1), status('d1', 1_000, 0), status('d2', 500, 1)]);
      const rows = await store.querySeries({ measurement: 'device_status', from: T0, to: T0 + 60_000, limit: 3 });
      expect(rows.map((r) => [r.tags['device'], r.time - T0])).toEqual([['d1', 0], ['d2', 500], ['d1', 1_000]]);
    });

    describe('aggregates', () => {
      // ap-1 (area A): clients 10 @0s, 20 @30s, 30 @60s     ap-2 (area B): 5 @10s, 7 @70s, 9 @90s
      beforeEach(async () => {
        await store.write([
          ap('ap-1', 'A', 0, { clients: 10, rssi_dbm: -60.5 }), ap('ap-1', 'A', 30_000, { clients: 20 }),
          ap('ap-1', 'A', 60_000, { clients: 30 }), ap('ap-2', 'B', 10_000, { clients: 5, rssi_dbm: -70.25 }),
          ap('ap-2', 'B', 70_000, { clients: 7 }), ap('ap-2', 'B', 90_000, { clients: 9 }),
        ]);
      });
      const range = { measurement: 'wifi_ap', field: 'clients', from: T0, to: T0 + 120_000 } as const;

      it('computes mean, min, max, sum, count and last per minute bucket', async () => {
        // bucket T0: 10, 5, 20 (last at 30 s = 20); bucket T0+60s: 30, 7, 9 (last at 90 s = 9)
        const expected = { mean: [35 / 3, 46 / 3], min: [5, 7], max: [20, 30], sum: [35, 46], count: [3, 3], last: [20, 9] } as const;
        for (const fn of ['mean', 'min', 'max', 'sum', 'count', 'last'] as const) {
          const rows = await store.queryAggregate({ ...range, fn, stepMs: 60_000 });
          expect(rows.map((r) => r.time), fn).toEqual([T0, T0 + 60_000]);
          expect(rows.map((r) => r.tags), fn).toEqual([{}, {}]);
          expect(rows[0]?.value, fn).toBeCloseTo(expected[fn][0], 9);
          expect(rows[1]?.value, fn).toBeCloseTo(expected[fn][1], 9);
        }
      });

      it('groups by tags, ordered by bucket then tag value', async () => {
        const rows = await store.queryAggregate({ ...range, fn: 'sum', stepMs: 60_000, groupBy: ['area'] });
        // T0: A 10+20, B 5; T0+60s: A 30, B 7+9
        expect(rows).toEqual([
          { time: T0, tags: { area: 'A' }, value: 30 }, { time: T0, tags: { area: 'B' }, value: 5 },
          { time: T0 + 60_000, tags: { area: 'A' }, value: 30 }, { time: T0 + 60_000, tags: { area: 'B' }, value: 16 },
        ]);
        const last = await store.queryAggregate({ ...range, fn: 'last', stepMs: 60_000, groupBy: ['area'] });
        expect(last.map((r) => r.value)).toEqual([20, 5, 30, 9]);
      });

      it('aligns buckets to multiples of stepMs since the epoch, not to from', async () => {
        // from T0+15s: the first bucket still starts at T0 and holds only 20 (@30 s)
        const rows = await store.queryAggregate({ ...range, from: T0 + 15_000, fn: 'sum', stepMs: 60_000 });
        expect(rows).toEqual([{ time: T0, tags: {}, value: 20 }, { time: T0 + 60_000, tags: {}, value: 46 }]);
      });

      it('makes one bucket at from over the whole range when stepMs is absent', async () => {
        expect(await store.queryAggregate({ ...range, fn: 'sum' })).toEqual([{ time: T0, tags: {}, value: 81 }]);
        expect(await store.queryAggregate({ ...range, fn: 'count' })).toEqual([{ time: T0, tags: {}, value: 6 }]);
        // rssi_dbm only at 0 s and 10 s: (-60.5 + -70.25) / 2
        expect(await store.queryAggregate({ ...range, field: 'rssi_dbm', fn: 'mean' })).toEqual([{ time: T0, tags: {}, value: -65.375 }]);
        const byDevice = await store.queryAggregate({ ...range, fn: 'max', where: { device: 'ap-2' } });
        expect(byDevice).toEqual([{ time: T0, tags: {}, value: 9 }]);
      });

      it("gives '' for a groupBy tag that points lack", async () => {
        const rows = await store.queryAggregate({ ...range, fn: 'count', groupBy: ['area', 'missing'] });
        expect(rows).toEqual([
          { time: T0, tags: { area: 'A', missing: '' }, value: 3 }, { time: T0, tags: { area: 'B', missing: '' }, value: 3 },
        ]);
      });
    });

    it('returns [] rather than an error for an unknown measurement, an empty range or an unknown device', async () => {
      await store.write([status('d1', 0, 1, 1)]);
      expect(await store.querySeries({ measurement: 'no_such_measurement', from: T0, to: T0 + 60_000 })).toEqual([]);
      expect(await store.queryAggregate({ measurement: 'no_such_measurement', field: 'up', fn: 'count', from: T0, to: T0 + 60_000 })).toEqual([]);
      expect(await store.querySeries({ measurement: 'device_status', from: T0, to: T0 })).toEqual([]);
      expect(await store.queryAggregate({ measurement: 'device_status', field: 'up', fn: 'sum', from: T0 + 1, to: T0 + 60_000, stepMs: 1_000 })).toEqual([]);
      expect(await store.querySeries({ measurement: 'device_status', from: T0, to: T0 + 60_000, where: { device: 'nope' } })).toEqual([]);
      expect(await store.statusSamples({ from: T0, to: T0 + 60_000, devices: ['nope'] })).toEqual([]);
      expect(await store.statusSamples({ from: T0, to: T0 + 60_000, devices: [] })).toEqual([]);
      expect(await store.latestStatus(['nope'])).toEqual([]);
    });

    it('round-trips nasty device ids unchanged, and filtering by one returns exactly its own points', async () => {
      const points = NASTY_IDS.map((id, i) => status(id, i * 1_000, 1, i, { site: `site ${id}` }));
      await store.write(points);
      const all = await store.querySeries({ measurement: 'device_status', from: T0, to: T0 + 60_000 });
      expect(all.map((r) => r.tags['device'])).toEqual([...NASTY_IDS]);
      expect(all.map((r) => r.tags['site'])).toEqual(NASTY_IDS.map((id) => `site ${id}`));
      for (const [i, id] of NASTY_IDS.entries()) {
        const own = await store.querySeries({ measurement: 'device_status', from: T0, to: T0 + 60_000, where: { device: id } });
        expect(own, JSON.stringify(id)).toEqual([{ time: T0 + i * 1_000, tags: points[i]?.tags, fields: { up: 1, rtt_ms: i } }]);
        const bySite = await store.queryAggregate({ measurement: 'device_status', field: 'up', fn: 'count', from: T0, to: T0 + 60_000, where: { site: `site ${id}` } });
        expect(bySite, JSON.stringify(id)).toEqual([{ time: T0, tags: {}, value: 1 }]);
        const samples = await store.statusSamples({ from: T0, to: T0 + 60_000, devices: [id] });
        expect(samples.map((s) => s.device), JSON.stringify(id)).toEqual([id]);
      }
      const grouped = await store.queryAggregate({ measurement: 'device_status', field: 'up', fn: 'count', from: T0, to: T0 + 60_000, groupBy: ['device'] });
      expect(grouped.map((r) => r.tags['device']).sort()).toEqual([...NASTY_IDS].sort());
      expect(grouped.every((r) => r.value === 1)).toBe(true);
      const latest = await store.latestStatus([...NASTY_IDS]);
      expect(latest.map((s) => s.device).sort()).toEqual([...NASTY_IDS].sort());
    });

    it('stores a point written twice once, and a rewrite replaces and merges its fields', async () => {
      await store.write([status('d1', 0, 1, 5)]);
      await store.write([status('d1', 0, 1, 5)]);
      const count = { measurement: 'device_status', field: 'up', fn: 'count', from: T0, to: T0 + 60_000 } as const;
      expect(await store.queryAggregate(count)).toEqual([{ time: T0, tags: {}, value: 1 }]);
      await store.write([status('d1', 0, 0)]); // same identity: up replaced, rtt_ms kept (InfluxDB merges)
      const rows = await store.querySeries({ measurement: 'device_status', from: T0, to: T0 + 60_000 });
      expect(rows.map((r) => r.fields)).toEqual([{ up: 0, rtt_ms: 5 }]);
      expect(await store.queryAggregate(count)).toEqual([{ time: T0, tags: {}, value: 1 }]);
    });

    it('statusSamples orders by device then time and starts each device with its last sample before from', async () => {
      const from = T0 + 60_000;
      await store.write([
        status('b', 10_000, 1, 1), status('b', 50_000, 0), status('b', 70_000, 1, 2), status('b', 65_000, 0),
        status('a', 20_000, 0), status('a', 30_000, 1, 3), status('a', 61_000, 1, 4),
        status('c', 62_000, 1), // no sample before from
        status('a', 120_000, 0), // at `to`: excluded
      ]);
      const samples = await store.statusSamples({ from, to: T0 + 120_000 });
      expect(samples.map((s) => [s.device, s.time - T0, s.up, s.rtt_ms])).toEqual([
        ['a', 30_000, true, 3], ['a', 61_000, true, 4], ['b', 50_000, false, undefined], ['b', 65_000, false, undefined],
        ['b', 70_000, true, 2], ['c', 62_000, true, undefined],
      ]);
      expect(samples[0]?.tags).toEqual(status('a', 0, 1).tags);
      const noPrevious = await store.statusSamples({ from, to: T0 + 120_000, includePrevious: false, devices: ['b', 'c'] });
      expect(noPrevious.map((s) => [s.device, s.time - T0])).toEqual([['b', 65_000], ['b', 70_000], ['c', 62_000]]);
      const onlyA = await store.statusSamples({ from, to: T0 + 120_000, devices: ['a'] });
      expect(onlyA.map((s) => s.time - T0)).toEqual([30_000, 61_000]);
    });

    it('accepts a device list of 3000 ids in statusSamples and latestStatus', async () => {
      await store.write([status('dev-42', 0, 1, 1), status('other', 0, 1, 1)]);
      const devices = Array.from({ length: 3_000 }, (_v, i) => `dev-${i}`);
      const samples = await store.statusSamples({ from: T0, to: T0 + 60_000, devices });
      expect(samples.map((s) => s.device)).toEqual(['dev-42']);
      expect((await store.latestStatus(devices)).map((s) => s.device)).toEqual(['dev-42']);
    });

    it('latestStatus gives the newest sample of every device, or of the given ones', async () => {
      await store.write([
        status('b', 0, 1, 1), status('b', 5_000, 0), status('a', 1_000, 0), status('a', 9_000, 1, 7.25), status('c', 3_000, 1),
      ]);
      const latest = await store.latestStatus();
      expect(latest.map((s) => [s.device, s.time - T0, s.up, s.rtt_ms])).toEqual([
        ['a', 9_000, true, 7.25], ['b', 5_000, false, undefined], ['c', 3_000, true, undefined],
      ]);
      expect(latest[0]?.tags).toEqual(status('a', 0, 1).tags);
      expect((await store.latestStatus(['c', 'b'])).map((s) => s.device)).toEqual(['b', 'c']);
    });

    it('counts 50 000 points written in batches of 5000', async () => {
      const total = 50_000;
      for (let start = 0; start < total; start += 5_000) {
        const batch: Point[] = [];
        for (let i = start; i < start + 5_000; i++) {
          batch.push(ap(`ap-${i % 50}`, `area-${i % 5}`, i * 1_000, { clients: i % 40, rssi_dbm: -50 - (i % 30) / 2 }));
        }
        await store.write(batch);
      }
      const range = { measurement: 'wifi_ap', field: 'clients', from: T0, to: T0 + total * 1_000 } as const;
      expect(await store.queryAggregate({ ...range, fn: 'count' })).toEqual([{ time: T0, tags: {}, value: total }]);
      const perArea = await store.queryAggregate({ ...range, fn: 'count', groupBy: ['area'] });
      expect(perArea.map((r) => r.value)).toEqual([10_000, 10_000, 10_000, 10_000, 10_000]);
    });

    it('init() is idempotent: a second and third init change nothing', async () => {
      await store.write([status('d1', 0, 1, 1)]);
      await store.init();
      await store.init();
      expect(await store.querySeries({ measurement: 'device_status', from: T0, to: T0 + 1 })).toHaveLength(1);
    });

    it('health() is ok and names the store kind', async () => {
      const health = await store.health();
      expect(health.ok).toBe(true);
      expect(health.kind).toBe(store.kind);
      expect(health.detail.length).toBeGreaterThan(0);
    });

    it('rejects non-finite numbers and fractional integer fields with StoreRejectedError naming the field', async () => {
      await expect(store.write([status('d1', 0, 1, Number.NaN)])).rejects.toThrow(StoreRejectedError);
      await expect(store.write([status('d1', 0, 1, Number.NaN)])).rejects.toThrow(/device_status.*rtt_ms/);
      await expect(store.write([ap('ap-1', 'A', 0, { clients: 2.5 })])).rejects.toThrow(/wifi_ap.*clients/);
      await expect(store.write([status('d1', 0, 1, Number.POSITIVE_INFINITY)])).rejects.toThrow(StoreRejectedError);
      expect(await store.querySeries({ measurement: 'device_status', from: T0, to: T0 + 60_000 })).toEqual([]);
    });

    it('keeps rollups written with writeRollups() apart from raw points, and aggregates them with retention long', async () => {
      const hourly = (device: string, hour: number, up_s: number, down_s: number): Point => ({
        measurement: 'device_status_hourly',
        tags: { device, site: 's', area: 'A', tech: 'fibre' },
        fields: { up_s, down_s, unknown_s: 3600 - up_s - down_s, maintenance_s: 0 },
        time: T0 + hour * 3_600_000,
      });
      await store.writeRollups([hourly('d1', 0, 3600, 0), hourly('d1', 1, 1800, 1200), hourly('d2', 0, 0, 3600)]);
      // written again: replaces, never doubles
      await store.writeRollups([hourly('d1', 1, 1800, 1200)]);
      const range = { measurement: 'device_status_hourly', from: T0, to: T0 + 2 * 3_600_000 } as const;
      expect(await store.querySeries(range)).toEqual([]);
      const rows = await store.querySeries({ ...range, retention: 'long' });
      expect(rows.map((r) => [r.tags['device'], r.time - T0, r.fields['up_s']])).toEqual([['d1', 0, 3600], ['d2', 0, 0], ['d1', 3_600_000, 1800]]);
      // d1: up 3600 + 1800 = 5400, down 0 + 1200 = 1200; d2: up 0, down 3600
      const up = await store.queryAggregate({ ...range, retention: 'long', field: 'up_s', fn: 'sum', groupBy: ['device'] });
      expect(up.map((r) => [r.tags['device'], r.value])).toEqual([['d1', 5400], ['d2', 0]]);
      const down = await store.queryAggregate({ ...range, retention: 'long', field: 'down_s', fn: 'sum', groupBy: ['device'] });
      expect(down.map((r) => [r.tags['device'], r.value])).toEqual([['d1', 1200], ['d2', 3600]]);
      expect(await store.queryAggregate({ ...range, field: 'up_s', fn: 'sum' })).toEqual([]);
    });
  });
}
