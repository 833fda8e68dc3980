/**
 * Status + analytics + API: the live device state (server/status), the hourly rollup job, the
 * status event poller, and the ApiDeps that createApp mounts, with the operations' and public
 * routers' deps given at construction. Built by main.ts; tests build ApiDeps directly instead.
 */
import type { Registry } from 'prom-client';
import { CoverageCache } from '../analytics/coverage.js';
import type { Config } from '../config.js';
import { StatusEvents } from '../events.js';
import type { InventoryWatcher } from '../inventory/watcher.js';
import type { Logger } from '../../core/log.js';
import { RollupJob } from '../rollups.js';
import type { MetricStore } from '../store/metric-store.js';
import type { ApiDeps, OperationsRouterDeps } from '../api/deps.js';
import { intervalsFromConfig } from '../config-collectors.js';
import type { StatusFeed } from '../status/feed.js';
import { LiveState } from '../status/live-state.js';
import { onRollupsWritten } from '../rollups.js';
import { HeavyPool } from '../heavy/heavy-pool.js';
import type { StoreConfig } from '../store/create-store.js';
import type { MaintenanceWindowInput } from '../maintenance/config.js';

export interface ApiParts {
  deps: ApiDeps;
  close(): Promise<void>;
}

/**
 * `feed`: the points the write pipeline made durable (server/status/feed.ts); the live state
 * follows them, restored from the store in the background (reads use the store until it is ready).
 */
export function startApiParts(opts: {
  store: MetricStore; inventory: InventoryWatcher; metrics: Registry; config: Config; log: Logger; now?: () => number; maintenance?: ApiDeps['maintenance']; feed?: StatusFeed; operations?: OperationsRouterDeps;
  /** the config `store` was opened with: given, long-window reads run in worker threads opening the same store (server/heavy/) */
  storeConfig?: Omit<StoreConfig, 'logger'>;
  /** the maintenance windows behind `maintenance` (MaintenanceWindows.list()), for those workers */
  maintenanceWindows?: () => readonly MaintenanceWindowInput[];
}): ApiParts {
  const now = opts.now ?? Date.now;
  const intervals = intervalsFromConfig(opts.config);
  const devices = () => opts.inventory.current().all();
  // one worker per heavy request the gate lets run at once; the rollup job computes there too
  const heavy = opts.storeConfig === undefined ? undefined : new HeavyPool({
    store: opts.storeConfig, threads: opts.config.http.limits.heavyConcurrency, logLevel: opts.config.log.level, maintenanceWindows: opts.maintenanceWindows,
    inventory: devices,
  });
  // the heavy workers' shared copy of the inventory is made at start and on each change, not by
  // the first heavy request after it (about 0.3 s of this thread at 100 000 devices)
  heavy?.prepareInventory();
  const stopPreparing = heavy ? opts.inventory.onChange(() => heavy.prepareInventory()) : () => {};
  const rollups = new RollupJob({
    store: opts.store, devices, now, intervals, log: opts.log, maintenance: opts.maintenance,
    compute: heavy ? (list, from, to) => heavy.rollups({ devices: list, from, to, intervals }) : undefined,
  });
  rollups.start();
  const live = new LiveState({
    store: opts.store, devices, intervals, now, maintenance: opts.maintenance, feed: opts.feed, log: opts.log,
    rollupsWritten: (listener) => onRollupsWritten(opts.store, listener),
  });
  const restored = live.start().catch((err: Error) => opts.log.error({ err: err.message }, 'live state not restored: reads recompute from the store'));
  const events = new StatusEvents({ store: opts.store, devices, now, intervals, log: opts.log, live });
  const deps: ApiDeps = {
    store: opts.store,
    inventory: () => opts.inventory.current(),
    now,
    auth: { readToken: opts.config.http.auth.readToken, adminToken: opts.config.http.auth.adminToken },
    limits: opts.config.http.limits,
    intervals,
    coverageCache: new CoverageCache(),
    avgHouseholdSize: opts.config.households.averageSize,
    maintenance: opts.maintenance,
    operations: opts.operations,
    public: opts.config.public,
    metrics: opts.metrics,
    events,
    live,
    heavy,
    rollups,
    reloadInventory: async () => {
      const r = await opts.inventory.reload();
      return r.ok ? { ok: true } : { ok: false, errors: r.errors };
    },
  };
  return {
    deps,
    close: async () => {
      events.stop();
      live.stop();
      await restored;
      await rollups.stop();
      stopPreparing();
      await heavy?.close();
    },
  };
}
