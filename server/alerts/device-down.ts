/**
 * The device-down alert state machine, fed with the device's timeline from server/status (the
 * same down spans /api/incidents lists) and ticked with the clock. Pure and serialisable (plain
 * objects), so it is persisted and survives a restart.
 *
 * - An episode starts with an incident (a run of down time). Its incidents' down time adds up;
 *   when it reaches `thresholdMs` the device has "crossed". The episode ends `clearMs` after its
 *   last incident ended, unless the device is down again before that: so a ten-second blip never
 *   crosses, and a link flapping every 20 s (its 20 s up spells never end the episode) crosses
 *   once: one alert, labelled flapping.
 * - An incident ends where the timeline's down span ends: the device came up, or its state became
 *   unknown (its collector down, maintenance, unreadable, nobody restating the down). The resolved
 *   alert says which (`endedAs`) and when (`endedAt`).
 * - A crossed device waits `groupWaitMs` for the rest of its area: when at least `minDevices` and
 *   `ratio` of the area's devices with known status (up or down at the end of the timeline) are
 *   down and crossed or alerting, one area_down alert names the area and the count, and its
 *   members raise no alert of their own. It resolves when its last member's episode has ended.
 * - While its collector is down, or under maintenance, a crossed device raises nothing (the
 *   collector_down alert speaks for it); its timeline has no down time then, so nothing crosses.
 */
import type { DeviceDownRule, GroupingRule } from './config.js';
import { endedAsOf, type Piece, type PieceKind } from './runs.js';
import { eventOf, type Alert, type AlertEvent, type EndedAs } from './types.js';

export interface DeviceRef {
  id: string;
  area: string;
  site: string;
}

export interface DeviceEpisode {
  phase: 'ok' | 'pending' | 'firing';
  /** the state at the end of the timeline fed so far ('stale' before anything was fed) */
  state: PieceKind;
  episodeStart: number;
  /** down time of the episode's incidents so far */
  downMs: number;
  /** up/down changes within the episode */
  transitions: number;
  /** the episode's last incident ended here and the device has not been down since; null while down */
  downEndedAt: number | null;
  /** what the device went into at downEndedAt */
  endedAs: EndedAs | null;
  /** when the episode's down time reached the threshold */
  crossedAt: number | null;
  /** the device's own alert, or the area alert it belongs to */
  alertId: string | null;
}

export function freshEpisode(): DeviceEpisode {
  return { phase: 'ok', state: 'stale', episodeStart: 0, downMs: 0, transitions: 0, downEndedAt: null, endedAs: null, crossedAt: null, alertId: null };
}

function reset(e: DeviceEpisode): void {
  Object.assign(e, { phase: 'ok', episodeStart: 0, downMs: 0, transitions: 0, downEndedAt: null, endedAs: null, crossedAt: null, alertId: null });
}

export interface EndedEpisode {
  alertId: string;
  endedAt: number;
  endedAs: EndedAs;
}

/**
 * Feeds one device's consecutive timeline pieces (in time order, continuing where the last feed
 * stopped). Returns the alerted episode that ended in them, if any (at most one: an episode
 * ends before the next one starts, and a new one is not alerted before a tick).
 */
export function feedEpisode(e: DeviceEpisode, pieces: readonly Piece[], rule: DeviceDownRule): EndedEpisode[] {
  const ended: EndedEpisode[] = [];
  for (const p of pieces) {
    e.state = p.kind;
    if (p.kind === 'down') {
      if (e.phase === 'ok') {
        Object.assign(e, { phase: 'pending', episodeStart: p.start, downMs: 0, transitions: 0, crossedAt: null, alertId: null });
      } else if (e.downEndedAt !== null && e.endedAs === 'up') {
        e.transitions += 1;
      }
      e.downEndedAt = null;
      e.endedAs = null;
      const before = e.downMs;
      e.downMs += p.end - p.start;
      if (e.crossedAt === null && e.downMs >= rule.thresholdMs) e.crossedAt = p.start + Math.max(0, rule.thresholdMs - before);
      continue;
    }
    if (e.phase === 'ok') continue;
    if (e.downEndedAt === null) {
      e.downEndedAt = p.start;
      e.endedAs = endedAsOf(p.kind);
      if (p.kind === 'up') e.transitions += 1;
    }
    if (p.end - e.downEndedAt >= rule.clearMs) {
      if (e.phase === 'firing' && e.alertId !== null) ended.push({ alertId: e.alertId, endedAt: e.downEndedAt, endedAs: e.endedAs ?? 'up' });
      reset(e);
    }
  }
  return ended;
}

/** An episode whose device was removed from the inventory ends now. */
export function removedEpisode(e: DeviceEpisode, now: number): EndedEpisode[] {
  const out = e.phase === 'firing' && e.alertId !== null ? [{ alertId: e.alertId, endedAt: e.downEndedAt ?? now, endedAs: 'removed' as const }] : [];
  reset(e);
  return out;
}

