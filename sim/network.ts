/**
 * The simulated network: one SNMP agent per fibre node with SNMP access, one MQTT client per wifi
 * AP, the day curve and the faults. It speaks only the protocols (UDP SNMP, MQTT), so the
 * collectors cannot tell it from real equipment. Used by `netatlas start` (the demo), by
 * `netatlas simulate` (against a real broker), and by the tests.
 */
import type { Device } from '../core/device.js';
import { silentLogger, type Logger } from '../core/log.js';
import { FaultPlayer, type FaultRecord, type ScriptStep } from './faults.js';
import { SimFibreNode } from './fibre-node.js';
import { createRng } from './rng.js';
import { findFreeUdpBlock } from './udp-ports.js';
import { SimAccessPoint, type BrokerTarget } from './wifi-ap.js';
import { redactUrl } from '../core/redact.js';

export interface SimNetworkOptions {
  /** the inventory's devices (with their derived areas): fibre ones with `snmp`, wifi APs */
  devices: readonly Device[];
  broker: BrokerTarget;
  /** fibre node i (in inventory order) listens on snmpBasePort + i */
  snmpBasePort: number;
  /**
   * `exact`: the ports must be snmpBasePort + i (a separate service polls what its inventory says);
   * `free`: the block moves up to the first free one (the demo rewrites the inventory's ports).
   */
  ports: 'exact' | 'free';
  community?: string;
  seed: number;
  telemetryIntervalS: number;
  /** false: no faults at all */
  faults: boolean;
  script?: readonly ScriptStep[];
  randomFaultsPerHour?: number;
  log?: Logger;
  /** start-up progress (agents started, APs connected), e.g. for a TTY progress line */
  onProgress?: (what: 'agents' | 'aps', done: number, total: number) => void;
}

export interface SimNetworkStats {
  agents: number;
  agentsAnswering: number;
  aps: number;
  apsOnline: number;
  telemetrySent: number;
  activeFaults: number;
}

export interface SimulatedNetwork {
  /** where fibre node i actually listens: snmpBasePort + i */
  readonly snmpBasePort: number;
  /** device id -> UDP port of its agent on 127.0.0.1 */
  readonly snmpPorts: ReadonlyMap<string, number>;
  readonly nodes: readonly SimFibreNode[];
  readonly aps: readonly SimAccessPoint[];
  readonly faults: FaultPlayer;
  stats(): SimNetworkStats;
  faultHistory(): readonly FaultRecord[];
  /** `sayOffline`: APs publish a retained `offline` before leaving (for brokers that outlive us) */
  close(options?: { sayOffline?: boolean }): Promise<void>;
}

/** APs connect in waves, so 400 clients do not hit the broker in the same millisecond. */
const CONNECT_WAVE = 50;
const DAY_CURVE_EVERY_MS = 30_000;
const TICK_MS = 250;

export async function startSimulatedNetwork(o: SimNetworkOptions): Promise<SimulatedNetwork> {
  const log = (o.log ?? silentLogger).child({ component: 'simulator' });
  const rng = createRng(o.seed);
  const fibre = o.devices.filter((d) => d.snmp !== undefined);
  const wifi = o.devices.filter((d) => d.tech === 'wifi');
  const base = o.ports === 'free' ? await findFreeUdpBlock(o.snmpBasePort, fibre.length) : o.snmpBasePort;
  if (base !== o.snmpBasePort) log.warn({ preferredPort: o.snmpBasePort, port: base, agents: fibre.length }, 'simulator: SNMP ports taken, using the next free block');

  const nodes: SimFibreNode[] = [];
  const aps: SimAccessPoint[] = [];
  const timers: NodeJS.Timeout[] = [];
  let telemetrySent = 0;
  const closeAll = async (sayOffline: boolean): Promise<void> => {
    for (const t of timers) clearInterval(t);
    await Promise.all(aps.map((a) => a.close(sayOffline)));
    await Promise.all(nodes.map((n) => n.close()));
  };
  try {
    for (let i = 0; i < fibre.length; i++) {
      nodes.push(await SimFibreNode.start({ device: fibre[i]!, port: base + i, community: o.community ?? 'public', rng }));
      o.onProgress?.('agents', i + 1, fibre.length);
    }
    for (const d of wifi) aps.push(new SimAccessPoint(d, o.broker, rng));
    for (let i = 0; i < aps.length; i += CONNECT_WAVE) {
      await Promise.all(aps.slice(i, i + CONNECT_WAVE).map((a) => a.powerOn(5000)));
      o.onProgress?.('aps', Math.min(aps.length, i + CONNECT_WAVE), aps.length);
    }
  } catch (err) {
    await closeAll(false);
    throw err;
  }

  // Telemetry phases are spread over the interval, so the broker sees a steady stream.
  const intervalMs = o.telemetryIntervalS * 1000;
  const t0 = Date.now();
  for (const a of aps) a.nextDueAt = t0 + rng.range(0, intervalMs);
  timers.push(setInterval(() => {
    const now = Date.now();
    for (const a of aps) {
      if (a.nextDueAt > now) continue;
      a.nextDueAt = now + intervalMs;
      if (a.online) { a.publishTelemetry(now); telemetrySent++; }
    }
  }, TICK_MS));
  timers.push(setInterval(() => { for (const n of nodes) n.applyDayCurve(new Date()); }, DAY_CURVE_EVERY_MS));
  for (const t of timers) t.unref();

  const faults = new FaultPlayer({ aps, nodes, rng, ...(o.script ? { script: o.script } : {}), randomPerHour: o.faults ? o.randomFaultsPerHour ?? 6 : 0, log: o.log ?? silentLogger });
  if (o.faults) faults.start();

  const snmpPorts = new Map(nodes.map((n) => [n.device.id, n.port]));
  log.info({ agents: nodes.length, snmpPorts: nodes.length > 0 ? `${base}-${base + nodes.length - 1}` : 'none', aps: aps.length, broker: redactUrl(o.broker.url), seed: o.seed, faults: o.faults }, 'simulated network running');
  let closing: Promise<void> | undefined;
  return {
    snmpBasePort: base,
    snmpPorts,
    nodes,
    aps,
    faults,
    faultHistory: () => faults.history(),
    stats: () => ({
      agents: nodes.length,
      agentsAnswering: nodes.filter((n) => n.reachable).length,
      aps: aps.length,
      apsOnline: aps.filter((a) => a.online).length,
      telemetrySent,
      activeFaults: faults.active().length,
    }),
    close: (options = {}) => (closing ??= (async () => {
      await faults.stop();
      await closeAll(options.sayOffline ?? false);
      log.info('simulated network stopped');
    })()),
  };
}
