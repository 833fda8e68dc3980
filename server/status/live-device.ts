/**
 * One device in the live state (live-state.ts): its samples since the tail's start, the timeline
 * of the hours before it (merged spans and incidents, kept one day), and caches of what reads ask.
 * Every figure comes from deviceTimeline / deviceIncidents / stateAt over the device's samples:
 * this file decides no state, it only chooses which samples and which window to hand them.
 *
 * Why the caches are exact: a sample only changes the timeline from its own time on (it stops the
 * previous sample's state there), so figures over [a, c) stay valid while new samples are at or
 * after c. A sample older than c (a late point) drops the cache. Collector gaps carry their own
 * version and the first instant they changed at (live-state.ts), checked the same way.
 */
import type { Device } from '../../core/device.js';
import type { StatusSample } from '../../core/status-sample.js';
import { clip, merge, type Span } from '../analytics/intervals.js';
import { addResult, addUptime, addWithin, deviceTimeline, uptimeOf, uptimeWithin, type Timeline, type TimelineInput, type UptimeResult, type UptimeSums } from './timeline.js';
import { deviceIncidents, type ImpactInput, type Incident } from './incidents.js';
import { incidentFrom, joinChunk, stateAt, type DeviceState } from './reader.js';

/** What a computation needs besides the device's samples, as it stands at the read. */
export interface DeviceContext {
  intervalMs: number;
  /** merged spans when the collector instance assigned to these samples was not alive, up to +Infinity (collector-liveness.ts assignedGaps) */
  collectorDownOf(samples: readonly StatusSample[]): readonly Span[];
  /** the collector's gaps version, and the first instant its gaps changed at since version v */
  version: number;
  changedSince(v: number): number;
  /** maintenance of the device in [from, to) (finite bounds only: cron windows are enumerated) */
  maintenance(from: number, to: number): Span[];
}

/** how far ahead of its start a cached timeline is computed; reads beyond it recompute */
const FUTURE_MS = 10 * 60_000;
/** a cached sum is moved forward to `now - SETTLE_MS` once it lags by ADVANCE_MS (late points are rare that far back) */
const ADVANCE_MS = 60_000;
const SETTLE_MS = 5_000;

const zero = (): UptimeResult => ({ up_ms: 0, down_ms: 0, unknown_ms: 0, maintenance_ms: 0, counted_ms: 0, uptime: null });

/** A timeline seen through [a, b) inside its window (spans do not depend on the window). */
function clipped(t: Pick<Timeline, 'up' | 'down' | 'maintenance'>, a: number, b: number): Timeline {
  return { up: clip(t.up, a, b), down: clip(t.down, a, b), unreadable: [], maintenance: clip(t.maintenance, a, b), collectorDown: [], window: { start: a, end: b } };
}

const isDown = (s: StatusSample): boolean => !s.up && !s.unreadable;

function sameSample(a: StatusSample, b: StatusSample): boolean {
  return a.time === b.time && a.up === b.up && a.unreadable === b.unreadable && a.reason === b.reason && a.rtt_ms === b.rtt_ms;
}

export class DeviceLive {
  /** the last sample before tailFrom */
  lead: StatusSample | undefined;
  /** samples at or after tailFrom, in time order (one per instant) */
  tail: StatusSample[] = [];
  latest: StatusSample | undefined;
  /** merged timeline spans over [histFrom, tailFrom) */
  hist: { up: Span[]; down: Span[]; maintenance: Span[] } = { up: [], down: [], maintenance: [] };
  /** runs over before tailFrom, and the run that reached tailFrom (if any) */
  closed: Incident[] = [];
  open: Incident | undefined;
  /** some tail sample says down (a sample replaced by another at its instant may leave it set: then incidents() only looks) */
  private downInTail = false;
  private base: { from: number; at: number; uptime: UptimeResult; version: number } | undefined;
  private future: { at: number; until: number; timeline: Timeline; version: number } | undefined;
  private state: { value: DeviceState; from: number; until: number; version: number } | undefined;

  constructor(readonly device: Device, readonly who: ImpactInput, public histFrom: number, public tailFrom: number) {}

  /** counts the samples that changed something here (LiveState.changes: a sample read again does not) */
  revision = 0;

  /** Add a sample; false when it is older than the tail (history is not rewritten). */
  add(s: StatusSample): boolean {
    // the reconciliation reads again what the feed brought: the same sample changes nothing
    if (this.latest && sameSample(this.latest, s)) return true;
    if (!this.latest || s.time >= this.latest.time) { this.latest = s; this.state = undefined; this.revision++; }
    if (s.time < this.tailFrom) return s.time === this.lead?.time && sameSample(this.lead, s);
    const t = this.tail;
    if (t.length === 0 || t[t.length - 1]!.time < s.time) t.push(s);
    else {
      const i = this.indexAtOrAfter(s.time);
      if (t[i] && sameSample(t[i], s)) return true;
      if (t[i]?.time === s.time) t[i] = s; else t.splice(i, 0, s);
    }
    if (isDown(s)) this.downInTail = true;
    if (this.base && s.time < this.base.at) this.base = undefined;
    this.future = undefined;
    this.revision++;
    return true;
  }

