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
import { startEmbeddedBroker, type EmbeddedBroker } from './broker/embedded-broker.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createLogger, type Logger } from './log.js';
import type { StoreHealth } from './store/metric-store.js';

export interface RunningService {
  /** e.g. http://127.0.0.1:8080 */
  readonly url: string;
  readonly config: Config;
  close(): Promise<void>;
}

/**
 * The store seam. server/store/create-store.ts (being written alongside) will build the InfluxDB or
 * the embedded SQLite store from `config.store` and `config.dataDir`; until it lands, health says
 * plainly that no store is wired instead of pretending one is there.
 */
function buildStoreHealth(config: Config): { health(): Promise<StoreHealth>; close(): Promise<void> } {
  const kind: StoreHealth['kind'] = config.store.influx ? 'influxdb' : 'sqlite';
  return {
    health: async () => ({ kind, ok: false, detail: 'store not wired yet: server/store/create-store.ts is pending' }),
    close: async () => {},
  };
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

/** Build every part from a validated config and listen. Throws if a part cannot start. */
export async function startService(config: Config, log: Logger): Promise<RunningService> {
  mkdirSync(config.dataDir, { recursive: true });
  const closers: (() => Promise<void>)[] = [];
  try {
    const store = buildStoreHealth(config);
    closers.push(() => store.close());

    // The write pipeline (collectors/pipeline/) and the collectors plug in here once they land.

    const components: Record<string, () => Promise<ComponentHealth>> = {};
    let broker: EmbeddedBroker | undefined;
    if (config.mqtt.url === undefined) {
      broker = await startEmbeddedBroker({ port: config.mqtt.embeddedPort, log });
      closers.push(() => broker!.close());
      const b = broker;
      components['broker'] = async () => ({ ok: true, detail: `embedded broker at ${b.url}`, url: b.url, clients: b.connectedClients() });
    } else {
      components['broker'] = async () => ({ ok: true, detail: `external broker ${config.mqtt.url} (not yet connected by a collector)`, url: config.mqtt.url });
    }

    const app = createApp({ store, components, log, version: packageVersion(), corsOrigins: config.http.cors });
    const http: Server = createServer(app);
    await listen(http, config.http.port, config.http.host);
    closers.push(() => new Promise<void>((resolve) => {
      http.close(() => resolve());
      http.closeAllConnections();
    }));
    const address = http.address() as AddressInfo;
    const urlHost = config.http.host === '0.0.0.0' || config.http.host === '::' ? '127.0.0.1' : config.http.host;
    const url = `http://${urlHost}:${address.port}`;
    log.info({ url, dataDir: config.dataDir, store: config.store.influx ? 'influxdb' : 'sqlite', broker: broker?.url ?? config.mqtt.url, simulator: config.simulator.enabled }, `netatlas listening on ${url}`);

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
  let signals = 0;
  const stop = (signal: NodeJS.Signals): void => {
    signals += 1;
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
