/**
 * The device-down alert state machine: pure, serialisable (plain objects, so it can be persisted
 * and survive a restart), fed with status samples in time order and ticked with the clock.
 *
 * - An episode starts with a down sample and ends after `clearMs` of continuous up time.
 * - Down time accumulates within the episode; when it reaches `thresholdMs` the device has
 *   "crossed". A ten-second blip never crosses; a link flapping every 20 s does, once, because
 *   its 20 s up spells never end the episode (hysteresis): one alert, labelled flapping.
 * - A crossed device waits `groupWaitMs` for the rest of its area: when at least `minDevices` and
 *   `ratio` of the area's devices with known status (a sample within `staleMs`) are crossed or
 *   alerting, one area_down alert names the area and
 *   the count, and its members raise no alert of their own.
 * - An alert resolves after `clearMs` of continuous up time; an area alert when its last member
 *   has recovered.
 * - Samples inside a maintenance window never count as down, and end a pending episode.
 */
import type { DeviceDownRule, GroupingRule } from './config.js';
import { eventOf, type Alert, type AlertEvent } from './types.js';

export interface DeviceRef {
  id: string;
  area: string;
  site: string;
}

export interface DeviceEpisode {
  phase: 'ok' | 'pending' | 'firing';
  lastUp: boolean | null;
  lastTime: number;
  /** the last sample fell inside maintenance: its interval does not count as down */
  lastInMaintenance: boolean;
  episodeStart: number;
  downMs: number;
  transitions: number;
  /** start of the current up spell within the episode */
  upSince: number | null;
  /** when accumulated down time reached the threshold */
  crossedAt: number | null;
  /** the device's own alert, or the area alert it belongs to */
  alertId: string | null;
}

export interface DeviceDownState {
  devices: Record<string, DeviceEpisode>;
  alerts: Record<string, Alert>;
}

export function emptyDeviceDownState(): DeviceDownState {
  return { devices: {}, alerts: {} };
}

const fresh = (): DeviceEpisode => ({
  phase: 'ok', lastUp: null, lastTime: -Infinity, lastInMaintenance: false,
  episodeStart: 0, downMs: 0, transitions: 0, upSince: null, crossedAt: null, alertId: null,
});

function reset(e: DeviceEpisode): void {
  Object.assign(e, { phase: 'ok', episodeStart: 0, downMs: 0, transitions: 0, upSince: null, crossedAt: null, alertId: null });
}

/** Feeds one sample (samples of one device must come in time order; older ones are ignored). */
export function observe(state: DeviceDownState, device: string, sample: { time: number; up: boolean }, inMaintenance: boolean): void {
  const e = (state.devices[device] ??= fresh());
  if (sample.time <= e.lastTime) return;
  if (e.phase !== 'ok' && e.lastUp === false && !e.lastInMaintenance) e.downMs += sample.time - e.lastTime;
  // maintenance ends a pending episode and starts none; an open alert still tracks its recovery
  if (inMaintenance && e.phase === 'pending') reset(e);
  if (!sample.up) {
    if (e.phase === 'ok') {
      if (!inMaintenance) {
        e.phase = 'pending';
        e.episodeStart = sample.time;
        e.downMs = 0;
        e.transitions = 0;
      }
    } else if (e.lastUp === true) {
      e.transitions += 1;
    }
    e.upSince = null;
  } else if (e.phase !== 'ok' && e.upSince === null) {
    if (e.lastUp === false) e.transitions += 1;
    e.upSince = sample.time;
  }
  e.lastUp = sample.up;
  e.lastTime = sample.time;
  e.lastInMaintenance = inMaintenance;
}

function downSoFar(e: DeviceEpisode, now: number): number {
  return e.downMs + (e.lastUp === false && !e.lastInMaintenance ? Math.max(0, now - e.lastTime) : 0);
}

export interface TickInput {
  now: number;
  devices: readonly DeviceRef[];
  rule: DeviceDownRule;
  grouping: GroupingRule;
  /** an area's name for alert texts (operators know "Ixelles / Elsene", not "21009") */
  areaName?: (areaId: string) => string | undefined;
}

function areaLabel(input: TickInput, area: string): string {
  const name = input.areaName?.(area);
  return name && name !== area ? `${name} (${area})` : area;
}

