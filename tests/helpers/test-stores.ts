/**
 * The two real stores a suite runs on, each fresh: SQLite in a temp dir, and a database of its own
 * on the test InfluxDB (tests/services/start), both removed by dispose(). For the suites that run
 * the same assertions on each store (describe.each(storeKinds(...))).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { InfluxStore } from '../../server/store/influx-store.js';
import { SqliteStore } from '../../server/store/sqlite-store.js';
import type { MetricStore } from '../../server/store/metric-store.js';
import { requireInflux } from './services.js';

export interface OpenStore {
  store: MetricStore;
  dispose(): Promise<void>;
}

export interface StoreKind {
  name: 'SQLite' | 'InfluxDB';
  open(): Promise<OpenStore>;
}

/** Drops a test database (a test's own, named by it). */
export async function dropInfluxDatabase(url: string, database: string): Promise<void> {
  const q = new URLSearchParams({ q: `DROP DATABASE "${database}"` });
  await fetch(new URL(`/query?${q.toString()}`, url), { method: 'POST' });
}

/** SQLite then InfluxDB; `tag` names the temp dir and the database (netatlas_<tag>_<pid>_<random>), to tell suites apart. */
export function storeKinds(tag: string): StoreKind[] {
  return [
    {
      name: 'SQLite',
      open: async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), `netatlas-${tag}-`));
        const store = new SqliteStore({ dataDir: dir });
        await store.init();
        return { store, dispose: async () => { await store.close(); fs.rmSync(dir, { recursive: true, force: true }); } };
      },
    },
    {
      name: 'InfluxDB',
      open: async () => {
        const url = await requireInflux();
        const database = `netatlas_${tag}_${process.pid}_${randomBytes(4).toString('hex')}`;
        const store = new InfluxStore({ url, database });
        await store.init();
        return { store, dispose: async () => { await store.close(); await dropInfluxDatabase(url, database); } };
      },
    },
  ];
}
