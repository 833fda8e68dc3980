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
import { intervalsFromConfig, startApiParts } from './api/build-deps.js';
import { createOperations } from './alerts/operations.js';
import { devicesHealth } from './alerts/device-health.js';
import { startEmbeddedBroker, type EmbeddedBroker } from './broker/embedded-broker.js';
import { brokerHealth, brokerSysOf } from './broker/broker-health.js';
import { redactUrl } from './redact.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createLogger, type Logger } from './log.js';
import type { MetricStore } from './store/metric-store.js';
import { createStore } from './store/create-store.js';
import { createMetricsRegistry } from './self-metrics.js';
import { BatchingWriter } from '../collectors/pipeline/index.js';
import type { PipelineStats } from '../collectors/pipeline/pipeline-metrics.js';
import { CollectorRunner } from '../collectors/runner.js';
import { registry as collectorRegistry, type InventoryView } from '../collectors/registry.js';
import type { Collector } from '../collectors/types.js';
import type { Registry } from './self-metrics.js';
import { watchInventory } from './inventory/watcher.js';
import { DEMO_SNMP_CONFIG, demoInventoryFiles } from '../sim/demo-setup.js';
import { startSimulatedNetworkInWorker } from '../sim/network-in-worker.js';
import { withSnmpPorts } from '../sim/port-view.js';

export interface RunningService {
  /** e.g. http://127.0.0.1:8080 */
  readonly url: string;
  readonly config: Config;
  close(): Promise<void>;
}

/**
 * Open the store. An InfluxDB that is down at start-up does not stop the service: the pipeline
 * spools to disk meanwhile, and init (database, retention policies) is retried until it succeeds.
 */
