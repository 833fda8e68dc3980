/**
 * Builds the API's live parts for the service (main.ts): the hourly rollup job, the status event
 * poller, and the ApiDeps that createApp mounts. Tests build ApiDeps directly instead.
 */
import type { Registry } from 'prom-client';
import { CoverageCache } from '../analytics/coverage.js';
import type { Config } from '../config.js';
import { StatusEvents } from '../events.js';
import type { InventoryWatcher } from '../inventory/watcher.js';
import type { Logger } from '../../core/log.js';
import { RollupJob } from '../rollups.js';
import type { MetricStore } from '../store/metric-store.js';
import type { ApiDeps } from './deps.js';
import type { DefaultIntervals } from '../status/index.js';
import type { StatusFeed } from '../status/feed.js';
import { LiveState } from '../status/live-state.js';
import { onRollupsWritten } from '../rollups.js';
import { snmpConfigSchema, type SnmpConfig } from '../../collectors/snmp/config.js';
import { DEMO_SNMP_CONFIG } from '../../sim/demo-setup.js';
import { snmpIntervalOf } from '../../collectors/snmp/schedule.js';

/**
 * The intervals the collectors really use, for server/status to resolve each device's effective
 * interval: the SNMP collector's `intervalS` and its groups' `intervalS` (through the collector's
 * own group matching, so the analytics and the poll schedule agree), and the APs' telemetry
 * interval (mqtt `expectedIntervalS`). A collector absent from the config runs on its defaults,
 * the SNMP collector on the demo's when the simulator is on (as server/collection starts it).
 */
export function intervalsFromConfig(config: Pick<Config, 'collectors' | 'simulator'>): DefaultIntervals {
  // each section was validated by its collector's schema (config-schema.ts collectorsSchema)
  const snmp = (config.collectors['snmp'] as SnmpConfig | undefined)
    ?? snmpConfigSchema.parse(config.simulator.enabled ? DEMO_SNMP_CONFIG : {});
  const mqtt = config.collectors['mqtt'] as { expectedIntervalS?: number } | undefined;
  const out: DefaultIntervals = { fibreS: snmp.intervalS, wifiS: mqtt?.expectedIntervalS ?? 60 };
  if (snmp.groups.some((g) => g.intervalS !== undefined)) out.snmpGroupS = snmpIntervalOf(snmp);
  return out;
}

export interface ApiParts {
  deps: ApiDeps;
  close(): Promise<void>;
}

/**
 * `feed`: the points the write pipeline made durable (server/status/feed.ts); the live state
 * follows them, restored from the store in the background (reads use the store until it is ready).
 */
export function startApiParts(opts: { store: MetricStore; inventory: InventoryWatcher; metrics: Registry; config: Config; log: Logger; now?: () => number; maintenance?: ApiDeps['maintenance']; feed?: StatusFeed }): ApiParts {
  const now = opts.now ?? Date.now;
  const intervals = intervalsFromConfig(opts.config);
  const devices = () => opts.inventory.current().all();
  const rollups = new RollupJob({ store: opts.store, devices, now, intervals, log: opts.log, maintenance: opts.maintenance });
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
    metrics: opts.metrics,
    events,
    live,
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
    },
  };
}
