/**
 * Uptime of one device over a window, per DESIGN.md "Definitions":
 *
 * - a sample's state (up/down) holds from its time until the next sample, but for no longer than
 *   `staleFactor` (2.5) × the poll interval; past that the state is unknown;
 * - the last sample before `from` gives the state the window starts in (a window may start
 *   mid-outage), still bounded by the same staleness limit;
 * - maintenance windows are excluded like unknown time (reported apart as `maintenance_ms`);
 * - spans where the collector itself was down force unknown time;
 * - time after `now` is not counted at all: the window is [from, min(to, now)).
 *
 * up_ms + down_ms + unknown_ms + maintenance_ms = counted_ms = max(0, min(to, now) - from).
 * uptime = up / (up + down), or null when no time is known (never NaN).
 */
import type { StatusSample } from '../store/metric-store.js';
import { clip, merge, subtract, totalMs, type Span } from './intervals.js';

export const STALE_FACTOR = 2.5;

export interface UptimeInput {
  /** samples of ONE device, any order; may include samples before `from` */
  samples: readonly Pick<StatusSample, 'time' | 'up'>[];
  from: number;
  to: number;
  now: number;
  /** the device's poll / telemetry interval in ms */
  intervalMs: number;
  maintenance?: readonly Span[];
  /** spans when the collector responsible for the device was down: unknown */
  collectorDown?: readonly Span[];
  /** default 2.5 */
  staleFactor?: number;
}

export interface UptimeResult {
  up_ms: number;
  down_ms: number;
  unknown_ms: number;
  maintenance_ms: number;
  /** length of the counted window [from, min(to, now)) */
  counted_ms: number;
  uptime: number | null;
}

export interface Timeline {
  /** up time, after maintenance and collector-down spans were removed, clipped to the window */
  up: Span[];
  down: Span[];
  maintenance: Span[];
  /** the counted window */
  window: Span;
}

/** The up and down spans of one device inside the counted window. */
export function statusTimeline(input: UptimeInput): Timeline {
  if (!(input.intervalMs > 0)) throw new RangeError(`intervalMs must be > 0 (got ${input.intervalMs})`);
  const end = Math.min(input.to, input.now);
  const window: Span = { start: input.from, end: Math.max(input.from, end) };
  const holdMs = (input.staleFactor ?? STALE_FACTOR) * input.intervalMs;
  // stable sort: of two samples at the same time, the later-listed wins (it holds, the other is empty)
  const samples = [...input.samples].sort((a, b) => a.time - b.time);
  const up: Span[] = [];
  const down: Span[] = [];
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i]!;
    const next = samples[i + 1];
    const stop = Math.min(next ? next.time : Infinity, s.time + holdMs);
    if (stop <= window.start || s.time >= window.end) continue;
    (s.up ? up : down).push({ start: s.time, end: stop });
  }
  const maintenance = clip(input.maintenance ?? [], window.start, window.end);
  const excluded = merge([...maintenance, ...clip(input.collectorDown ?? [], window.start, window.end)]);
  return {
    up: subtract(clip(up, window.start, window.end), excluded),
    down: subtract(clip(down, window.start, window.end), excluded),
    maintenance,
    window,
  };
}

export function deviceUptime(input: UptimeInput): UptimeResult {
  const t = statusTimeline(input);
  const counted = t.window.end - t.window.start;
  const up = totalMs(t.up);
  const down = totalMs(t.down);
  const maintenance = totalMs(t.maintenance);
  return {
    up_ms: up,
    down_ms: down,
    maintenance_ms: maintenance,
    unknown_ms: counted - up - down - maintenance,
    counted_ms: counted,
    uptime: up + down > 0 ? up / (up + down) : null,
  };
}

export interface GroupMember {
  result: UptimeResult;
  /** households passed (fibre nodes); used with weight 'households' */
  householdsPassed?: number;
}

export interface GroupUptime {
  up_ms: number;
  down_ms: number;
  unknown_ms: number;
  maintenance_ms: number;
  uptime: number | null;
  /** devices that counted (with weight 'households': those with households passed > 0) */
  devices: number;
}

/**
 * Group uptime = Σ up / Σ (up + down): each device counts by the time it was known.
 * With weight 'households' each device's times are multiplied by its households passed, so
 * the figure reads "share of household-time with service"; devices without households passed
 * (wifi APs, nodes lacking the figure) do not count then. The ms totals stay unweighted.
 */
export function groupUptime(members: readonly GroupMember[], weight: 'time' | 'households' = 'time'): GroupUptime {
  const counted = weight === 'households' ? members.filter((m) => (m.householdsPassed ?? 0) > 0) : members;
  let up = 0, down = 0, unknown = 0, maint = 0, wUp = 0, wKnown = 0;
  for (const m of counted) {
    const w = weight === 'households' ? m.householdsPassed! : 1;
    up += m.result.up_ms; down += m.result.down_ms; unknown += m.result.unknown_ms; maint += m.result.maintenance_ms;
    wUp += w * m.result.up_ms;
    wKnown += w * (m.result.up_ms + m.result.down_ms);
  }
  return { up_ms: up, down_ms: down, unknown_ms: unknown, maintenance_ms: maint, uptime: wKnown > 0 ? wUp / wKnown : null, devices: counted.length };
}
