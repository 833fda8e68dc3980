/**
 * What the collection side reports to the API side (/api/health, /metrics): a snapshot with the
 * pipeline, broker, collectors and simulator components as /api/health always showed them, plus
 * the collection side's own figures: poll cycles (overruns: skipped ticks and timed-out cycles)
 * and the delay of its event loop. (The collectors' config sections are the config module's:
 * server/config-collectors.ts.)
 */
import type { ComponentHealth } from '../app.js';
import type { Config } from '../config.js';
import type { CycleStats } from '../../collectors/runner.js';
import type { Collector } from '../../collectors/types.js';
import { snmpSection } from '../config-collectors.js';
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
 * One line per collector for /api/health, from each collector's own health() (collectors/types.ts):
 * the SNMP cycle summary, the MQTT connection. The embedded broker is the service's (started by
 * the collection side, never by a collector): its URL is passed, so a collector can say it uses it.
 */
export function collectorHealth(collectors: readonly Collector[], embeddedBrokerUrl: string | undefined): ComponentHealth {
  const parts: Record<string, unknown> = {};
  let ok = true;
  const details: string[] = [];
  for (const c of collectors) {
    const h = c.health?.({ embeddedBrokerUrl });
    if (!h) {
      parts[c.name] = { running: true };
      continue;
    }
    parts[c.name] = h.state;
    ok &&= h.ok;
    details.push(`${c.name}: ${h.detail}`);
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

/**
 * What the collectors require of the inventory beyond its schema (an SNMP device's intervalS must
 * be a multiple of the SNMP collector's): both inventory watchers (the API's and the collection
 * side's) refuse a file that fails it, at start-up and on reload, naming the device and field.
 */
export function inventoryChecks(config: Config): (devices: readonly Device[]) => string[] {
  const snmp = snmpSection(config);
  return (devices) => checkInventoryIntervals(snmp, devices);
}