  /** the first index of the tail at or after `time` */
  private indexAtOrAfter(time: number): number {
    let lo = 0, hi = this.tail.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (this.tail[mid]!.time < time) lo = mid + 1; else hi = mid; }
    return lo;
  }

  /** the samples a timeline over [from, to) needs: the last one before `from`, then those in [from, to) */
  samples(from: number, to = Infinity): StatusSample[] {
    const i = this.indexAtOrAfter(from);
    let j = i;
    while (j < this.tail.length && this.tail[j]!.time < to) j++;
    const first = i > 0 ? this.tail.slice(i - 1, j) : this.tail.slice(0, j);
    return i === 0 && this.lead ? [this.lead, ...first] : first;
  }

  private input(from: number, to: number, now: number, ctx: DeviceContext): TimelineInput {
    const samples = this.samples(from, to);
    return { samples, from, to, now, intervalMs: ctx.intervalMs, collectorDown: ctx.collectorDownOf(samples), maintenance: ctx.maintenance(from, Math.min(to, now)) };
  }

  /** The state at `now` (stateAt), cached until the next edge of its spans. */
  stateAt(now: number, ctx: DeviceContext): DeviceState {
    const c = this.state;
    if (c && now >= c.from && now < c.until && (c.version === ctx.version || ctx.changedSince(c.version) >= c.until)) return c.value;
    const collectorDown = ctx.collectorDownOf(this.latest ? [this.latest] : []);
    const value = stateAt(this.latest, now, ctx.intervalMs, collectorDown);
    let until = Infinity;
    const s = this.latest;
    if (s && s.time > now) until = s.time;
    else if (s) {
      // the state can only change where one of the sample's spans or a collector gap begins or ends
      const t = deviceTimeline({ samples: [s], from: s.time, to: Infinity, now: Infinity, intervalMs: ctx.intervalMs, collectorDown });
      for (const list of [t.up, t.down, t.unreadable, t.collectorDown]) for (const x of list) {
        if (x.start > now) until = Math.min(until, x.start);
        if (x.end > now) until = Math.min(until, x.end);
      }
    }
    this.state = { value, from: now, until, version: ctx.version };
    return value;
  }

  /** when the cached state may change next (Infinity when it cannot without a new point, or nothing is cached) */
  get stateUntil(): number {
    return this.state?.until ?? Infinity;
  }

  /** Add the figures of [from, to) to `acc`, with tailFrom <= from (deviceUptime over the tail's samples). */
  addTail(acc: UptimeSums, from: number, to: number, now: number, ctx: DeviceContext): void {
    const end = Math.min(to, now);
    if (end !== now) { addResult(acc, uptimeOf(deviceTimeline(this.input(from, to, now, ctx)))); return; }
    let b = this.base;
    const version = ctx.version;
    if (b && b.version !== version && ctx.changedSince(b.version) < b.at) b = undefined;
    if (!b || b.from !== from || b.at > now) b = { from, at: from, uptime: zero(), version };
    b.version = version;
    if (now - b.at > ADVANCE_MS) {
      const at = now - SETTLE_MS;
      b = { ...b, at, uptime: addUptime(b.uptime, uptimeWithin(this.timelineFrom(b.at, at, ctx), b.at, at)) };
    }
    this.base = b;
    addResult(acc, b.uptime);
    addWithin(acc, this.timelineFrom(b.at, now, ctx), b.at, now);
  }

  /** the timeline from `at` (cached up to FUTURE_MS ahead), valid through `now` */
  private timelineFrom(at: number, now: number, ctx: DeviceContext): Timeline {
    const f = this.future;
    if (f && f.at <= at && now <= f.until && (f.version === ctx.version || ctx.changedSince(f.version) >= now)) return f.timeline;
    const until = Math.max(now, at) + FUTURE_MS;
    const timeline = deviceTimeline(this.input(at, until, until, ctx));
    this.future = { at, until, timeline, version: ctx.version };
    return timeline;
  }

  /** Add the figures of [a, b) inside the history (histFrom <= a, b <= tailFrom) to `acc`. */
  addHist(acc: UptimeSums, a: number, b: number): void {
    addWithin(acc, this.hist, a, b);
  }

  /** Incidents over [from, now) (windowIncidents over one chunk), from >= histFrom. */
  incidents(from: number, now: number, ctx: DeviceContext): Incident[] {
    const mayBeDown = this.open !== undefined || (this.lead !== undefined && isDown(this.lead)) || this.downInTail;
    if (!mayBeDown && this.closed.length === 0) return [];
    const runs = [...this.closed];
    if (mayBeDown && now > this.tailFrom) {
      const list = deviceIncidents(this.input(this.tailFrom, now, now, ctx), this.who);
      const step = joinChunk(this.open, list, this.tailFrom, now, this.histFrom, now);
      runs.push(...step.done);
      if (step.open) runs.push(step.open);
    }
    return runs.filter((i) => (i.ongoing ? now : i.end!) > from).map((i) => incidentFrom(i, from));
  }

  /** Fold one chunk [input.from, input.to) of the past into the history (in time order). */
  addHistory(input: TimelineInput): void {
    const t = deviceTimeline(input);
    this.hist = { up: merge([...this.hist.up, ...t.up]), down: merge([...this.hist.down, ...t.down]), maintenance: merge([...this.hist.maintenance, ...t.maintenance]) };
    const step = joinChunk(this.open, deviceIncidents(input, this.who), input.from, input.to, this.histFrom, Infinity);
    this.closed.push(...step.done);
    this.open = step.open;
  }

  /** Move [tailFrom, to) into the history; `keepFrom` drops what is older than that. */
  rollForward(to: number, now: number, keepFrom: number, ctx: DeviceContext): void {
    if (to <= this.tailFrom) return;
    this.addHistory(this.input(this.tailFrom, to, now, ctx));
    const i = this.indexAtOrAfter(to);
    if (i > 0) this.lead = this.tail[i - 1];
    this.tail = this.tail.slice(i);
    this.downInTail = this.tail.some(isDown);
    this.tailFrom = to;
    this.base = undefined;
    this.future = undefined;
    if (keepFrom > this.histFrom) {
      this.histFrom = keepFrom;
      this.hist = clipped(this.hist, keepFrom, Infinity);
      this.closed = this.closed.filter((x) => x.end! > keepFrom);
    }
  }
}
