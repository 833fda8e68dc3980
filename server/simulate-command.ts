/**
 * `netatlas simulate`: the simulated network on its own, against a given broker, for trying a
 * real deployment (`netatlas start --config …` polling and subscribing as it would in
 * production). Fibre node i answers SNMP on 127.0.0.1:<snmp base port + i>, so the deployment's
 * inventory must say the same (the demo inventory does, for base 16100). Runs until SIGINT or
 * SIGTERM; then every AP says `offline` (retained) and the agents stop.
 */
import { loadConfig, type Config } from './config.js';
import { watchInventory } from './inventory/watcher.js';
import { createLogger, type Logger } from '../core/log.js';
import { inventoryFiles } from './inventory/inventory-files.js';
import { startSimulatedNetwork, type SimulatedNetwork } from '../sim/network.js';

export interface SimulateOptions {
  config?: string;
  broker?: string;
  snmpBasePort?: string;
  devices?: string;
  seed?: string;
  faults?: boolean;
  protocol?: string;
  topicPrefix?: string;
}

export interface SimulateIo {
  out: (line: string) => void;
  err: (line: string) => void;
  env: Readonly<Record<string, string | undefined>>;
  /** a progress line that overwrites itself (TTY only); undefined when not a TTY */
  progress?: (text: string) => void;
}

function intOption(name: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name}: must be an integer from ${min} to ${max}, got "${text}"`);
  return n;
}

/** Starts the network; resolves with it once every agent listens and every AP tried to connect. */
export async function runSimulate(options: SimulateOptions, io: SimulateIo, log?: Logger): Promise<SimulatedNetwork> {
  const config: Config = loadConfig({ file: options.config, env: io.env });
  const logger = log ?? createLogger({ level: config.log.level === 'info' ? 'warn' : config.log.level });
  const mqttSection = (config.collectors['mqtt'] ?? {}) as { url?: string; topicPrefix?: string; username?: string; password?: string };
  const broker = options.broker ?? mqttSection.url ?? config.mqtt.url ?? 'mqtt://127.0.0.1:1883';
  if (!URL.canParse(broker)) throw new Error(`--broker: not a URL: "${broker}"`);
  const protocolVersion = intOption('protocol', options.protocol, 4, 4, 5) as 4 | 5;
  const seed = intOption('seed', options.seed, config.simulator.seed, 0, 2 ** 31);
  const files = await inventoryFiles({
    dataDir: config.dataDir,
    devicesFile: options.devices ?? config.inventory.devicesFile,
    areasFile: config.inventory.areasFile,
    avgHouseholdSize: config.households.averageSize,
    // the simulator runs whatever the config says: a resized demo inventory is generated as with it on
    simulator: { ...config.simulator, enabled: true },
  }, logger);
  const inventory = await watchInventory({ ...files, avgHouseholdSize: config.households.averageSize, log: logger });
  const devices = inventory.current().devices;
  inventory.close();
  const fibre = devices.filter((d) => d.snmp);
  // Default: where the inventory says the first fibre node is, so `simulate --config` of the same
  // file as `start --config` just works.
  const basePort = intOption('snmp-base-port', options.snmpBasePort, fibre[0]?.snmp?.port ?? config.simulator.snmpBasePort, 1, 65535);
  const mismatched = fibre.filter((d, i) => d.snmp!.port !== basePort + i || !['127.0.0.1', 'localhost'].includes(d.snmp!.host));
  if (mismatched.length > 0) {
    const d = mismatched[0]!;
    io.err(`warning: ${mismatched.length} fibre devices of ${files.devicesPath} are not at 127.0.0.1:${basePort}+i (e.g. ${d.id} at ${d.snmp!.host}:${d.snmp!.port}, simulated at 127.0.0.1:${basePort + fibre.indexOf(d)}); a service polling that inventory will see them down`);
  }
  io.out(`simulating ${fibre.length} fibre nodes on 127.0.0.1:${basePort}-${basePort + Math.max(0, fibre.length - 1)} (SNMP v2c) and ${devices.filter((d) => d.tech === 'wifi').length} wifi APs on ${broker}`);
  const network = await startSimulatedNetwork({
    devices,
    broker: { url: broker, protocolVersion, topicPrefix: options.topicPrefix ?? mqttSection.topicPrefix ?? `${config.mqtt.topicPrefix}/wifi`, username: mqttSection.username ?? config.mqtt.username, password: mqttSection.password ?? config.mqtt.password },
    snmpBasePort: basePort,
    ports: 'exact',
    seed,
    telemetryIntervalS: config.simulator.telemetryIntervalS,
    faults: options.faults ?? config.simulator.faults,
    randomFaultsPerHour: config.simulator.randomFaultsPerHour,
    log: logger,
    onProgress: (what, done, total) => io.progress?.(`${what === 'agents' ? 'SNMP agents started' : 'APs connected'}: ${done}/${total}`),
  });
  io.progress?.('');
  const st = network.stats();
  io.out(`running: ${st.agents} SNMP agents, ${st.apsOnline}/${st.aps} APs online${network.faults ? `, faults ${options.faults ?? config.simulator.faults ? 'on' : 'off'}` : ''}; Ctrl-C stops`);
  return network;
}