export interface TickInput {
  now: number;
  devices: readonly DeviceRef[];
  rule: DeviceDownRule;
  grouping: GroupingRule;
  /** an area's name for alert texts (operators know "Ixelles / Elsene", not "21009") */
  areaName?: ((areaId: string) => string | undefined) | undefined;
}

function areaLabel(input: TickInput, area: string): string {
  const name = input.areaName?.(area);
  return name && name !== area ? `${name} (${area})` : area;
}

/** a crossed device may alert unless its collector is down or it is under maintenance */
const mayAlert = (e: DeviceEpisode): boolean => e.state !== 'collector-down' && e.state !== 'maintenance';

/**
 * Resolves the alerts of the episodes that ended, groups and raises the crossed ones, at `now`.
 * `episodes` and `alerts` are the persisted state; returns the events in a stable order.
 */
export function tickDeviceDown(episodes: Record<string, DeviceEpisode>, alerts: Record<string, Alert>, ended: readonly EndedEpisode[], input: TickInput): AlertEvent[] {
  const { now, rule, grouping } = input;
  const events: AlertEvent[] = [];
  const byId = new Map(input.devices.map((d) => [d.id, d]));

  // 1. device alerts whose episode ended
  for (const x of ended) {
    const alert = alerts[x.alertId];
    if (alert?.rule !== 'device_down') continue;
    Object.assign(alert, { resolvedAt: now, endedAt: x.endedAt, endedAs: x.endedAs });
    events.push(eventOf('resolved', alert, now));
    delete alerts[alert.id];
  }

  // 2. area alerts: resolve empty ones, absorb new crossers, raise new ones
  const areaDevices = new Map<string, string[]>();
  for (const d of input.devices) if (d.area) (areaDevices.get(d.area) ?? areaDevices.set(d.area, []).get(d.area)!).push(d.id);
  for (const alert of Object.values(alerts)) {
    if (alert.rule !== 'area_down' || membersDown(episodes, alert).length > 0) continue;
    const last = ended.filter((x) => x.alertId === alert.id).sort((a, b) => b.endedAt - a.endedAt)[0];
    Object.assign(alert, { resolvedAt: now, ...(last ? { endedAt: last.endedAt, endedAs: last.endedAs } : {}) });
    events.push(eventOf('resolved', alert, now));
    delete alerts[alert.id];
  }
  // a disabled rule raises nothing new; what it had open still resolves (above)
  if (!rule.enabled) return events;
  for (const [area, ids] of [...areaDevices].sort(([a], [b]) => a.localeCompare(b))) {
    const crossed = ids.filter((d) => { const e = episodes[d]; return e?.phase === 'pending' && e.crossedAt !== null && mayAlert(e); }).sort();
    if (crossed.length === 0) continue;
    const open = Object.values(alerts).find((a) => a.rule === 'area_down' && a.area === area);
    if (open) {
      for (const d of crossed) join(episodes, d, open);
      open.value = membersDown(episodes, open).length;
      continue;
    }
    // known status = up or down as server/status says; never-heard-of, stale, unreadable,
    // collector-down and maintenance devices say nothing about the area
    const known = ids.filter((d) => episodes[d]?.state === 'up' || episodes[d]?.state === 'down').length;
    const downCount = ids.filter((d) => { const e = episodes[d]; return e?.state === 'down' && (e.phase === 'firing' || crossed.includes(d)); }).length;
    if (downCount >= grouping.minDevices && downCount >= grouping.ratio * known) {
      const startedAt = Math.min(...crossed.map((d) => episodes[d]!.episodeStart));
      const alert: Alert = {
        id: `area_down:${area}:${startedAt}`, rule: 'area_down', subject: area, area, severity: 'critical',
        summary: `area ${areaLabel(input, area)}: ${downCount} of ${known} devices with known status down`,
        startedAt, firedAt: now, resolvedAt: null, devices: [], value: downCount,
      };
      alerts[alert.id] = alert;
      for (const d of crossed) join(episodes, d, alert);
      events.push(eventOf('fired', alert, now));
    }
  }

  // 3. crossers whose group wait is over alert on their own
  for (const id of Object.keys(episodes).sort()) {
    const e = episodes[id]!;
    if (e.phase !== 'pending' || e.crossedAt === null || now - e.crossedAt < grouping.groupWaitMs || !mayAlert(e)) continue;
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
    alerts[alert.id] = alert;
    events.push(eventOf('fired', alert, now));
  }
  return events;
}

/** Membership is recorded on the alert (what it names) and on the device (for its recovery). */
function join(episodes: Record<string, DeviceEpisode>, device: string, alert: Alert): void {
  const e = episodes[device]!;
  e.phase = 'firing';
  e.alertId = alert.id;
  alert.devices = [...(alert.devices ?? []), device];
}

/** Devices of an area alert whose episode is still open, for GET /api/alerts. */
export function membersDown(episodes: Record<string, DeviceEpisode>, alert: Alert): string[] {
  return (alert.devices ?? []).filter((d) => episodes[d]?.alertId === alert.id);
}
