/**
 * Files of the embedded store's first layout (one JSON row per point) are converted at init; files
 * the store cannot read are refused with a message naming the file and what to do, never a crash.
 * The old files are written by the old implementation itself (tests/bench/sqlite-v1-store.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../server/store/sqlite-store.js';
import { StoreUnavailableError } from '../../core/point-writer.js';
import type { Point } from '../../core/point.js';
import { SqliteV1Store } from '../bench/sqlite-v1-store.js';
import { NASTY_IDS, T0 } from './metric-store.contract.js';

const dirs: string[] = [];
function tempFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netatlas-sqlite-migrate-'));
  dirs.push(dir);
  return path.join(dir, 'metrics.sqlite');
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const tables = (file: string): string[] => {
  const db = new Database(file, { readonly: true });
  const names = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];
  db.close();
  return names;
};

describe('SqliteStore: a file of the old layout', () => {
  it('is converted at init: every point, rollup, tag and field type comes back, the old tables are gone and the file shrinks', async () => {
    const file = tempFile();
    const raw: Point[] = NASTY_IDS.map((id, i) => ({
      measurement: 'device_status', tags: { device: id, site: `site ${id}`, source: 'snmp' }, fields: { up: i % 2, rtt_ms: i / 4 }, time: T0 + i * 1_000,
    }));
    // 6000 wifi points: the 6015 raw rows take two conversion batches of 5000
    for (let i = 0; i < 6_000; i++) {
      raw.push({ measurement: 'wifi_ap', tags: { device: `ap-${i % 30}`, area: 'A' }, fields: { clients: i % 40, rssi_dbm: -60.5, online: i % 2 === 0, note: `n${i}` }, time: T0 + i * 10_000 });
    }
    const rollups: Point[] = [
      { measurement: 'device_status_hourly', tags: { device: 'd1' }, fields: { up_s: 3000, down_s: 600, unknown_s: 0, maintenance_s: 0 }, time: T0 },
      { measurement: 'device_status_hourly', tags: { device: 'd1' }, fields: { up_s: 3600, down_s: 0, unknown_s: 0, maintenance_s: 0 }, time: T0 + 3_600_000 },
    ];
    const old = new SqliteV1Store(file);
    old.write(raw);
    old.write([{ ...raw[0]!, fields: { up: 1 } }]); // a rewrite merged by the old store: { up: 1, rtt_ms: 0 }
    old.write(rollups, 'points_long');
    old.close();
    const before = fs.statSync(file).size;

    const store = new SqliteStore({ path: file });
    await store.init();
    try {
      const all = await store.querySeries({ measurement: 'device_status', from: T0, to: T0 + 60_000 });
      expect(all.map((r) => r.tags['device'])).toEqual([...NASTY_IDS]);
      expect(all[0]?.fields).toEqual({ up: 1, rtt_ms: 0 });
      expect(all[3]?.fields).toEqual({ up: 1, rtt_ms: 0.75 });
      const wifi = await store.querySeries({ measurement: 'wifi_ap', from: T0, to: T0 + 6_000 * 10_000 });
      expect(wifi).toHaveLength(6_000);
      expect(wifi[7]).toEqual({ time: T0 + 70_000, tags: { device: 'ap-7', area: 'A' }, fields: { clients: 7, rssi_dbm: -60.5, online: false, note: 'n7' } });
      // rollups stay in the long retention: d1 up 3000 + 3600 = 6600 s
      expect(await store.queryAggregate({ measurement: 'device_status_hourly', retention: 'long', field: 'up_s', fn: 'sum', from: T0, to: T0 + 7_200_000 }))
        .toEqual([{ time: T0, tags: {}, value: 6600 }]);
    } finally {
      await store.close();
    }
    expect(tables(file)).toEqual(['field_keys', 'long_points', 'raw_points', 'series', 'store_meta']);
    expect(fs.statSync(file).size).toBeLessThan(before / 2);
    // a second init has nothing to convert and changes nothing
    const again = new SqliteStore({ path: file });
    await again.init();
    expect(await again.querySeries({ measurement: 'wifi_ap', from: T0, to: T0 + 6_000 * 10_000 })).toHaveLength(6_000);
    await again.close();
  });

  it('refuses a file whose points table it does not know, naming the file and what to do, and stays closed', async () => {
    const file = tempFile();
    const db = new Database(file);
    db.exec('CREATE TABLE points (id INTEGER PRIMARY KEY, payload TEXT)');
    db.close();
    const store = new SqliteStore({ path: file });
    const init = store.init();
    await expect(init).rejects.toThrow(StoreUnavailableError);
    await expect(init).rejects.toThrow(file);
    await expect(init).rejects.toThrow(/unknown layout.*move the file away/);
    expect((await store.health()).ok).toBe(false);
    await expect(store.write([{ measurement: 'm', tags: {}, fields: { v: 1 }, time: T0 }])).rejects.toThrow(/not open/);
  });

  it('refuses a file of a newer layout', async () => {
    const file = tempFile();
    const store = new SqliteStore({ path: file });
    await store.init();
    await store.close();
    const db = new Database(file);
    db.prepare("UPDATE store_meta SET value = '3' WHERE key = 'layout'").run();
    db.close();
    await expect(new SqliteStore({ path: file }).init()).rejects.toThrow(/layout 3, newer than this netatlas understands/);
  });
});
