/**
 * The timeline rules' state as it is saved in alerts.sqlite after every evaluation: with the
 * parts that say nothing left out (a device that is not in an episode, not unreadable and has no
 * alert is its last sample and its state), because it is written every 15 s: 10 000 devices take
 * about 0.8 MB instead of 2.3 MB. Also reads a state saved by the sample-walking machine of
 * earlier versions.
 */
import { freshEpisode, type DeviceEpisode } from './device-down.js';
import { NO_RUN, type PieceKind } from './runs.js';
import { emptyTimelineRulesState, newTrack, type CarriedSample, type DeviceTrack, type TimelineRulesState } from './timeline-rules.js';
import type { Alert } from './types.js';

interface PackedTrack {
  /** the last sample read */
  l?: CarriedSample;
  /** the episode, when not 'ok' */
  e?: DeviceEpisode;
  /** the state at the end of the timeline, when the episode is 'ok' */
  s?: PieceKind;
  /** the unreadable run, when one is under way or its reason is known */
  u?: DeviceTrack['unreadable'];
}

export interface PackedState extends Omit<TimelineRulesState, 'devices'> {
  packed: true;
  devices: Record<string, PackedTrack>;
}

export function packState(state: TimelineRulesState): PackedState {
  const devices: Record<string, PackedTrack> = {};
  for (const [id, t] of Object.entries(state.devices)) {
    const p: PackedTrack = {};
    if (t.last) p.l = t.last;
    if (t.episode.phase !== 'ok') p.e = t.episode;
    else if (t.episode.state !== 'stale') p.s = t.episode.state;
    if (t.unreadable.since !== null || t.unreadable.alertId !== null) p.u = t.unreadable;
    devices[id] = p;
  }
  return { ...state, packed: true, devices };
}

/** A saved state back to the working one: packed, unpacked (same version), or undefined when neither. */
export function unpackState(saved: unknown): TimelineRulesState | undefined {
  if (typeof saved !== 'object' || saved === null || (saved as { version?: unknown }).version !== 2) return undefined;
  if (!('packed' in saved)) return saved as TimelineRulesState;
  const { packed: _packed, devices, ...rest } = saved as PackedState;
  const state: TimelineRulesState = { ...rest, devices: {} };
  for (const [id, p] of Object.entries(devices)) {
    const t = newTrack();
    if (p.l) t.last = p.l;
    t.episode = p.e ?? { ...freshEpisode(), state: p.s ?? 'stale' };
    t.unreadable = p.u ?? { ...NO_RUN };
    state.devices[id] = t;
  }
  return state;
}

/** the device-down state saved before alerts read timelines (key `deviceDown`), as far as it is migrated */
interface LegacyEpisode {
  phase?: string;
  lastUp?: boolean | null;
  episodeStart?: number;
  downMs?: number;
  transitions?: number;
  upSince?: number | null;
  crossedAt?: number | null;
  alertId?: string | null;
}

/**
 * Carries the open device_down and area_down alerts of a state saved by the sample-walking
 * machine into this one, so that they resolve when their devices recover instead of staying open
 * for ever. Pending episodes are not carried: the timelines start them again.
 */
export function migrateLegacyState(saved: unknown): TimelineRulesState | undefined {
  if (typeof saved !== 'object' || saved === null || !('devices' in saved) || !('alerts' in saved)) return undefined;
  const old = saved as { devices: Record<string, LegacyEpisode>; alerts: Record<string, Alert> };
  const state = emptyTimelineRulesState();
  for (const [id, e] of Object.entries(old.devices)) {
    if (e.phase !== 'firing' || typeof e.alertId !== 'string' || !old.alerts[e.alertId]) continue;
    const track = newTrack();
    const recovering = e.lastUp === true && typeof e.upSince === 'number';
    Object.assign(track.episode, {
      phase: 'firing', state: e.lastUp === true ? 'up' : 'down', episodeStart: e.episodeStart ?? 0, downMs: e.downMs ?? 0,
      transitions: e.transitions ?? 0, crossedAt: e.crossedAt ?? null, alertId: e.alertId,
      downEndedAt: recovering ? e.upSince : null, endedAs: recovering ? 'up' : null,
    });
    state.devices[id] = track;
    state.alerts[e.alertId] = old.alerts[e.alertId]!;
  }
  return state;
}
