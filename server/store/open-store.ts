/**
 * Opens the configured store for a part of the service (the API side, the collection side). An
 * InfluxDB that is down at start-up does not stop the service: the pipeline spools to disk
 * meanwhile, and init (database, retention policies) is retried every 10 s until it succeeds.
 */
import type { Logger } from '../../core/log.js';
import { createStore, type StoreConfig } from './create-store.js';
import type { MetricStore } from './metric-store.js';

const RETRY_MS = 10_000;

export interface OpenedStore {
  store: MetricStore;
  /** stops retrying init and closes the store */
  close(): Promise<void>;
}

/** `part` names the opener in the logs ("api", "collection"). */
export async function openStore(config: Omit<StoreConfig, 'logger'>, log: Logger, part: string): Promise<OpenedStore> {
  const store = createStore({ ...config, logger: log });
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const tryInit = async (): Promise<void> => {
    try {
      await store.init();
      log.info({ store: store.kind, part }, 'store ready');
    } catch (err) {
      log.warn({ err, store: store.kind, part }, `${part}: store not ready; retrying in ${RETRY_MS / 1000} s (points are spooled meanwhile)`);
      if (!stopped) timer = setTimeout(() => void tryInit(), RETRY_MS).unref();
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
