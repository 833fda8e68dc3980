/**
 * The scenario recorder: turns a scenario's events into the points the collectors write under
 * the rules of issue 11 (collectors/heartbeat.ts, server/status/semantics.ts), on a simulated
 * clock, exact to the millisecond. It decides nothing about up/down/unknown: it only writes what a
 * collector would, and server/status/ reads it.
 *
 * - Both collectors beat `collector_status{connected=1, heartbeat_s=H}` at start and every H s
 *   while they watch; `connected=0` on a clean stop (and, for MQTT, when the broker connection is
 *   cut: the client notices the closed socket at once); nothing on SIGKILL.
 * - MQTT, while connected: up=1 for every telemetry message and every `online`, up=0 for every
 *   `offline` (the AP's own or its Will), and a held down restated every effective interval after
 *   the last down sample. On (re)connecting it gets every retained status again, at that instant.
 * - SNMP, per poll while running: up=1, up=0 with reason `timeout`, or `{unreadable:1, reason}`
 *   without `up` for a wrong v3 key.
 */
import type { Point } from '../../core/point.js';
import type { Device } from '../../core/device.js';
import type { Span } from '../../server/analytics/intervals.js';
import { intervalMsOf, type DefaultIntervals } from '../../server/status/index.js';
import { timeOrdered, type CollectorName, type Scenario, type ScenarioDevice, type ScenarioEvent } from './types.js';

export const INSTANCE: Record<CollectorName, string> = { mqtt: 'scenario-mqtt', snmp: 'scenario-snmp' };
export const AUTH_REASON = 'auth: Wrong Digest';
export const TIMEOUT_REASON = 'timeout: no answer';

export interface Recording {
  /** device_status and collector_status points, absolute times */
  points: Point[];
  /** maintenance windows per device, absolute times */
  maintenance: Map<string, Span[]>;
  devices: Device[];
  intervals: DefaultIntervals;
}

export function deviceOf(d: ScenarioDevice): Device {
  const base: Device = {
    id: d.id, tech: d.kind === 'ap' ? 'wifi' : 'fibre', site: `site-${d.id}`, area: 'scenario',
    location: { lat: 50.85, lon: 4.35 },
  };
  if (d.kind === 'node') base.snmp = { host: '127.0.0.1', port: 1161, version: '2c', community: 'public' };
  if (d.intervalS !== undefined) base.intervalS = d.intervalS;
  return base;
}

export function intervalsOf(s: Scenario): DefaultIntervals {
  return { fibreS: s.config.fibreS, wifiS: s.config.wifiS };
}

type Timer = { at: number; seq: number; run: () => void };

interface Ap {
  /** what the broker holds as the AP's retained status */
  retained: 'online' | 'offline' | undefined;
  /** telemetry period while it publishes; undefined when it does not */
  telemetryMs: number | undefined;
  lastTelemetryMs: number | undefined;
  /** bumped to cancel pending telemetry ticks */
  gen: number;
}

