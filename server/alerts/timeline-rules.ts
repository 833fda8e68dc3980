/**
 * The rules that read device timelines (server/status): device_down and area_down
 * (device-down.ts), device_unreadable and collector_down (runs.ts). One pure step, `advance`:
 * it feeds each device's timeline over [from, to) and each collector's down spans, then decides
 * at `now`. The state is plain data, persisted by the engine after every step.
 */
import type { Span } from '../analytics/intervals.js';
import type { Timeline } from '../status/index.js';
import type { CollectorDownRule, DeviceDownRule, DeviceUnreadableRule, GroupingRule } from './config.js';
import { feedEpisode, freshEpisode, removedEpisode, tickDeviceDown, type DeviceEpisode, type DeviceRef, type EndedEpisode } from './device-down.js';
import { NO_RUN, endedAsOf, feedRun, piecesOf, runDue, type EndedRun, type Piece, type RunState } from './runs.js';
import { eventOf, type Alert, type AlertEvent, type EndedAs } from './types.js';

/** the last status sample read for a device: the state it carries into the next window */
export interface CarriedSample {
  time: number;
  up: boolean;
  unreadable?: boolean;
  reason?: string;
  /** the collector instance that wrote it (sharded collectors): its gaps, not its collector's, make the device unknown */
  instance?: string;
}

export interface DeviceTrack {
  last: CarriedSample | null;
  episode: DeviceEpisode;
  /** `stoppedAs`: what the device went into when it stopped being unreadable (readable, or unknown for another reason) */
  unreadable: RunState & { reason?: string; stoppedAs?: EndedAs };
}

export interface TimelineRulesState {
  /** bumped when the shape changes: a saved state of another version is not read */
  version: 2;
  /** each device's sample before the first window has been read (later windows carry it) */
  primed: boolean;
  devices: Record<string, DeviceTrack>;
  collectors: Record<string, RunState>;
  alerts: Record<string, Alert>;
}

export function emptyTimelineRulesState(): TimelineRulesState {
  return { version: 2, primed: false, devices: {}, collectors: {}, alerts: {} };
}

export function newTrack(): DeviceTrack {
  return { last: null, episode: freshEpisode(), unreadable: { ...NO_RUN } };
}

export interface TimelineRules {
  deviceDown: DeviceDownRule;
  grouping: GroupingRule;
  collectorDown: CollectorDownRule;
  deviceUnreadable: DeviceUnreadableRule;
}

export interface AdvanceInput {
  /** the window fed is [from, to); the engine feeds up to and including the instant `now` (to = now + 1), as stateAt reads the state at `now` */
  from: number;
  to: number;
  /** when the decisions are taken (the events' time) */
  now: number;
  devices: readonly (DeviceRef & { collector: string })[];
  /** each device's timeline over [from, to) (server/status deviceTimeline); a device without one is all stale */
  timelines: ReadonlyMap<string, Timeline>;
  /** each collector's down spans (server/status collectorDownSpans), clipped or not */
  collectorDown: ReadonlyMap<string, readonly Span[]>;
  rules: TimelineRules;
  areaName?: ((areaId: string) => string | undefined) | undefined;
}

const iso = (t: number): string => new Date(t).toISOString();

export function advance(state: TimelineRulesState, input: AdvanceInput): AlertEvent[] {
  const { from, to, now, rules } = input;
  const events: AlertEvent[] = [];
  const ended: EndedEpisode[] = [];
  const endedUnreadable: (EndedRun & { device: string; endedAs: EndedAs })[] = [];
  const inventory = new Set(input.devices.map((d) => d.id));

  // devices gone from the inventory: their alerts end now
  for (const [id, track] of Object.entries(state.devices)) {
    if (inventory.has(id)) continue;
    ended.push(...removedEpisode(track.episode, now));
    if (track.unreadable.alertId !== null) endedUnreadable.push({ device: id, since: track.unreadable.since ?? now, endedAt: now, alertId: track.unreadable.alertId, endedAs: 'removed' });
    delete state.devices[id];
  }

  if (to > from) {
    for (const d of input.devices) {
      const track = (state.devices[d.id] ??= newTrack());
      const t = input.timelines.get(d.id) ?? { up: [], down: [], unreadable: [], maintenance: [], collectorDown: [], window: { start: from, end: to } };
      const pieces = piecesOf(t);
      // fed even when the rule is disabled: an alert it had open still resolves, and area sizes stay known
      ended.push(...feedEpisode(track.episode, pieces, rules.deviceDown));
      const run = track.unreadable;
      if (t.unreadableReason !== undefined) run.reason = t.unreadableReason;
      for (const r of feedRun(run, t.unreadable, from, to, rules.deviceUnreadable.clearMs)) {
        endedUnreadable.push({ ...r, device: d.id, endedAs: stoppedAs(pieces, r.endedAt) ?? run.stoppedAs ?? 'readable' });
        delete run.stoppedAs;
      }
      // still clearing: remember what it went into, the piece may not be fed again
      if (run.stoppedAt !== null) run.stoppedAs = stoppedAs(pieces, run.stoppedAt) ?? run.stoppedAs ?? 'readable';
    }
  }
  events.push(...tickDeviceDown(Object.fromEntries(Object.entries(state.devices).map(([id, tr]) => [id, tr.episode])), state.alerts, ended, {
    now, devices: input.devices, rule: rules.deviceDown, grouping: rules.grouping, areaName: input.areaName,
  }));
  events.push(...unreadableEvents(state, endedUnreadable, input));
  events.push(...collectorEvents(state, input));
  return events;
}

