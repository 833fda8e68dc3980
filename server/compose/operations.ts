/**
 * Builds the operator-facing parts from their config sections: maintenance windows, the alert
 * engine, the notifiers with their persisted queue, the report generator and scheduler. Their
 * routers (GET /api/alerts, /api/maintenance, /api/reports) are the API's: it mounts them from
 * `api`, passed as ApiDeps.operations. main.ts calls this once; a test calls it with its own
 * store, inventory, data dir and clock.
 */
import { deviceUptimes } from '../status/device-uptimes.js';
import type { OperationsRouterDeps } from '../api/deps.js';
import type { DefaultIntervals } from '../status/index.js';
import type { Span } from '../analytics/intervals.js';
import type { Device } from '../../core/device.js';
import type { Inventory } from '../inventory/inventory.js';
import { silentLogger, type Logger } from '../../core/log.js';
import type { MaintenanceConfig } from '../maintenance/config.js';
import { MaintenanceWindows } from '../maintenance/windows.js';
import { MaintenanceRollupRefresher } from '../maintenance/rollup-refresh.js';
import { parseDurationMs } from '../store/influx-admin.js';
import type { NotifierConfig } from '../notifiers/config.js';
import { DeliveryQueue } from '../notifiers/delivery-queue.js';
import { Dispatcher } from '../notifiers/dispatcher.js';
import { createNotifiers } from '../notifiers/index.js';
import type { ReportsConfig } from '../scheduled-reports/config.js';
import { ReportGenerator, reportsDir } from '../scheduled-reports/generator.js';
import { ReportScheduler } from '../scheduled-reports/scheduler.js';
import type { MetricStore } from '../store/metric-store.js';
import type { AlertsConfig } from '../alerts/config.js';
import { AlertEngine, type HealthProbe } from '../alerts/engine.js';
import { AlertHistory } from '../alerts/history.js';

export interface OperationsConfig {
  alerts: AlertsConfig;
  notifiers: readonly NotifierConfig[];
  maintenance: MaintenanceConfig;
  reports: ReportsConfig;
  /** the store section (main passes the whole config): its retentions bound the rollup recomputation */
  store?: {
    influx?: { rawRetention: string; longRetention: string } | undefined;
    sqlite?: { rawRetention: string; longRetention: string } | undefined;
  } | undefined;
}

export interface OperationsDeps {
  config: OperationsConfig;
  store: MetricStore;
  inventory: () => Inventory;
  dataDir: string;
  intervals: DefaultIntervals;
  avgHouseholdSize: number;
  now?: () => number;
  logger?: Logger;
  /** components the health rule watches besides the store */
  health?: readonly HealthProbe[];
}

export interface Operations {
  maintenance: MaintenanceWindows;
  /** maintenance spans of a device: pass as ApiDeps.maintenance so /api/uptime excludes them */
  maintenanceSpans: (device: Device, from: number, to: number) => Span[];
  history: AlertHistory;
  queue: DeliveryQueue;
  dispatcher: Dispatcher;
  engine: AlertEngine;
  generator: ReportGenerator;
  scheduler: ReportScheduler;
  /** what the API's alert, maintenance and report routers read: pass as ApiDeps.operations */
  api: OperationsRouterDeps;
  /** starts the evaluation loop, the delivery loop and the report schedule */
  start(): void;
  close(): Promise<void>;
}

export function createOperations(deps: OperationsDeps): Operations {
  const log = deps.logger ?? silentLogger;
  const now = deps.now ?? Date.now;
  const { config } = deps;
  const maintenance = new MaintenanceWindows({ configured: config.maintenance.windows, dataDir: deps.dataDir, logger: log });
  const maintenanceSpans = (d: Device, from: number, to: number): Span[] => maintenance.spansFor(d, from, to);
  // a window added or removed through the API rolls up its past hours again (the job only redoes the last 2)
  // the retentions of the store in use: past them, raw samples are gone and rollups must not be redone
  const retention = config.store?.influx ?? config.store?.sqlite;
  const refresher = new MaintenanceRollupRefresher({
    store: deps.store, windows: maintenance, devices: () => deps.inventory().all(), intervals: deps.intervals, now, log,
    ...(retention ? { longRetentionMs: parseDurationMs(retention.longRetention), rawRetentionMs: parseDurationMs(retention.rawRetention) } : {}),
  });
  const history = new AlertHistory({ dataDir: deps.dataDir });
  const queue = new DeliveryQueue({ dataDir: deps.dataDir });
  const notifiers = createNotifiers(config.notifiers);
  const dispatcher = new Dispatcher({ queue, notifiers, now, logger: log });
  // alert events go to every notifier; reports only to those their schedule names
  const engine = new AlertEngine({
    store: deps.store, devices: () => deps.inventory().all(),
    areaName: (id: string) => deps.inventory().areas.find((a) => a.id === id)?.name, maintenance, config: config.alerts, history,
    publish: (e) => dispatcher.enqueue(e), now, logger: log, intervals: deps.intervals, ...(deps.health ? { health: deps.health } : {}),
  });
  const generator = new ReportGenerator({
    store: deps.store, inventory: deps.inventory, dataDir: deps.dataDir, intervals: deps.intervals, avgHouseholdSize: deps.avgHouseholdSize,
    maintenance: maintenanceSpans, worstDevices: config.reports.worstDevices, logger: log,
    uptimes: async (devices, from, to, at) => (await deviceUptimes(deps.store, { devices, from, to, now: at, intervals: deps.intervals, maintenance: maintenanceSpans })).byDevice,
    announce: (event) => {
      const to = event.report.type === 'weekly-sla' ? config.reports.weeklySla.notify : config.reports.quarterlyDesi.notify;
      if (to.length > 0) dispatcher.enqueue(event, to);
    },
  });
  const scheduler = new ReportScheduler({ generator, config: config.reports, dataDir: deps.dataDir, now, logger: log });
  const api: OperationsRouterDeps = {
    alerts: { history, queue },
    maintenance: { windows: maintenance, onChange: (w) => refresher.refresh(w), log },
    reportsDir: reportsDir(deps.dataDir),
  };
  let closed: Promise<void> | undefined;
  return {
    maintenance, maintenanceSpans, history, queue, dispatcher, engine, generator, scheduler, api,
    start() {
      dispatcher.start();
      if (config.alerts.enabled) engine.start();
      scheduler.start();
    },
    close: () => (closed ??= (async () => {
      await engine.stop();
      await scheduler.stop();
      await dispatcher.stop();
      history.close();
      queue.close();
    })()),
  };
}
