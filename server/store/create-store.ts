import type { Logger } from '../log.js';
import type { MetricStore } from './metric-store.js';
import { InfluxStore } from './influx-store.js';
import { SqliteStore } from './sqlite-store.js';

/**
 * Chooses the store: InfluxDB when an InfluxDB URL is configured, the embedded SQLite store
 * (in `<dataDir>/metrics.sqlite`) otherwise. The config module passes a plain options object.
 */
export interface StoreConfig {
  influx?: {
    url?: string;
    database?: string;
    username?: string;
    password?: string;
    rawRetention?: string;
    longRetention?: string;
    timeoutMs?: number;
  };
  sqlite?: { path?: string };
  /** NETATLAS_DATA_DIR; default ./data */
  dataDir?: string;
  logger?: Logger;
}

export function createStore(config: StoreConfig): MetricStore {
  const influx = config.influx;
  if (influx?.url) {
    return new InfluxStore({ ...influx, url: influx.url, ...(config.logger ? { logger: config.logger } : {}) });
  }
  return new SqliteStore({
    ...(config.sqlite?.path !== undefined ? { path: config.sqlite.path } : { dataDir: config.dataDir ?? './data' }),
    ...(config.logger ? { logger: config.logger } : {}),
  });
}
