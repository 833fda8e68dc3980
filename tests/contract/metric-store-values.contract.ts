/**
 * More of the MetricStore contract (metric-store.contract.ts holds the rest): values that need
 * every width of the embedded store's compact field encoding, field selection past string fields,
 * and unreadable status samples. Same setup: each test gets a fresh, initialised store.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MetricStore } from '../../server/store/metric-store.js';
import type { Point } from '../../core/point.js';
import { NASTY_IDS, T0, type StoreUnderTest } from './metric-store.contract.js';

function status(device: string, offsetMs: number, up: 0 | 1, rtt_ms: number): Point {
  return { measurement: 'device_status', tags: { device, site: 'site-1', area: 'area-1', tech: 'fibre', source: 'snmp' }, fields: { up, rtt_ms }, time: T0 + offsetMs };
}

function ap(device: string, area: string, offsetMs: number, fields: Point['fields']): Point {
  return { measurement: 'wifi_ap', tags: { device, site: `site-${device}`, area }, fields, time: T0 + offsetMs };
}

const HOUR = 3_600_000;

function hourly(device: string, area: string, hour: number): Point {
  return { measurement: 'device_status_hourly', tags: { device, site: 's', area, tech: 'fibre' }, fields: { up_s: 3600, down_s: 0, unknown_s: 0, maintenance_s: 0 }, time: T0 + hour * HOUR };
}

export function describeMetricStoreValueContract(name: string, makeStore: () => Promise<StoreUnderTest>): void {
  describe(`MetricStore contract (values, unreadable samples): ${name}`, () => {
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

    it('reads back numbers that need every width: thirds, 0.1 + 0.2, the largest safe integer, negatives, tiny and huge floats', async () => {
      // the embedded store encodes decimals compactly and must fall back to exact doubles for these
      const fields = {
        clients: 9_007_199_254_740_991, tx_bytes: -4_503_599_627_370_497, rx_bytes: 0, rssi_dbm: 1 / 3, channel_util: 0.1 + 0.2,
        uptime_s: 4_294_967_296, big: 1.5e300, tiny: -2.5e-300, dec: -61.5, cents: 12.34, micro: 0.000123, text: 'ü漢 "q"', yes: true,
      };
      await store.write([ap('ap-w', 'A', 0, fields)]);
      const rows = await store.querySeries({ measurement: 'wifi_ap', from: T0, to: T0 + 1 });
      expect(rows.map((r) => r.fields)).toEqual([fields]);
    });

    it('selects and aggregates a field stored after a string field', async () => {
      await store.write([
        ap('ap-s', 'A', 0, { note: 'first, a "long" string field', clients: 3 }),
        ap('ap-s', 'A', 1_000, { note: 'x', clients: 4, rssi_dbm: -70.5 }),
      ]);
      const rows = await store.querySeries({ measurement: 'wifi_ap', from: T0, to: T0 + 60_000, fields: ['clients'] });
      expect(rows.map((r) => r.fields)).toEqual([{ clients: 3 }, { clients: 4 }]);
      // 3 + 4 = 7
      expect(await store.queryAggregate({ measurement: 'wifi_ap', field: 'clients', fn: 'sum', from: T0, to: T0 + 60_000 })).toEqual([{ time: T0, tags: {}, value: 7 }]);
    });

    it('an unreadable sample (unreadable: 1 and a reason, no up) is a sample: not up, with its reason', async () => {
      const unreadable: Point = {
        measurement: 'device_status', tags: { device: 'u', site: 'site-1', area: 'area-1', tech: 'fibre', source: 'snmp' },
        fields: { unreadable: 1, reason: 'authentication failed' }, time: T0 + 5_000,
      };
      await store.write([status('u', 0, 1, 2), unreadable]);
      const samples = await store.statusSamples({ from: T0, to: T0 + 60_000 });
      expect(samples.map((s) => [s.time - T0, s.up, s.unreadable, s.reason])).toEqual([[0, true, undefined, undefined], [5_000, false, true, 'authentication failed']]);
      const latest = await store.latestStatus(['u']);
      expect(latest.map((s) => [s.time - T0, s.up, s.unreadable, s.reason])).toEqual([[5_000, false, true, 'authentication failed']]);
      // from after both: the unreadable one is the state the window starts in
      const later = await store.statusSamples({ from: T0 + 10_000, to: T0 + 60_000 });
      expect(later.map((s) => [s.time - T0, s.unreadable])).toEqual([[5_000, true]]);
    });
  
    it('tagSets lists the distinct tag combinations of the series with points in the range, sorted', async () => {
      // d1 moved from area A to B between hour 0 and hour 1 (two series); d3 has no area tag;
      // d4's only point is a year earlier (another shard on InfluxDB, whose answer is per shard)
      await store.writeRollups([hourly('d1', 'A', 0), hourly('d1', 'B', 1), hourly('d2', 'A', 1), hourly('d3', '', 1), hourly('d4', 'C', -365 * 24)]);
      const q = { measurement: 'device_status_hourly', retention: 'long', from: T0, to: T0 + 2 * HOUR } as const;
      // sorted by device, then area; the missing area is ''
      expect(await store.tagSets({ ...q, keys: ['device', 'area'] })).toEqual([
        { device: 'd1', area: 'A' }, { device: 'd1', area: 'B' }, { device: 'd2', area: 'A' }, { device: 'd3', area: '' },
      ]);
      // one key: A appears for d1 and d2 and is listed once
      expect(await store.tagSets({ ...q, keys: ['area'] })).toEqual([{ area: '' }, { area: 'A' }, { area: 'B' }]);
      const yearBefore = { ...q, from: T0 - 366 * 24 * HOUR, to: T0 - 364 * 24 * HOUR };
      expect(await store.tagSets({ ...yearBefore, keys: ['device', 'area'] })).toEqual([{ device: 'd4', area: 'C' }]);
      // the raw retention holds none of them; an unknown measurement has none
      expect(await store.tagSets({ ...q, retention: 'raw', keys: ['device'] })).toEqual([]);
      expect(await store.tagSets({ ...q, measurement: 'no_such_measurement', keys: ['device'] })).toEqual([]);
    });

    it('deleteSeries deletes the points of the named series in the range and nothing else', async () => {
      // d1 rolled under area A for hours 0-2, then hour 1 rolled again under B (it moved)
      await store.writeRollups([hourly('d1', 'A', 0), hourly('d1', 'A', 1), hourly('d1', 'A', 2), hourly('d1', 'B', 1), hourly('d2', 'A', 1), hourly('d3', '', 0), hourly('d3', '', 1)]);
      const q = { measurement: 'device_status_hourly', retention: 'long', from: T0, to: T0 + 3 * HOUR } as const;
      await store.deleteSeries({ ...q, from: T0 + HOUR, to: T0 + 2 * HOUR, tags: { device: 'd1', site: 's', area: 'A', tech: 'fibre' } });
      // '' names the series without the tag
      await store.deleteSeries({ ...q, from: T0 + HOUR, to: T0 + 2 * HOUR, tags: { device: 'd3', site: 's', area: '', tech: 'fibre' } });
      const rows = await store.querySeries({ ...q, fields: ['up_s'] });
      // (the order of rows is not what is tested here)
      expect(rows.map((r) => `${r.tags['device']}/${r.tags['area'] ?? ''}/${(r.time - T0) / HOUR}`).sort()).toEqual(['d1/A/0', 'd1/A/2', 'd1/B/1', 'd2/A/1', 'd3//0']);
      // the raw retention's points are not touched by a delete in another measurement
      await store.write([status('d1', 0, 1, 1)]);
      await store.deleteSeries({ ...q, tags: { device: 'd1' } });
      expect((await store.querySeries({ ...q, fields: ['up_s'] })).map((r) => r.tags['device']).sort()).toEqual(['d2', 'd3']);
      expect(await store.statusSamples({ from: T0, to: T0 + HOUR })).toHaveLength(1);
    });

    it('tagSets gives nasty tag values back unchanged', async () => {
      await store.writeRollups(NASTY_IDS.map((id, i) => hourly(id, `area ${id}`, i % 2)));
      const sets = await store.tagSets({ measurement: 'device_status_hourly', retention: 'long', from: T0, to: T0 + 2 * HOUR, keys: ['device', 'area'] });
      expect(sets).toEqual([...NASTY_IDS].sort().map((id) => ({ device: id, area: `area ${id}` })));
    });
  });
}