function resolve(alerts: Record<string, Alert>, alertId: string | null, endedAt: number, endedAs: EndedAs, now: number): AlertEvent[] {
  const alert = alertId === null ? undefined : alerts[alertId];
  if (!alert) return [];
  Object.assign(alert, { resolvedAt: now, endedAt, endedAs });
  delete alerts[alert.id];
  return [eventOf('resolved', alert, now)];
}

/** what a device that stopped being unreadable at `t` went into: readable (up or down evidence) or unknown for another reason */
function stoppedAs(pieces: readonly Piece[], t: number): EndedAs | undefined {
  const p = pieces.find((x) => x.start <= t && t < x.end);
  if (!p) return undefined;
  return p.kind === 'up' || p.kind === 'down' ? 'readable' : endedAsOf(p.kind);
}

function unreadableEvents(state: TimelineRulesState, ended: readonly (EndedRun & { device: string; endedAs: EndedAs })[], input: AdvanceInput): AlertEvent[] {
  const { now, rules } = input;
  const events: AlertEvent[] = [];
  for (const r of ended) events.push(...resolve(state.alerts, r.alertId, r.endedAt, r.endedAs, now));
  if (!rules.deviceUnreadable.enabled) return events;
  for (const d of input.devices) {
    const run = state.devices[d.id]?.unreadable;
    if (!run || !runDue(run, now, rules.deviceUnreadable.thresholdMs)) continue;
    const reason = run.reason ?? 'no reason given';
    const alert: Alert = {
      id: `device_unreadable:${d.id}:${run.since}`, rule: 'device_unreadable', subject: d.id, severity: 'warning',
      summary: `device ${d.id} cannot be read since ${iso(run.since!)} (${reason}): its status is unknown, not down; check its credentials or access`,
      startedAt: run.since!, firedAt: now, resolvedAt: null, reason, ...(d.area ? { area: d.area } : {}),
    };
    run.alertId = alert.id;
    state.alerts[alert.id] = alert;
    events.push(eventOf('fired', alert, now));
  }
  return events;
}

function collectorEvents(state: TimelineRulesState, input: AdvanceInput): AlertEvent[] {
  const { from, to, now, rules } = input;
  const events: AlertEvent[] = [];
  const watched = new Map<string, number>();
  for (const d of input.devices) watched.set(d.collector, (watched.get(d.collector) ?? 0) + 1);
  for (const name of [...new Set([...Object.keys(state.collectors), ...watched.keys()])].sort()) {
    const run = (state.collectors[name] ??= { ...NO_RUN });
    const spans = input.collectorDown.get(name);
    if (!watched.has(name)) {
      // watches no device any more: nothing to say about it
      events.push(...resolve(state.alerts, run.alertId, now, 'removed', now));
      delete state.collectors[name];
      continue;
    }
    // no collector_status point in the range read says nothing: a collector that had gone silent
    // stays down (no heartbeat came), one never heard of stays unknown to this rule
    const holds = spans ?? (run.since !== null && run.stoppedAt === null ? [{ start: from, end: to }] : []);
    if (to > from) for (const r of feedRun(run, holds, from, to, rules.collectorDown.clearMs)) events.push(...resolve(state.alerts, r.alertId, r.endedAt, 'alive', now));
    if (!rules.collectorDown.enabled || !runDue(run, now, rules.collectorDown.thresholdMs)) continue;
    const count = watched.get(name)!;
    const alert: Alert = {
      id: `collector_down:${name}:${run.since}`, rule: 'collector_down', subject: name, severity: 'critical',
      summary: `collector ${name} down since ${iso(run.since!)}: its ${count} device${count === 1 ? '' : 's'} read unknown and raise no device_down alert until it is back`,
      startedAt: run.since!, firedAt: now, resolvedAt: null, value: count,
    };
    run.alertId = alert.id;
    state.alerts[alert.id] = alert;
    events.push(eventOf('fired', alert, now));
  }
  return events;
}
