/**
 * What the API routers need, passed in by createApp's caller (main, or a test): the store, the
 * current inventory (a function, because the watcher swaps snapshots), the clock, auth tokens
 * and the optional live parts (status events, rollup job, metrics registry).
 */
import type { Registry } from 'prom-client';
import type { CoverageCache } from '../analytics/coverage.js';
import type { StatusEvents } from '../events.js';
import type { Inventory } from '../inventory/inventory.js';
import type { RollupJob, RollupRun } from '../rollups.js';
import type { MetricStore } from '../store/metric-store.js';
import type { DefaultIntervals } from '../status/index.js';
import type { Span } from '../analytics/intervals.js';
import type { Device } from '../../core/device.js';
import type { AlertsApiDeps } from './alerts.js';
import type { MaintenanceRouteOptions } from './maintenance.js';
import type { MaintenanceWindows } from '../maintenance/windows.js';
import type { PublicConfig } from '../public/config.js';
import type { LiveState } from '../status/live-state.js';
import type { HeavyReads } from '../heavy/heavy-pool.js';

export interface ApiAuth {
  /** bearer token for read routes; absent = read routes are public */
  readToken?: string | undefined;
  /** bearer token for admin routes; absent = admin routes answer 401 to everyone */
  adminToken?: string | undefined;
}

/** What clients may ask of the API (config `http.limits`; absent: no limits, as in most tests). */
export interface ApiLimits {
  readsPerMinute: number;
  eventStreams: number;
  eventStreamsPerClient: number;
  heavyConcurrency: number;
  heavyQueueMs: number;
  heavyQueueLength: number;
}

export interface ApiDeps {
  store: MetricStore;
  inventory: () => Inventory;
  now: () => number;
  auth: ApiAuth;
  intervals: DefaultIntervals;
  coverageCache: CoverageCache;
  /** persons per household used for estimated households (DESI report metadata) */
  avgHouseholdSize: number;
  metrics?: Registry | undefined;
  events?: StatusEvents | undefined;
  /**
   * Device state kept in memory as points arrive (server/status/live-state.ts): current status,
   * 24 h uptime and incidents of windows ending now are read from it once it is ready. Absent
   * (tests, or before it is restored): every read recomputes from the store.
   */
  live?: LiveState | undefined;
  rollups?: Pick<RollupJob, 'runOnce'> | undefined;
  /** reload the inventory files now (admin) */
  reloadInventory?: (() => Promise<{ ok: boolean; errors?: readonly string[] }>) | undefined;
  /** SSE keep-alive comment interval; default 15 s */
  sseKeepAliveMs?: number | undefined;
  /** maintenance windows per device (server/maintenance): excluded from uptime and incidents */
  maintenance?: ((device: Device, from: number, to: number) => Span[]) | undefined;
  /**
   * Long-window uptime and incidents in worker threads (server/heavy/heavy-pool.ts), so they never
   * hold this thread; absent (tests): the same reads run here.
   */
  heavy?: HeavyReads | undefined;
  /** rate limit, event stream caps and the heavy-analytics gate (server/api/request-limits.ts) */
  limits?: ApiLimits | undefined;
  /** alerts, maintenance windows and scheduled reports (server/compose/operations.ts): their routers are mounted when given */
  operations?: OperationsRouterDeps | undefined;
  /** public.* (server/public): the status page and the open data are mounted when given */
  public?: PublicConfig | undefined;
}

/** What the operations' routers read: built once by server/compose/operations.ts. */
export interface OperationsRouterDeps {
  /** GET /api/alerts, /api/alerts/deliveries */
  alerts: AlertsApiDeps;
  /** GET/POST/DELETE /api/maintenance */
  maintenance: MaintenanceRouteOptions & { windows: MaintenanceWindows };
  /** GET /api/reports: the folder the report scheduler writes to */
  reportsDir: string;
}

export type { RollupRun };
