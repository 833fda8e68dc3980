/**
 * The stores an end-to-end run writes to: a SQLite file and a database of its own on the test
 * InfluxDB, both at once (the collector's sink writes every batch to each), so one run is read
 * back and checked on both stores.
 */
import type { Sink } from '../../../collectors/types.js';
import { InfluxStore } from '../../../server/store/influx-store.js';
import { SqliteStore } from '../../../server/store/sqlite-store.js';
import type { MetricStore } from '../../../server/store/metric-store.js';
import type { Point } from '../../../core/point.js';

export interface E2eStoreSpec {
  sqlitePath: string;
  influxUrl: string;
  influxDatabase: string;
}

export interface E2eStores {
  sqlite: SqliteStore;
  influx: InfluxStore;
  /** writes each batch to both stores */
  sink: Sink;
  close(): Promise<void>;
}

export async function openE2eStores(spec: E2eStoreSpec): Promise<E2eStores> {
  const sqlite = new SqliteStore({ path: spec.sqlitePath });
  const influx = new InfluxStore({ url: spec.influxUrl, database: spec.influxDatabase });
  await sqlite.init();
  await influx.init();
  return {
    sqlite, influx,
    sink: { write: async (points: readonly Point[]) => { await Promise.all([sqlite.write(points), influx.write(points)]); } },
    close: async () => { await sqlite.close(); await influx.close(); },
  };
}

export { dropInfluxDatabase } from '../../helpers/test-stores.js';

export function bothStores(s: E2eStores): Array<[string, MetricStore]> {
  return [['SQLite', s.sqlite], ['InfluxDB', s.influx]];
}