async function openStore(config: Config, log: Logger): Promise<{ store: MetricStore; stop(): void }> {
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
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

/**
 * On a TTY, one line every 5 s while the spool left by an earlier run (a long store outage) is
 * replayed: batches left and points replayed. Whole lines, as the JSON logs share the terminal.
 */
export function spoolReplayProgress(pipeline: { stats(): PipelineStats }, out: { isTTY?: boolean; write(s: string): unknown }, everyMs = 5000): () => void {
  const first = pipeline.stats();
  if (out.isTTY !== true || first.spoolRecords === 0) return () => {};
  const started = Date.now();
  out.write(`replaying the spool: ${first.spoolRecords} batches (${first.spoolBytes} bytes) from an earlier run\n`);
  const timer = setInterval(() => {
    const s = pipeline.stats();
    const elapsed = `${Math.round((Date.now() - started) / 1000)} s`;
    if (s.spoolRecords === 0) {
      out.write(`spool replayed: ${s.replayed} points in ${elapsed}\n`);
      clearInterval(timer);
    } else {
      out.write(`replaying the spool: ${s.spoolRecords} batches left, ${s.replayed} points replayed, ${elapsed}\n`);
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
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

/**
 * Each registry collector's config section: the configured one, else its defaults; the MQTT
 * collector is pointed at the service's broker (the embedded one when none is configured), and
 * the demo gets fast SNMP settings (sim/demo-setup.ts).
 */
function collectorSections(config: Config, brokerUrl: string, embedded: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, def] of Object.entries(collectorRegistry)) {
    const given = config.collectors[name];
    const demo = name === 'snmp' && config.simulator.enabled ? DEMO_SNMP_CONFIG : {};
    out[name] = given ?? def.configSchema.parse(demo);
  }
  const mqtt = { ...(out['mqtt'] as Record<string, unknown>) };
  if (mqtt['url'] === undefined) {
    mqtt['url'] = brokerUrl;
    // aedes speaks MQTT 3.1.1 only
    if (embedded) mqtt['protocolVersion'] = 4;
  }
  if (mqtt['username'] === undefined && config.mqtt.username !== undefined) mqtt['username'] = config.mqtt.username;
  if (mqtt['password'] === undefined && config.mqtt.password !== undefined) mqtt['password'] = config.mqtt.password;
  // the top-level mqtt section's other documented keys, unless collectors.mqtt sets its own
  // the documented top-level prefix gives the default topics `<prefix>/wifi/<device>/...`, unless
  // collectors.mqtt is configured with its own topicPrefix
  if (config.collectors['mqtt'] === undefined) mqtt['topicPrefix'] = `${config.mqtt.topicPrefix}/wifi`;
  if (mqtt['clientId'] === undefined && config.mqtt.clientId !== undefined) mqtt['clientId'] = config.mqtt.clientId;
  if (mqtt['sharedGroup'] === undefined && config.mqtt.sharedGroup !== undefined) mqtt['sharedGroup'] = config.mqtt.sharedGroup;
  if (mqtt['tls'] === undefined && (config.mqtt.ca ?? config.mqtt.cert ?? config.mqtt.key) !== undefined) {
    mqtt['tls'] = { caFile: config.mqtt.ca, certFile: config.mqtt.cert, keyFile: config.mqtt.key, rejectUnauthorized: true };
  }
  out['mqtt'] = mqtt;
  return out;
}

/** Create every enabled registry collector and start them under one runner. */
async function startCollectors(config: Config, sections: Record<string, unknown>, deps: { view: InventoryView; metrics: Registry; sink: BatchingWriter; log: Logger }): Promise<{ runner: CollectorRunner; collectors: Collector[] }> {
  const runner = new CollectorRunner({ sink: deps.sink, metrics: deps.metrics, log: deps.log });
  const collectors: Collector[] = [];
  for (const [name, def] of Object.entries(collectorRegistry)) {
    const section = sections[name];
    if ((section as { enabled?: unknown }).enabled === false) continue;
    const collector = await def.create(section, { log: deps.log, metrics: deps.metrics, inventory: deps.view, dataDir: config.dataDir });
    runner.add(collector);
    collectors.push(collector);
  }
  await runner.start();
  return { runner, collectors };
}

/**
 * One line per collector for /api/health: the SNMP cycle summary, the MQTT connection. The
 * embedded broker is started here, not by the MQTT collector (it is handed the broker's URL), so
 * its own `embeddedBroker` would say false: a collector whose broker is ours says true.
 */
function collectorHealth(collectors: readonly Collector[], embeddedBrokerUrl: string | undefined): ComponentHealth {
  const parts: Record<string, unknown> = {};
  let ok = true;
  const details: string[] = [];
  for (const c of collectors) {
    const withCycle = c as Collector & { lastCycle?: { devices: number; up: number; down: number } };
    const withState = c as Collector & { state?: () => { connected: boolean; url?: string; embeddedBroker?: boolean } };
    if (typeof withState.state === 'function') {
      const st = withState.state();
      const embedded = st.embeddedBroker === true || (embeddedBrokerUrl !== undefined && st.url === embeddedBrokerUrl);
      parts[c.name] = 'embeddedBroker' in st ? { ...st, embeddedBroker: embedded } : st;
      ok &&= st.connected;
      details.push(`${c.name}: ${st.connected ? 'connected' : 'not connected'}`);
    } else if ('lastCycle' in withCycle) {
      parts[c.name] = withCycle.lastCycle ?? null;
      details.push(withCycle.lastCycle ? `${c.name}: ${withCycle.lastCycle.up} up, ${withCycle.lastCycle.down} down` : `${c.name}: first cycle running`);
    } else {
      parts[c.name] = { running: true };
    }
  }
  return { ok, detail: details.join('; ') || 'no collectors', ...parts };
}

/** Build every part from a validated config and listen. Throws if a part cannot start. */
export async function startService(config: Config, log: Logger): Promise<RunningService> {
  mkdirSync(config.dataDir, { recursive: true });
  const closers: (() => Promise<void>)[] = [];
  try {
    const metrics = createMetricsRegistry();
    const { store, stop: stopInit } = await openStore(config, log);
    closers.push(async () => {
      stopInit();
      await store.close();
    });
    const pipeline = await BatchingWriter.open({
      store,
      dataDir: config.dataDir,
      batchSize: config.pipeline.batchSize,
      flushIntervalMs: config.pipeline.flushIntervalMs,
      maxQueuePoints: config.pipeline.maxQueuePoints,
      registry: metrics,
      logger: log,
    });
    // Closed before the store (closers run in reverse), so queued points reach it or the spool.
    closers.push(() => pipeline.close());
    const stopReplayProgress = spoolReplayProgress(pipeline, process.stderr);
    closers.push(async () => stopReplayProgress());

    const components: Record<string, () => Promise<ComponentHealth>> = {
      pipeline: async () => {
        const stats = pipeline.stats();
        return { ok: stats.dropped === 0, detail: stats.dropped === 0 ? 'no points lost' : `${stats.dropped} points lost (spool not writable)`, ...stats };
      },
    };
    let broker: EmbeddedBroker | undefined;
    if (config.mqtt.url === undefined) {
      broker = await startEmbeddedBroker({ port: config.mqtt.embeddedPort, log });
      closers.push(() => broker!.close());
    }
    // the broker's $SYS counters, as the MQTT collector (started below) reads them
    let brokerSys: ReturnType<typeof brokerSysOf>;
    components['broker'] = brokerHealth({ ...(broker ? { embedded: broker } : {}), ...(config.mqtt.url !== undefined ? { url: config.mqtt.url } : {}), sys: () => brokerSys?.() });

    // Inventory (the demo's when none is configured), the simulated network, the collectors.
    const files = demoInventoryFiles({
      dataDir: config.dataDir,
      devicesFile: config.inventory.devicesFile,
      areasFile: config.inventory.areasFile,
      avgHouseholdSize: config.households.averageSize,
      simulator: config.simulator,
    }, log);
    const inventory = await watchInventory({ ...files, avgHouseholdSize: config.households.averageSize, log });
    closers.push(async () => inventory.close());
    const brokerUrl = broker?.url ?? config.mqtt.url!;
    const sections = collectorSections(config, brokerUrl, broker !== undefined);
    let view: InventoryView = inventory.view;
    if (config.simulator.enabled) {
      const mqttSection = sections['mqtt'] as { topicPrefix: string; protocolVersion: 4 | 5; username?: string; password?: string };
      // In a worker thread: its own event loop, so polls measure the network, not our load.
      const network = await startSimulatedNetworkInWorker({
        devices: inventory.current().devices,
        broker: { url: brokerUrl, protocolVersion: broker ? 4 : mqttSection.protocolVersion, topicPrefix: mqttSection.topicPrefix, username: mqttSection.username, password: mqttSection.password },
        snmpBasePort: config.simulator.snmpBasePort,
        ports: 'free',
        seed: config.simulator.seed,
        telemetryIntervalS: config.simulator.telemetryIntervalS,
        faults: config.simulator.faults,
        randomFaultsPerHour: config.simulator.randomFaultsPerHour,
      }, config.log.level);
      closers.push(() => network.close());
      view = withSnmpPorts(view, network.snmpPorts);
      components['simulator'] = async () => {
        const st = network.stats();
        return { ok: true, detail: `${st.agentsAnswering}/${st.agents} SNMP agents answering, ${st.apsOnline}/${st.aps} APs online, ${st.activeFaults} faults active`, snmpBasePort: network.snmpBasePort, ...st, faults: network.faultHistory() };
      };
    }
    const { runner, collectors } = await startCollectors(config, sections, { view, metrics, sink: pipeline, log });
    brokerSys = brokerSysOf(collectors);
    // Stopped before the simulator and the pipeline (closers run in reverse): the last points flush.
    closers.push(() => runner.stop());
    components['collectors'] = async () => collectorHealth(collectors, broker?.url);

    // The API's live parts: hourly rollups (node-cron), status events for SSE; stopped before the store.
    // Alerts, notifiers, maintenance windows, scheduled reports (server/alerts/operations.ts);
    // closed after the API parts and before the store.
    const ops = createOperations({
      config, store, inventory: () => inventory.current(), dataDir: config.dataDir, intervals: intervalsFromConfig(config),
      avgHouseholdSize: config.households.averageSize, logger: log,
      health: Object.entries(components).map(([name, probe]) => ({ name, probe })),
    });
    closers.push(() => ops.close());
    // Added after createOperations on purpose: unreadable devices raise device_unreadable alerts,
    // not a second `health` alert for this component.
    components['devices'] = devicesHealth({ store, devices: () => inventory.current().all(), intervals: intervalsFromConfig(config) });
    const api = startApiParts({ store, inventory, metrics, config, log, maintenance: ops.maintenanceSpans });
    api.deps.extraRoutes = ops.routes;
    closers.push(() => api.close());
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
    await listen(http, config.http.port, config.http.host);
    closers.push(() => new Promise<void>((resolve) => {
      http.close(() => resolve());
      http.closeAllConnections();
    }));
    const address = http.address() as AddressInfo;
    const urlHost = config.http.host === '0.0.0.0' || config.http.host === '::' ? '127.0.0.1' : config.http.host;
    const url = `http://${urlHost}:${address.port}`;
    log.info({ url, dataDir: config.dataDir, store: config.store.influx ? 'influxdb' : 'sqlite', broker: redactUrl(broker?.url ?? config.mqtt.url), simulator: config.simulator.enabled }, `netatlas listening on ${url}`);

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
  let service: RunningService;
  try {
    service = await startService(config, log);
  } catch (err) {
    log.fatal({ err }, 'netatlas could not start');
    process.exit(1);
  }
  // Plain lines for people (the JSON logs are for machines): where to look, where data lives.
  const where = config.store.influx ? `InfluxDB ${redactUrl(config.store.influx.url)} database ${config.store.influx.database}; spool in ${config.dataDir}` : `embedded store and spool in ${config.dataDir}`;
  process.stdout.write(`netatlas is running: open ${service.url}\n  data: ${where}\n${config.simulator.enabled ? '  simulated network on (the demo); use --config FILE for a real deployment\n' : ''}`);
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
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main({ configFile: process.argv[2] });
}
