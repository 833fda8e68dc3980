/**
 * The timeline of one device over a window: which spans were up, down, unreadable (unknown with a
 * reason of ours), under maintenance or unknown because the collector was down. Pure: the clock
 * is a parameter. Every uptime, incident, current status and rollup is computed from this.
 *
 * A sample's state starts at its time and holds until the first of:
 * - the device's next sample (a later sample always supersedes an earlier one);
 * - its hold (semantics.ts): 2.5 intervals after evidence of life; a down or unreadable state
 *   holds while restated, 2.5 intervals after its last restatement at most;
 * - the first instant at or after it when the collector watching the device is not alive: a state
 *   never carries across a collector gap, and a sample taken while the collector counts as down
 *   says nothing (the next restatement after the gap says it again).
 * The counted window is [from, min(to, now)); maintenance is cut out of every state and reported
 * apart. up_ms + down_ms + unknown_ms + maintenance_ms = counted_ms.
 */
import { clip, merge, subtract, totalMs, type Span } from '../analytics/intervals.js';
import { evidenceOf, holdMs, type EvidenceSample } from './semantics.js';
import type { UptimeResult } from '../analytics/uptime.js';

export interface TimelineInput {
  /** samples of ONE device, any order; may include samples before `from` */
  samples: readonly EvidenceSample[];
  from: number;
  to: number;
  now: number;
  /** the device's effective interval (intervals.ts) in ms */
  intervalMs: number;
  maintenance?: readonly Span[] | undefined;
  /** spans when the collector watching the device was not alive (collector-liveness.ts) */
  collectorDown?: readonly Span[] | undefined;
}

export interface Timeline {
  up: Span[];
  down: Span[];
  /** unknown time during which the device answered but could not be read */
  unreadable: Span[];
  maintenance: Span[];
  /** unknown time during which the collector was not alive (maintenance removed) */
  collectorDown: Span[];
  /** the counted window [from, min(to, now)) */
  window: Span;
  /** the reason of the last unreadable sample that counted, if any */
  unreadableReason?: string;
}

/** The first instant >= t at which the collector is not alive (Infinity if none); `down` is merged. */
export function firstGapAtOrAfter(down: readonly Span[], t: number): number {
  for (const s of down) if (s.end > t) return Math.max(s.start, t);
  return Infinity;
}

export function deviceTimeline(input: TimelineInput): Timeline {
  if (!(input.intervalMs > 0)) throw new RangeError(`intervalMs must be > 0 (got ${input.intervalMs})`);
  const end = Math.min(input.to, input.now);
  const window: Span = { start: input.from, end: Math.max(input.from, end) };
  // stable sort: of two samples at the same time, the later-listed wins (it holds, the other is empty)
  const samples = [...input.samples].sort((a, b) => a.time - b.time);
  const gaps = merge(input.collectorDown ?? []);
  const up: Span[] = [];
  const down: Span[] = [];
  const unreadable: Span[] = [];
  let unreadableReason: string | undefined;
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i]!;
    const next = samples[i + 1];
    const ev = evidenceOf(s);
    const stop = Math.min(next ? next.time : Infinity, s.time + holdMs(ev, input.intervalMs), firstGapAtOrAfter(gaps, s.time));
    if (stop <= s.time || stop <= window.start || s.time >= window.end) continue;
    const span = { start: s.time, end: stop };
    if (ev === 'up') up.push(span);
    else if (ev === 'down') down.push(span);
    else { unreadable.push(span); if (s.reason !== undefined) unreadableReason = s.reason; }
  }
  const maintenance = clip(input.maintenance ?? [], window.start, window.end);
  const out: Timeline = {
    up: subtract(clip(up, window.start, window.end), maintenance),
    down: subtract(clip(down, window.start, window.end), maintenance),
    unreadable: subtract(clip(unreadable, window.start, window.end), maintenance),
    maintenance,
    collectorDown: subtract(clip(gaps, window.start, window.end), maintenance),
    window,
  };
  if (unreadableReason !== undefined) out.unreadableReason = unreadableReason;
  return out;
}

export type { UptimeResult };

export function uptimeOf(t: Timeline): UptimeResult {
  return resultOf(t.window.end - t.window.start, totalMs(t.up), totalMs(t.down), totalMs(t.maintenance));
}

function resultOf(counted: number, up: number, down: number, maintenance: number): UptimeResult {
  return {
    up_ms: up, down_ms: down, maintenance_ms: maintenance,
    unknown_ms: counted - up - down - maintenance, counted_ms: counted,
    uptime: up + down > 0 ? up / (up + down) : null,
  };
}

/** ms of the sorted, non-overlapping `spans` inside [from, to) (totalMs of their clip, without building it) */
function within(spans: readonly Span[], from: number, to: number): number {
  let sum = 0;
  for (const s of spans) {
    if (s.start >= to) break;
    if (s.end > from) sum += Math.min(s.end, to) - Math.max(s.start, from);
  }
  return sum;
}

/**
 * uptimeOf the part [from, to) of a timeline whose window holds it (a timeline's spans do not
 * depend on its window, so this is the uptime of the same samples over [from, to)). The live state
 * reads its cached timelines through this.
 */
export function uptimeWithin(t: Pick<Timeline, 'up' | 'down' | 'maintenance'>, from: number, to: number): UptimeResult {
  return resultOf(to - from, within(t.up, from, to), within(t.down, from, to), within(t.maintenance, from, to));
}

/** Running sums of adjacent windows' figures (addUptime without an object per step), for reads over many devices. */
export interface UptimeSums {
  up: number;
  down: number;
  maintenance: number;
  counted: number;
}

/** Add to `acc` the figures of [from, to) of a timeline (uptimeWithin), or of a result. */
export function addWithin(acc: UptimeSums, t: Pick<Timeline, 'up' | 'down' | 'maintenance'>, from: number, to: number): void {
  acc.up += within(t.up, from, to);
  acc.down += within(t.down, from, to);
  acc.maintenance += within(t.maintenance, from, to);
  acc.counted += to - from;
}

export function addResult(acc: UptimeSums, r: UptimeResult): void {
  acc.up += r.up_ms; acc.down += r.down_ms; acc.maintenance += r.maintenance_ms; acc.counted += r.counted_ms;
}

export function resultOfSums(acc: UptimeSums): UptimeResult {
  return resultOf(acc.counted, acc.up, acc.down, acc.maintenance);
}

export function deviceUptime(input: TimelineInput): UptimeResult {
  return uptimeOf(deviceTimeline(input));
}

/** Sum of two results over adjacent windows (uptime is additive over time). */
export function addUptime(a: UptimeResult | undefined, b: UptimeResult): UptimeResult {
  if (!a) return { ...b };
  const up = a.up_ms + b.up_ms, down = a.down_ms + b.down_ms;
  return {
    up_ms: up, down_ms: down, unknown_ms: a.unknown_ms + b.unknown_ms, maintenance_ms: a.maintenance_ms + b.maintenance_ms,
    counted_ms: a.counted_ms + b.counted_ms, uptime: up + down > 0 ? up / (up + down) : null,
  };
}

export { totalMs };
