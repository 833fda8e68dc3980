/**
 * Store: the metric store of the API side. An InfluxDB that is down at start-up does not stop the
 * service: the pipeline (on the collection side, with its own connection) spools to disk
 * meanwhile, and init (database, retention policies) is retried here until it succeeds.
 */
import type { Logger } from '../../core/log.js';
import type { Config } from '../config.js';
import { createStore } from '../store/create-store.js';
import type { MetricStore } from '../store/metric-store.js';

export interface StorePart {
  store: MetricStore;
  /** stops retrying init and closes the store */
  close(): Promise<void>;
}

export async function openStore(config: Config, log: Logger): Promise<StorePart> {
  const store = createStore({ influx: config.store.influx, dataDir: config.dataDir, logger: log });
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const tryInit = async (): Promise<void> => {
    try {
      await store.init();
      log.info({ store: store.kind }, 'store ready');
    } catch (err) {
      log.warn({ err, store: store.kind }, 'store not ready; retrying in 10 s (points are spooled meanwhile)');
      if (!stopped) timer = setTimeout(() => void tryInit(), 10_000).unref();
    }
  };
  await tryInit();
  return {
    store,
    close: async () => {
      stopped = true;
      clearTimeout(timer);
      await store.close();
    },
  };
}
