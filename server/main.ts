/**
 * The service entry point: reads the environment, loads the config, builds the parts, listens,
 * and shuts down on SIGINT/SIGTERM. The only module that calls process.exit (DESIGN.md
 * convention 6); everything it builds can be built by a test without it.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { createApp, type ComponentHealth } from './app.js';
import { startPruning } from './retention/prune.js';
import { devicesHealth } from './alerts/device-health.js';
import { redactUrl } from '../core/redact.js';
import { warnIfApiOpen } from './exposure.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { intervalsFromConfig } from './config-collectors.js';
import { createLogger, type Logger } from '../core/log.js';
import { watchInventory } from './inventory/watcher.js';
import { inventoryChecks } from './collection/collection-health.js';
import { MergedMetricsRegistry } from './collection/merged-metrics.js';
import { lowerThisThreadPriority } from './collection/thread-priority.js';
import type { CollectionMode } from './collection/collection.js';
import { openStore } from './store/open-store.js';
import { inventoryFiles } from './inventory/inventory-files.js';
import { startCollectionPart } from './compose/collection.js';
import { createOperations } from './compose/operations.js';
import { startApiParts } from './compose/api.js';
import { startCollectorProcess } from './cluster/collector-process.js';
import { startRemoteCollectionPart } from './cluster/remote-collection.js';

export { spoolReplayProgress } from './collection/spool-progress.js';

export interface RunningService {
  /** e.g. http://127.0.0.1:8080 */
  readonly url: string;
  readonly config: Config;
  close(): Promise<void>;
}

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? 'dev';
  } catch {
    return 'dev';
  }
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

export interface ServiceOptions {
  /**
   * Where the collectors, the write pipeline and the embedded broker run: a worker thread of their
   * own (default: API work cannot delay a poll cycle, a PUBACK or a write) or the API's thread.
   */
  collection?: CollectionMode;
  /** called when the collection side stops without being closed (its worker died) */
  onCollectionFailure?: (reason: string) => void;
  /**
   * Linux: raise the API thread's nice value by this much once collection runs in its worker,
   * so that a busy machine gives collection the CPU first (collection/thread-priority.ts); 0: no.
   */
  apiThreadNice?: number;
}

/**
 * Build every part from a validated config and listen. Throws if a part cannot start. Each part
 * comes from a builder in server/compose/; closers run in reverse: the HTTP server, the API's live
 * parts, the operations, the inventory, the collection side (its pipeline flushes), the store.
 */
export async function startService(config: Config, log: Logger, options: ServiceOptions = {}): Promise<RunningService> {
  mkdirSync(config.dataDir, { recursive: true });
  const closers: (() => Promise<void>)[] = [];
  try {
    const metrics = new MergedMetricsRegistry();
    const storeConfig = { influx: config.store.influx, dataDir: config.dataDir };
    const { store, close: closeStore } = await openStore(storeConfig, log, 'api');
    closers.push(closeStore);
    // the demo's inventory when none is configured; the collection side watches the same files
    const files = await inventoryFiles({
      dataDir: config.dataDir, devicesFile: config.inventory.devicesFile, areasFile: config.inventory.areasFile,
      avgHouseholdSize: config.households.averageSize, simulator: config.simulator,
    }, log);
    // role api: no collectors here; the status points come from the store (server/cluster/)
    const collection = config.role === 'api' ? startRemoteCollectionPart({ config, store, log })
      : startCollectionPart({ config, files, log, metrics, mode: options.collection ?? 'worker', onFailure: options.onCollectionFailure });
    closers.push(() => collection.close());
    const inventory = await watchInventory({ ...files, avgHouseholdSize: config.households.averageSize, populationGrid: config.inventory.populationGrid, log, validate: inventoryChecks(config) });
    closers.push(async () => inventory.close());
    const intervals = intervalsFromConfig(config);
    const components: Record<string, () => Promise<ComponentHealth>> = { ...collection.components };
    const ops = createOperations({
      config, store, inventory: () => inventory.current(), dataDir: config.dataDir, intervals,
      avgHouseholdSize: config.households.averageSize, logger: log,
      health: Object.entries(components).map(([name, probe]) => ({ name, probe })),
    });
    closers.push(() => ops.close());
    // report files and the notifier delivery log, pruned at start and daily (config retention.*)
    const stopPruning = startPruning({ dataDir: config.dataDir, retention: config.retention, log });
    closers.push(async () => stopPruning());
    const api = startApiParts({ store, inventory, metrics, config, log, maintenance: ops.maintenanceSpans, feed: collection.feed, operations: ops.api, storeConfig, maintenanceWindows: () => ops.maintenance.list() });
    closers.push(() => api.close());
    // Added after createOperations on purpose: unreadable devices raise device_unreadable alerts,
    // not a second `health` alert for this component. States from the live state once it has them.
    const live = api.deps.live;
    components['devices'] = devicesHealth({ store, devices: () => inventory.current().all(), intervals, states: (devices, at) => (live?.covers(devices, at) ? live.states(devices, at) : undefined) });
    ops.start();
    const app = createApp({ store, components, log, version: packageVersion(), corsOrigins: config.http.cors, api: api.deps,
      web: {
        tileUrl: config.map.tileUrl,
        ...(config.map.tileAttribution !== undefined ? { tileAttribution: config.map.tileAttribution } : {}),
        ...(config.map.center ? { center: config.map.center } : {}),
        ...(config.map.zoom !== undefined ? { zoom: config.map.zoom } : {}),
      },
    });
    const http: Server = createServer(app);
    const side = await collection.ready;
    await listen(http, config.http.port, config.http.host);
    // only now: the API's own start-up (rollups, live state) is not slowed on a busy machine
    if (side.where === 'worker') lowerThisThreadPriority(options.apiThreadNice ?? 0, log);
    closers.push(() => new Promise<void>((resolve) => {
      http.close(() => resolve());
      http.closeAllConnections();
    }));
    const url = `http://${urlHost(config.http.host)}:${(http.address() as AddressInfo).port}`;
    warnIfApiOpen({ host: config.http.host, port: (http.address() as AddressInfo).port, auth: config.http.auth }, log);
    log.info({ url, dataDir: config.dataDir, store: config.store.influx ? 'influxdb' : 'sqlite', broker: redactUrl(side.brokerUrl), simulator: config.simulator.enabled, collection: side.where }, `netatlas listening on ${url}`);
    let closing: Promise<void> | undefined;
    return {
      url,
      config,
      close: () => (closing ??= (async () => {
        for (const close of closers.reverse()) await close().catch((err: Error) => log.error({ err }, 'error while shutting down'));
      })()),
    };
  } catch (err) {
    for (const close of closers.reverse()) await close().catch(() => {});
    throw err;
  }
}

