/**
 * The embedded store's compact layout beyond the shared contract: the field encoding's bytes,
 * several connections on one file, retention expiry, and the conversion (or refusal) of files of
 * older layouts. Real SQLite files in a temporary directory.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../server/store/sqlite-store.js';
import { createStore } from '../../server/store/create-store.js';
import { StoreRejectedError } from '../../core/point-writer.js';
import type { Point } from '../../core/point.js';
import { decodeField, decodeFields, encodeFields, mergeBlobs } from '../../server/store/field-codec.js';
import { T0 } from './metric-store.contract.js';

const dirs: string[] = [];
function tempFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netatlas-sqlite-layout-'));
  dirs.push(dir);
  return path.join(dir, 'metrics.sqlite');
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const status = (device: string, time: number, fields: Point['fields'] = { up: 1 }): Point => ({
  measurement: 'device_status', tags: { device, site: 's', area: 'a', tech: 'fibre', source: 'snmp' }, fields, time,
});
const apPoint = (device: string, time: number, fields: Point['fields']): Point => ({ measurement: 'wifi_ap', tags: { device, area: 'A' }, fields, time });

describe('field encoding (field-codec.ts)', () => {
  const names = ['up', 'unreadable', 'rtt_ms', 'reason', 'note'];
  const idOf = (n: string): number => names.indexOf(n);
  const nameOf = (i: number): string => names[i] as string;

  it('spends 2 bytes on {up: 1} and 3 on a 0.1-dB rssi', () => {
    // header id 0 * 16 + type 0 (integer) = 0x00, zigzag(1) = 2
    expect([...encodeFields({ up: 1 }, idOf)]).toEqual([0x00, 0x02]);
    // rtt_ms id 2, -61.5 = -615 / 10^1: header 2 * 16 + 1 = 0x21; zigzag(-615) = 1229 = 77 + 9 * 128 -> 0xcd 0x09
    expect([...encodeFields({ rtt_ms: -61.5 }, idOf)]).toEqual([0x21, 0xcd, 0x09]);
    // 1/3 has no short decimal: header 2 * 16 + 10 = 0x2a, then 8 bytes of float64
    expect(encodeFields({ rtt_ms: 1 / 3 }, idOf)).toHaveLength(9);
  });

  it('round-trips every type and reads one field past a string', () => {
    const fields = { note: 'é漢 , "x"', up: 0, rtt_ms: 0.001, reason: '', unreadable: true };
    const blob = encodeFields(fields, idOf);
    expect(decodeFields(blob, nameOf)).toEqual(fields);
    expect(decodeField(blob, idOf('unreadable'))).toBe(true);
    expect(decodeFields(blob, nameOf, new Set([idOf('rtt_ms')]))).toEqual({ rtt_ms: 0.001 });
    expect(() => decodeFields(blob.subarray(0, 3), nameOf)).toThrow(/truncated/);
  });

  it('merges a rewrite as InfluxDB does: new fields win, the others stay', () => {
    const merged = mergeBlobs(encodeFields({ up: 1, rtt_ms: 5 }, idOf), encodeFields({ up: 0, reason: 'timeout' }, idOf));
    expect(decodeFields(merged, nameOf)).toEqual({ up: 0, rtt_ms: 5, reason: 'timeout' });
  });
});

describe('SqliteStore: two connections on one file', () => {
  it('each sees the series and fields the other created, and no series is created twice', async () => {
    const file = tempFile();
    const a = new SqliteStore({ path: file });
    const b = new SqliteStore({ path: file });
    await a.init();
    await b.init();
    try {
      await a.write([status('d1', T0), apPoint('ap-1', T0, { clients: 3 })]);
      expect((await b.latestStatus()).map((s) => s.device)).toEqual(['d1']);
      expect(await b.queryAggregate({ measurement: 'wifi_ap', field: 'clients', fn: 'sum', from: T0, to: T0 + 1 })).toEqual([{ time: T0, tags: {}, value: 3 }]);
      // b adds a series and a field a has never seen; then a writes the same series again
      await b.write([status('d2', T0 + 1_000), apPoint('ap-1', T0 + 1_000, { clients: 4, extra: 'x' })]);
      await a.write([status('d2', T0 + 2_000)]);
      expect((await a.latestStatus()).map((s) => [s.device, s.time - T0])).toEqual([['d1', 0], ['d2', 2_000]]);
      expect((await a.querySeries({ measurement: 'wifi_ap', from: T0, to: T0 + 60_000 })).map((r) => r.fields)).toEqual([{ clients: 3 }, { clients: 4, extra: 'x' }]);
    } finally {
      await a.close();
      await b.close();
    }
    const db = new Database(file, { readonly: true });
    // device_status d1 and d2, wifi_ap ap-1: three series, none twice
    expect(db.prepare('SELECT measurement, COUNT(*) AS n FROM series GROUP BY measurement ORDER BY measurement').all())
      .toEqual([{ measurement: 'device_status', n: 2 }, { measurement: 'wifi_ap', n: 1 }]);
    db.close();
  });
});

describe('SqliteStore: retention', () => {
  const HOUR = 3_600_000;
  const NOW = T0 + 10 * HOUR;
  const hourly = (device: string, time: number): Point => ({
    measurement: 'device_status_hourly', tags: { device }, fields: { up_s: 3600, down_s: 0, unknown_s: 0, maintenance_s: 0 }, time,
  });

  it('deletes raw points older than the raw retention and rollups older than the long one, a bounded slice per write', async () => {
    let now = NOW;
    const store = new SqliteStore({ path: tempFile(), rawRetention: '1h', longRetention: '3h', now: () => now });
    await store.init();
    const raw = { measurement: 'device_status', from: 0, to: NOW + 1 } as const;
    const ages = async (q: Parameters<SqliteStore['querySeries']>[0], unit: number): Promise<number[]> => (await store.querySeries(q)).map((r) => (NOW - r.time) / unit);
    try {
      await store.writeRollups([hourly('d1', NOW - 4 * HOUR), hourly('d1', NOW - 2 * HOUR)]);
      // the first write runs expiry (never run yet). Raw cutoff NOW - 60 min; the oldest point is 90 min old,
      // so this step deletes the slice up to min(NOW - 60 min, NOW - 90 min + 10 min) = NOW - 80 min: the 90-min point only
      await store.write([status('d1', NOW - 90 * 60_000), status('d1', NOW - 30 * 60_000), apPoint('ap-1', NOW - 61 * 60_000, { clients: 1 })]);
      expect(await ages(raw, 60_000)).toEqual([30]);
      expect(await ages({ measurement: 'wifi_ap', from: 0, to: NOW }, 60_000)).toEqual([61]);
      // rollups: cutoff NOW - 3 h; the slice (a day) reaches the cutoff: the 4-h-old one goes, the 2-h-old one stays
      expect(await ages({ measurement: 'device_status_hourly', retention: 'long', from: 0, to: NOW }, HOUR)).toEqual([2]);
      // still behind, so the next write steps again: oldest 61 min, slice up to the cutoff: the AP point goes
      await store.write([status('d1', NOW - 20 * 60_000)]);
      expect(await store.querySeries({ measurement: 'wifi_ap', from: 0, to: NOW })).toEqual([]);
      // caught up: 5 minutes later (not due, every 10 min) a 2-h-old point written now stays until the next run
      now = NOW + 5 * 60_000;
      await store.write([status('d2', NOW - 2 * HOUR)]);
      expect(await ages({ ...raw, to: now }, 60_000)).toEqual([120, 30, 20]);
      // expire() now: that one row goes, the 30- and 20-min-old ones stay
      expect(store.expire()).toEqual({ raw: 1, long: 0 });
      expect(await ages({ ...raw, to: now }, 60_000)).toEqual([30, 20]);
    } finally {
      await store.close();
    }
  });

  it('expire() works off a backlog of many slices in one call', async () => {
    const store = new SqliteStore({ path: tempFile(), rawRetention: '1h', now: () => NOW });
    await store.init();
    // 36 points 5 min apart, from NOW - 4 h to NOW - 1 h 5 min: all older than the hour kept, spread over 18 ten-minute slices
    const old = Array.from({ length: 36 }, (_v, i) => status('d1', NOW - 4 * HOUR + i * 5 * 60_000));
    await store.write(old); // (this write already stepped once: the first slice, 2 points)
    expect(store.expire()).toEqual({ raw: 34, long: 0 });
    expect(await store.querySeries({ measurement: 'device_status', from: 0, to: NOW })).toEqual([]);
    await store.close();
  });

  it('the service (createStore) keeps raw points 90 days and rollups 1825 days unless configured, as InfluxDB; a direct store keeps everything', () => {
    const dir = path.dirname(tempFile());
    const byDefault = createStore({ dataDir: dir }) as SqliteStore;
    // 90 * 86 400 000 = 7 776 000 000; 1825 * 86 400 000 = 157 680 000 000
    expect([byDefault.rawRetentionMs, byDefault.longRetentionMs]).toEqual([7_776_000_000, 157_680_000_000]);
    const configured = createStore({ dataDir: dir, sqlite: { rawRetention: '7d', longRetention: 'INF' } }) as SqliteStore;
    // 7 * 86 400 000 = 604 800 000; INF = 0, kept forever
    expect([configured.rawRetentionMs, configured.longRetentionMs]).toEqual([604_800_000, 0]);
    const direct = new SqliteStore({ dataDir: dir });
    expect([direct.rawRetentionMs, direct.longRetentionMs]).toEqual([0, 0]);
  });

  it('INF keeps everything; a retention that is not an InfluxDB duration is refused when the store is built', async () => {
    const store = new SqliteStore({ path: tempFile(), rawRetention: 'INF', now: () => NOW });
    await store.init();
    await store.write([status('d1', NOW - 1000 * HOUR)]);
    expect(store.expire()).toEqual({ raw: 0, long: 0 });
    expect(await store.latestStatus()).toHaveLength(1);
    await store.close();
    expect(() => new SqliteStore({ path: tempFile(), rawRetention: '90 days' })).toThrow(StoreRejectedError);
  });
});
