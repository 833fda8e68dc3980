import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../server/store/sqlite-store.js';
import { createStore } from '../../server/store/create-store.js';
import { StoreUnavailableError } from '../../core/point-writer.js';
import { describeMetricStoreValueContract } from './metric-store-values.contract.js';
import { describeMetricStoreContract, type StoreUnderTest } from './metric-store.contract.js';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'netatlas-sqlite-'));
}

async function makeSqlite(): Promise<StoreUnderTest> {
  const dir = tempDir();
  const store = new SqliteStore({ dataDir: path.join(dir, 'nested', 'data') });
  return {
    store,
    dispose: async () => {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

describeMetricStoreContract('SqliteStore', makeSqlite);
describeMetricStoreValueContract('SqliteStore', makeSqlite);

describe('SqliteStore specifics', () => {
  it('creates <dataDir>/metrics.sqlite in WAL mode, creating missing directories', async () => {
    const dir = tempDir();
    try {
      const store = new SqliteStore({ dataDir: path.join(dir, 'a', 'b') });
      await store.init();
      await store.close();
      const file = path.join(dir, 'a', 'b', 'metrics.sqlite');
      const db = new Database(file, { readonly: true });
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      db.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects writes with StoreUnavailableError before init() or after close()', async () => {
    const dir = tempDir();
    try {
      const store = new SqliteStore({ path: path.join(dir, 'm.sqlite') });
      const point = { measurement: 'device_status', tags: { device: 'd' }, fields: { up: 1 }, time: 1_700_000_000_000 };
      await expect(store.write([point])).rejects.toThrow(StoreUnavailableError);
      await store.init();
      await store.write([point]);
      await store.close();
      await expect(store.write([point])).rejects.toThrow(StoreUnavailableError);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('createStore() picks SQLite when no InfluxDB URL is configured and InfluxDB when one is', () => {
    expect(createStore({ dataDir: '/tmp/netatlas-unused' }).kind).toBe('sqlite');
    expect(createStore({ influx: { url: 'http://127.0.0.1:8086' } }).kind).toBe('influxdb');
  });
});