/** Advances every device to `now`; returns the events raised, in a stable order. */
export function tick(state: DeviceDownState, input: TickInput): AlertEvent[] {
  const { now, rule, grouping } = input;
  const events: AlertEvent[] = [];
  const byId = new Map(input.devices.map((d) => [d.id, d]));

  // 1. recoveries and threshold crossings
  for (const e of Object.values(state.devices)) {
    if (e.phase === 'ok') continue;
    const recovered = e.lastUp === true && e.upSince !== null && now - e.upSince >= rule.clearMs;
    if (e.phase === 'pending') {
      if (recovered) reset(e);
      else if (e.crossedAt === null && downSoFar(e, now) >= rule.thresholdMs) e.crossedAt = now;
      continue;
    }
    if (recovered) {
      const alert = e.alertId ? state.alerts[e.alertId] : undefined;
      reset(e);
      if (alert?.rule === 'device_down') {
        alert.resolvedAt = now;
        events.push(eventOf('resolved', alert, now));
        delete state.alerts[alert.id];
      }
    }
  }

  // 2. area alerts: resolve empty ones, absorb new crossers, raise new ones
  const areaDevices = new Map<string, string[]>();
  for (const d of input.devices) if (d.area) (areaDevices.get(d.area) ?? areaDevices.set(d.area, []).get(d.area)!).push(d.id);
  for (const alert of Object.values(state.alerts)) {
    if (alert.rule !== 'area_down') continue;
    const still = (alert.devices ?? []).filter((d) => state.devices[d]?.alertId === alert.id);
    if (still.length === 0) {
      alert.resolvedAt = now;
      events.push(eventOf('resolved', alert, now));
      delete state.alerts[alert.id];
    }
  }
  for (const [area, ids] of [...areaDevices].sort(([a], [b]) => a.localeCompare(b))) {
    const crossed = ids.filter((d) => state.devices[d]?.phase === 'pending' && state.devices[d]!.crossedAt !== null).sort();
    if (crossed.length === 0) continue;
    const open = Object.values(state.alerts).find((a) => a.rule === 'area_down' && a.area === area);
    if (open) {
      for (const d of crossed) join(state, d, open);
      open.value = membersDown(state, open).length;
      continue;
    }
    const alerting = ids.filter((d) => state.devices[d]?.phase === 'firing').length;
    const downCount = crossed.length + alerting;
    // devices never seen or silent (unknown) say nothing about the area: only known ones count
    const known = ids.filter((d) => { const e = state.devices[d]; return e !== undefined && (e.phase !== 'ok' || now - e.lastTime <= grouping.staleMs); }).length;
    if (downCount >= grouping.minDevices && downCount >= grouping.ratio * known) {
      const startedAt = Math.min(...crossed.map((d) => state.devices[d]!.episodeStart));
      const alert: Alert = {
        id: `area_down:${area}:${startedAt}`, rule: 'area_down', subject: area, area, severity: 'critical',
        summary: `area ${areaLabel(input, area)}: ${downCount} of ${known} devices with known status down`,
        startedAt, firedAt: now, resolvedAt: null, devices: [], value: downCount,
      };
      state.alerts[alert.id] = alert;
      for (const d of crossed) join(state, d, alert);
      events.push(eventOf('fired', alert, now));
    }
  }

  // 3. crossers whose group wait is over alert on their own
  for (const id of Object.keys(state.devices).sort()) {
    const e = state.devices[id]!;
    if (e.phase !== 'pending' || e.crossedAt === null || now - e.crossedAt < grouping.groupWaitMs) continue;
    const ref = byId.get(id);
    const flapping = e.transitions >= rule.flapTransitions;
    const alert: Alert = {
      id: `device_down:${id}:${e.episodeStart}`, rule: 'device_down', subject: id, severity: 'critical',
      summary: flapping ? `device ${id} is flapping (${e.transitions} changes)` : `device ${id} down since ${new Date(e.episodeStart).toISOString()}`,
      startedAt: e.episodeStart, firedAt: now, resolvedAt: null, flapping,
      ...(ref?.area ? { area: ref.area } : {}),
    };
    e.phase = 'firing';
    e.alertId = alert.id;
    state.alerts[alert.id] = alert;
    events.push(eventOf('fired', alert, now));
  }
  return events;
}

/** Membership is recorded on the alert (what it names) and on the device (for its recovery). */
function join(state: DeviceDownState, device: string, alert: Alert): void {
  const e = state.devices[device]!;
  e.phase = 'firing';
  e.alertId = alert.id;
  alert.devices = [...(alert.devices ?? []), device];
}

/** Devices of an area alert still down, for GET /api/alerts. */
export function membersDown(state: DeviceDownState, alert: Alert): string[] {
  return (alert.devices ?? []).filter((d) => state.devices[d]?.alertId === alert.id);
}