/** The host to print in URLs: a wildcard listen address is reached on loopback. */
function urlHost(host: string): string {
  return host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
}

export interface MainOptions {
  configFile?: string;
  env?: Readonly<Record<string, string | undefined>>;
}

/** Run until SIGINT/SIGTERM. A bad config exits 1 before any network call, printing every problem. */
export async function main(options: MainOptions = {}): Promise<void> {
  const env = options.env ?? process.env;
  let config: Config;
  try {
    config = loadConfig({ file: options.configFile, env });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`netatlas: ${err.message}\n`);
    process.exit(1);
  }
  const log = createLogger({ level: config.log.level });
  let service: RunningService | undefined;
  try {
    // role collector: collectors, pipeline and their own health endpoint (server/cluster/)
    service = config.role === 'collector' ? await startCollectorProcess(config, log) : await startService(config, log, {
      // nice 5: under contention the collection threads get about 3/4 of a core against the API's
      // 1/4 (CFS weights 1024 and 335); with idle CPU the API is not slowed at all
      apiThreadNice: 5,
      // Nothing is collected any more: stop (flushing what the API side holds) and exit 1, so
      // that a supervisor (systemd, docker) starts the service again.
      onCollectionFailure: () => {
        void (service?.close() ?? Promise.resolve()).then(() => process.exit(1));
      },
    });
  } catch (err) {
    log.fatal({ err }, 'netatlas could not start');
    process.exit(1);
  }
  let signals = 0;
  let firstSignalAt = 0;
  const stop = (signal: NodeJS.Signals): void => {
    // Ctrl-C (and `timeout`, and docker) signal the whole process group, and bin/netatlas.js or
    // tsx forward the same signal again: one press arrives twice within milliseconds. Only a
    // signal a second or more after the first means "stop now".
    if (signals > 0 && Date.now() - firstSignalAt < 1000) return;
    signals += 1;
    if (signals === 1) firstSignalAt = Date.now();
    if (signals > 1) {
      log.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(1);
    }
    log.info({ signal }, 'shutting down');
    // A part that hangs must not keep the process alive forever.
    const timer = setTimeout(() => {
      log.error('shutdown took longer than 10 s: exiting');
      process.exit(1);
    }, 10_000);
    timer.unref();
    void service.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // Printed once the handlers are on: whoever reads the line and signals at once (a test, a
  // supervisor) must reach stop(), not the default action that kills without a flush.
  // Plain lines for people (the JSON logs are for machines): where to look, where data lives.
  const where = config.store.influx ? `InfluxDB ${redactUrl(config.store.influx.url)} database ${config.store.influx.database}; spool in ${config.dataDir}` : `embedded store and spool in ${config.dataDir}`;
  process.stdout.write(`netatlas is running: open ${service.url}\n  data: ${where}\n${config.simulator.enabled ? '  simulated network on (the demo); use --config FILE for a real deployment\n' : ''}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main({ configFile: process.argv[2] });
}
