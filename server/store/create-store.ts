import type { Logger } from '../../core/log.js';
import type { MetricStore } from './metric-store.js';
import { InfluxStore, type InfluxStoreOptions } from './influx-store.js';
import { SqliteStore } from './sqlite-store.js';

/**
 * Chooses the store: InfluxDB when an InfluxDB URL is configured, the embedded SQLite store
 * (in `<dataDir>/metrics.sqlite`) otherwise. The config module passes a plain options object.
 */
export interface StoreConfig {
  /** InfluxDB's options (influx-store.ts), each optional here: without a url the embedded store is chosen */
  influx?: Partial<Omit<InfluxStoreOptions, 'logger'>>;
  /**
   * The embedded store. Retentions as InfluxDB duration literals (`90d`, `INF`); defaults 90d raw
   * and 1825d rollups, as config-schema.ts gives InfluxDB.
   */
  sqlite?: { path?: string; rawRetention?: string; longRetention?: string };
  /** NETATLAS_DATA_DIR; default ./data */
  dataDir?: string;
  logger?: Logger;
}

/** InfluxDB's defaults in config-schema.ts, for the embedded store too */
export const DEFAULT_RAW_RETENTION = '90d';
export const DEFAULT_LONG_RETENTION = '1825d';

export function createStore(config: StoreConfig): MetricStore {
  const influx = config.influx;
  if (influx?.url) {
    return new InfluxStore({ ...influx, url: influx.url, ...(config.logger ? { logger: config.logger } : {}) });
  }
  return new SqliteStore({
    ...(config.sqlite?.path !== undefined ? { path: config.sqlite.path } : { dataDir: config.dataDir ?? './data' }),
    rawRetention: config.sqlite?.rawRetention ?? DEFAULT_RAW_RETENTION,
    longRetention: config.sqlite?.longRetention ?? DEFAULT_LONG_RETENTION,
    ...(config.logger ? { logger: config.logger } : {}),
  });
}
