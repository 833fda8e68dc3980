/**
 * A scenario is data: what happens on a clock (events at ms offsets from t0), and what
 * DESIGN.md's Definitions say an operator must read afterwards (hand-computed up, down, unknown
 * and maintenance ms per device, incidents, alerts). The runners (pure, stores, end to end) turn
 * the events into what the collectors write and check the figures; nothing in a scenario knows
 * how it is run.
 */

export type CollectorName = 'mqtt' | 'snmp';

export interface ScenarioDevice {
  id: string;
  /** an AP reports over MQTT; a node is polled by the SNMP collector */
  kind: 'ap' | 'node';
  /** the inventory's intervalS, when it sets one (most scenarios leave it out) */
  intervalS?: number;
}

/** Collector and AP settings the scenario assumes (the effective intervals come from these). */
export interface ScenarioConfig {
  /** collectors.mqtt.expectedIntervalS: the APs' telemetry interval, s */
  wifiS: number;
  /** collectors.snmp.intervalS, s */
  fibreS: number;
  /** heartbeat period of each collector, s (at most half the shortest interval it watches) */
  heartbeatS: Record<CollectorName, number>;
}

export type ScenarioEvent =
  /** the collector process starts (MQTT: connects, gets every retained status; both: heartbeat at once) */
  | { at: number; type: 'collector-start'; collector: CollectorName }
  /** a clean stop: `connected=0` is written */
  | { at: number; type: 'collector-stop'; collector: CollectorName }
  /** killed without a word: nothing is written at the end */
  | { at: number; type: 'collector-sigkill'; collector: CollectorName }
  /** the MQTT collector's connection to the broker is cut (it notices at once: `connected=0`); the process lives */
  | { at: number; type: 'collector-network-cut'; collector: 'mqtt' }
  /** the connection is back: reconnect, heartbeat, retained statuses again */
  | { at: number; type: 'collector-network-restore'; collector: 'mqtt' }
  /** an AP connects (Last Will: retained `offline`) and publishes a retained `online` */
  | { at: number; type: 'ap-online'; device: string }
  /** from `at` on, the AP publishes telemetry every `everyMs` (first one at `at`) until it stops */
  | { at: number; type: 'ap-telemetry'; device: string; everyMs: number }
  /** the AP publishes a retained `offline`, stops its telemetry and disconnects cleanly (no Will) */
  | { at: number; type: 'ap-offline-graceful'; device: string }
  /** the AP's socket dies: its telemetry stops and the broker publishes its Will (retained `offline`) */
  | { at: number; type: 'ap-power-cut'; device: string }
  /** the AP reconnects, publishes `online` and resumes telemetry at its former period */
  | { at: number; type: 'ap-power-back'; device: string }
  /** the AP stops its telemetry; its connection stays open (no Will, no status) */
  | { at: number; type: 'ap-silent'; device: string }
  /** one SNMP poll of a node: it answers */
  | { at: number; type: 'snmp-answer'; device: string }
  /** one SNMP poll of a node: no answer */
  | { at: number; type: 'snmp-timeout'; device: string }
  /** one SNMP poll of a node: it answers but our v3 key is wrong (unreadable: unknown, not down) */
  | { at: number; type: 'snmp-auth-failure'; device: string }
  /** a maintenance window [at, at + durationMs) for one device */
  | { at: number; type: 'maintenance'; device: string; durationMs: number };

export interface ExpectedIncident {
  start: number;
  /** null while ongoing at the window's end (which is `now`) */
  end: number | null;
  duration_ms: number;
}

export interface ExpectedDevice {
  up_ms: number;
  down_ms: number;
  unknown_ms: number;
  maintenance_ms: number;
  incidents: ExpectedIncident[];
}

/**
 * Alerts the window must raise (DESIGN.md, issue 11 item 4): a device_down alert opens and
 * resolves on an incident's span, a collector_down alert on a collector's dead span, a
 * device_unreadable alert on an unreadable span. `resolves` null: still open at the window's end.
 */
export interface ExpectedAlert {
  rule: 'device_down' | 'collector_down' | 'device_unreadable';
  /** a device id, or a collector name for collector_down */
  subject: string;
  opens: number;
  resolves: number | null;
}

export interface Scenario {
  name: string;
  /** what happens, in one or two sentences */
  story: string;
  config: ScenarioConfig;
  devices: ScenarioDevice[];
  /** any order; events at the same instant apply in the order listed, before a periodic tick due then */
  events: ScenarioEvent[];
  /** the window the figures are about, ms from t0; `now` is the window's end */
  window: { from: number; to: number };
  expected: Record<string, ExpectedDevice>;
  /** spans when each collector counts as dead, ms from t0, inside the window */
  collectorGaps: Record<CollectorName, Array<{ start: number; end: number }>>;
  alerts: ExpectedAlert[];
  /**
   * The hourly rollups (server/rollups.ts) of the window's whole hours, per device, when the
   * scenario is about them (t0 is then the start of a clock hour). Rollups hold whole seconds.
   */
  hourly?: Record<string, Array<{ up_s: number; down_s: number; maintenance_s: number; unknown_s: number }>>;
}

export const S = 1000;
export const MIN = 60 * S;
export const HOUR = 60 * MIN;

/** One SNMP poll event per `everyMs` in [from, to): the per-poll outcomes of a steady spell. */
export function polls(device: string, from: number, to: number, everyMs: number, type: 'snmp-answer' | 'snmp-timeout' | 'snmp-auth-failure'): ScenarioEvent[] {
  const out: ScenarioEvent[] = [];
  for (let t = from; t < to; t += everyMs) out.push({ at: t, type, device });
  return out;
}

/** Events in time order, keeping the listed order among equal times (scenarios list them in blocks). */
export function timeOrdered(events: readonly ScenarioEvent[]): ScenarioEvent[] {
  return events.map((e, i) => ({ e, i })).sort((a, b) => a.e.at - b.e.at || a.i - b.i).map((x) => x.e);
}

/**
 * The part of a scenario one collector sees: its devices (APs for `mqtt`, nodes for `snmp`), their
 * events, its own collector events, and their expected figures. The two collectors share nothing,
 * so a scenario with both runs end to end as two parts, each on its own clock scale.
 */
export function partFor(s: Scenario, collector: CollectorName): Scenario {
  const kind = collector === 'mqtt' ? 'ap' : 'node';
  const ids = new Set(s.devices.filter((d) => d.kind === kind).map((d) => d.id));
  const keep = (e: ScenarioEvent): boolean => ('device' in e ? ids.has(e.device) : e.collector === collector);
  const other: CollectorName = collector === 'mqtt' ? 'snmp' : 'mqtt';
  return {
    ...s,
    name: `${s.name} (${collector === 'mqtt' ? 'APs' : 'nodes'})`,
    devices: s.devices.filter((d) => ids.has(d.id)),
    events: s.events.filter(keep),
    expected: Object.fromEntries(Object.entries(s.expected).filter(([id]) => ids.has(id))),
    collectorGaps: { ...s.collectorGaps, [other]: [] },
    alerts: s.alerts.filter((a) => (a.rule === 'collector_down' ? a.subject === collector : ids.has(a.subject))),
  };
}