export function record(s: Scenario, t0: number): Recording {
  const devices = s.devices.map(deviceOf);
  const byId = new Map(devices.map((d) => [d.id, d]));
  const intervals = intervalsOf(s);
  const end = t0 + s.window.to;
  const points: Point[] = [];
  const maintenance = new Map<string, Span[]>();
  const timers: Timer[] = [];
  let seq = 0;
  const at = (time: number, run: () => void): void => { if (time < end) timers.push({ at: time, seq: seq++, run }); };

  const device = (id: string): Device => {
    const d = byId.get(id);
    if (!d) throw new Error(`scenario ${s.name}: event names unknown device ${id}`);
    return d;
  };
  const status = (d: Device, time: number, fields: Point['fields'], source: string): void => {
    points.push({ measurement: 'device_status', tags: { device: d.id, site: d.site, area: d.area, tech: d.tech, source }, fields, time });
  };

  // --- collectors -----------------------------------------------------------------------------
  const running: Record<CollectorName, boolean> = { mqtt: false, snmp: false };
  let mqttLink = true;
  const beatGen: Record<CollectorName, number> = { mqtt: 0, snmp: 0 };
  const watching = (c: CollectorName): boolean => running[c] && (c !== 'mqtt' || mqttLink);
  const beat = (c: CollectorName, time: number, gen: number): void => {
    if (gen !== beatGen[c] || !watching(c)) return;
    const h = s.config.heartbeatS[c];
    points.push({ measurement: 'collector_status', tags: { collector: c, instance: INSTANCE[c] }, fields: { connected: 1, heartbeat_s: h }, time });
    at(time + h * 1000, () => beat(c, time + h * 1000, gen));
  };
  const startWatching = (c: CollectorName, time: number): void => {
    beat(c, time, ++beatGen[c]);
    if (c === 'mqtt') for (const [id, ap] of aps) if (ap.retained !== undefined) mqttStatus(device(id), ap.retained, time);
  };
  const stopWatching = (c: CollectorName, time: number, say: boolean): void => {
    beatGen[c]++;
    if (c === 'mqtt') { heldDown.clear(); restateGen.clear(); }
    if (say) points.push({ measurement: 'collector_status', tags: { collector: c, instance: INSTANCE[c] }, fields: { connected: 0 }, time });
  };

  // --- MQTT collector: what it writes for what it hears ---------------------------------------
  const heldDown = new Set<string>();
  const restateGen = new Map<string, number>();
  const restate = (d: Device, time: number, gen: number): void => {
    if (restateGen.get(d.id) !== gen || !heldDown.has(d.id) || !watching('mqtt')) return;
    status(d, time, { up: 0 }, 'mqtt');
    at(time + intervalMsOf(d, intervals), () => restate(d, time + intervalMsOf(d, intervals), gen));
  };
  const mqttStatus = (d: Device, st: 'online' | 'offline', time: number): void => {
    if (!watching('mqtt')) return;
    const gen = (restateGen.get(d.id) ?? 0) + 1;
    restateGen.set(d.id, gen);
    if (st === 'online') { heldDown.delete(d.id); status(d, time, { up: 1 }, 'mqtt'); return; }
    heldDown.add(d.id);
    restate(d, time, gen);
  };
  const mqttTelemetry = (d: Device, time: number): void => {
    if (!watching('mqtt')) return;
    heldDown.delete(d.id);
    restateGen.set(d.id, (restateGen.get(d.id) ?? 0) + 1);
    status(d, time, { up: 1 }, 'mqtt');
  };

  // --- APs --------------------------------------------------------------------------------------
  const aps = new Map<string, Ap>();
  const ap = (id: string): Ap => {
    let a = aps.get(id);
    if (!a) { a = { retained: undefined, telemetryMs: undefined, lastTelemetryMs: undefined, gen: 0 }; aps.set(id, a); }
    return a;
  };
  const tick = (d: Device, a: Ap, time: number, gen: number): void => {
    if (gen !== a.gen || a.telemetryMs === undefined) return;
    mqttTelemetry(d, time);
    at(time + a.telemetryMs, () => tick(d, a, time + a.telemetryMs!, gen));
  };
  const startTelemetry = (d: Device, a: Ap, everyMs: number, time: number): void => {
    a.telemetryMs = everyMs;
    a.lastTelemetryMs = everyMs;
    tick(d, a, time, ++a.gen);
  };
  const stopTelemetry = (a: Ap): void => { a.telemetryMs = undefined; a.gen++; };

  const apply = (e: ScenarioEvent, time: number): void => {
    switch (e.type) {
      case 'collector-start':
        if (running[e.collector]) throw new Error(`scenario ${s.name}: ${e.collector} started twice at ${e.at}`);
        running[e.collector] = true;
        if (watching(e.collector)) startWatching(e.collector, time);
        return;
      case 'collector-stop':
        if (watching(e.collector)) stopWatching(e.collector, time, true);
        running[e.collector] = false;
        return;
      case 'collector-sigkill':
        if (watching(e.collector)) stopWatching(e.collector, time, false);
        running[e.collector] = false;
        return;
      case 'collector-network-cut':
        if (watching('mqtt')) stopWatching('mqtt', time, true);
        mqttLink = false;
        return;
      case 'collector-network-restore':
        mqttLink = true;
        if (watching('mqtt')) startWatching('mqtt', time);
        return;
      case 'ap-online': case 'ap-power-back': {
        const d = device(e.device), a = ap(e.device);
        a.retained = 'online';
        mqttStatus(d, 'online', time);
        if (e.type === 'ap-power-back') {
          if (a.lastTelemetryMs === undefined) throw new Error(`scenario ${s.name}: ${e.device} comes back at ${e.at} without a telemetry period`);
          startTelemetry(d, a, a.lastTelemetryMs, time);
        }
        return;
      }
      case 'ap-telemetry':
        startTelemetry(device(e.device), ap(e.device), e.everyMs, time);
        return;
      case 'ap-offline-graceful': case 'ap-power-cut': {
        const d = device(e.device), a = ap(e.device);
        stopTelemetry(a);
        a.retained = 'offline';
        mqttStatus(d, 'offline', time);
        return;
      }
      case 'ap-silent':
        stopTelemetry(ap(e.device));
        return;
      case 'snmp-answer': case 'snmp-timeout': case 'snmp-auth-failure': {
        if (!running.snmp) throw new Error(`scenario ${s.name}: a poll of ${e.device} at ${e.at} while the SNMP collector is not running`);
        const d = device(e.device);
        const fields: Point['fields'] = e.type === 'snmp-answer' ? { up: 1 } : e.type === 'snmp-timeout' ? { up: 0, reason: TIMEOUT_REASON } : { unreadable: 1, reason: AUTH_REASON };
        status(d, time, fields, 'snmp');
        return;
      }
      case 'maintenance': {
        const list = maintenance.get(e.device) ?? [];
        list.push({ start: time, end: time + e.durationMs });
        maintenance.set(e.device, list);
        return;
      }
    }
  };

  for (const e of timeOrdered(s.events)) at(t0 + e.at, () => apply(e, t0 + e.at));
  // bounded: every timer lies before the window's end and re-arms at most once, a period later
  const limit = 10_000_000;
  for (let n = 0; timers.length > 0; n++) {
    if (n > limit) throw new Error(`scenario ${s.name}: more than ${limit} timer runs`);
    let best = 0;
    for (let i = 1; i < timers.length; i++) {
      const x = timers[i]!, b = timers[best]!;
      if (x.at < b.at || (x.at === b.at && x.seq < b.seq)) best = i;
    }
    const [next] = timers.splice(best, 1);
    next!.run();
  }
  return { points, maintenance, devices, intervals };
}
