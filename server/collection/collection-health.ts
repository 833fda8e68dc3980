/**
 * What the collection side reports to the API side (/api/health, /metrics): a snapshot with the
 * pipeline, broker, collectors and simulator components as /api/health always showed them, plus
 * the collection side's own figures: poll cycles (overruns: skipped ticks and timed-out cycles)
 * and the delay of its event loop. Also the collectors' config sections, as main.ts built them.
 */
import type { ComponentHealth } from '../app.js';
import type { Config } from '../config.js';
import { DEMO_SNMP_CONFIG } from '../../sim/demo-setup.js';
import { registry as collectorRegistry } from '../../collectors/registry.js';
import type { CycleStats } from '../../collectors/runner.js';
import type { Collector } from '../../collectors/types.js';
import { snmpConfigSchema, type SnmpConfig } from '../../collectors/snmp/config.js';
import { checkInventoryIntervals } from '../../collectors/snmp/index.js';
import type { Device } from '../../core/device.js';

/** the points handed on to the status owner (the rest is telemetry) */
export const STATUS_MEASUREMENTS: ReadonlySet<string> = new Set(['device_status', 'collector_status']);

export interface CollectionSnapshot {
  /** a worker thread (the service) or the calling thread */
  where: 'worker' | 'in-process';
  pipeline: ComponentHealth;
  broker: ComponentHealth;
  collectors: ComponentHealth;
  simulator?: ComponentHealth;
  /** per polling collector since start */
  cycles: Record<string, CycleStats>;
  /** the collection side's event loop since start: how late its timers and I/O callbacks ran */
  eventLoopDelayMs: { p50: number; p99: number; max: number };
}

/**
 * Each registry collector's config section: the configured one, else its defaults; the MQTT
 * collector is pointed at the service's broker (the embedded one when none is configured), and
 * the demo gets fast SNMP settings (sim/demo-setup.ts).
 */
export function collectorSections(config: Config, brokerUrl: string, embedded: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, def] of Object.entries(collectorRegistry)) {
    out[name] = name === 'snmp' ? snmpSection(config) : config.collectors[name] ?? def.configSchema.parse({});
  }
  const mqtt = { ...(out['mqtt'] as Record<string, unknown>) };
  if (mqtt['url'] === undefined) {
    mqtt['url'] = brokerUrl;
    // aedes speaks MQTT 3.1.1 only
    if (embedded) mqtt['protocolVersion'] = 4;
  }
  if (mqtt['username'] === undefined && config.mqtt.username !== undefined) mqtt['username'] = config.mqtt.username;
  if (mqtt['password'] === undefined && config.mqtt.password !== undefined) mqtt['password'] = config.mqtt.password;
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

/**
 * One line per collector for /api/health: the SNMP cycle summary, the MQTT connection. The
 * embedded broker is started by the collection side, not by the MQTT collector (it is handed the
 * broker's URL), so its own `embeddedBroker` would say false: a collector whose broker is ours says true.
 */
export function collectorHealth(collectors: readonly Collector[], embeddedBrokerUrl: string | undefined): ComponentHealth {
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

/**
 * The `collection` component: where collection runs and how it keeps up. Not ok when the
 * collection side stopped answering (its thread died or is stuck); overruns and a late event loop
 * are reported, not failed on: a slow network overruns cycles too, and the SNMP collector's own
 * health says which devices were not polled.
 */
export function collectionComponent(snap: CollectionSnapshot | undefined, failure: string | undefined): ComponentHealth {
  if (failure !== undefined || snap === undefined) return { ok: false, detail: `collection side not answering: ${failure ?? 'no snapshot yet'}` };
  const overruns = Object.values(snap.cycles).reduce((n, c) => n + c.skipped + c.timedOut, 0);
  const cycles = Object.values(snap.cycles).reduce((n, c) => n + c.ran, 0);
  const queued = typeof snap.pipeline['queuedPoints'] === 'number' ? snap.pipeline['queuedPoints'] : 0;
  const where = snap.where === 'worker' ? 'in its own worker thread' : 'in the API\'s thread';
  return {
    ok: true,
    detail: `collection runs ${where}: ${cycles} poll cycles, ${overruns} overruns, event loop delay p99 ${snap.eventLoopDelayMs.p99} ms, ${queued} points queued`,
    where: snap.where, overruns, cycles: snap.cycles, eventLoopDelayMs: snap.eventLoopDelayMs, queuedPoints: queued,
  };
}

/**
 * The /api/health components the collection side answers for (pipeline, broker, simulator when
 * the demo runs, collectors, collection), from one snapshot shared by the probes of one health
 * call (kept 1 s). A side that does not answer makes each of them not ok, saying why.
 */
export function collectionProbes(side: { snapshot(): Promise<CollectionSnapshot>; failure(): string | undefined }, simulator: boolean): Record<string, () => Promise<ComponentHealth>> {
  let cached: { at: number; snap: Promise<CollectionSnapshot> } | undefined;
  const snap = (): Promise<CollectionSnapshot> => {
    if (!cached || Date.now() - cached.at > 1000) cached = { at: Date.now(), snap: side.snapshot() };
    return cached.snap;
  };
  const part = (pick: (s: CollectionSnapshot) => ComponentHealth | undefined) => async (): Promise<ComponentHealth> => {
    try {
      return pick(await snap()) ?? { ok: false, detail: 'not running' };
    } catch (err) {
      return { ok: false, detail: `collection side not answering: ${side.failure() ?? (err as Error).message}` };
    }
  };
  return {
    pipeline: part((s) => s.pipeline),
    broker: part((s) => s.broker),
    ...(simulator ? { simulator: part((s) => s.simulator) } : {}),
    collectors: part((s) => s.collectors),
    collection: async () => {
      try {
        return collectionComponent(await snap(), side.failure());
      } catch (err) {
        return collectionComponent(undefined, side.failure() ?? (err as Error).message);
      }
    },
  };
}

/** The SNMP collector's section: the configured one, else the demo's with the simulator, else its defaults. */
export function snmpSection(config: Config): SnmpConfig {
  return (config.collectors['snmp'] as SnmpConfig | undefined) ?? snmpConfigSchema.parse(config.simulator.enabled ? DEMO_SNMP_CONFIG : {});
}

/**
 * What the collectors require of the inventory beyond its schema (an SNMP device's intervalS must
 * be a multiple of the SNMP collector's): both inventory watchers (the API's and the collection
 * side's) refuse a file that fails it, at start-up and on reload, naming the device and field.
 */
export function inventoryChecks(config: Config): (devices: readonly Device[]) => string[] {
  const snmp = snmpSection(config);
  return (devices) => checkInventoryIntervals(snmp, devices);
}
