/**
 * Fewer stored up samples, the same timelines: which `device_status` up samples of a batch the
 * store can do without (pure; the write path applies it, server/collection/collection-side.ts).
 *
 * DESIGN.md: up holds 2.5 effective intervals after the last evidence *received*, not after the
 * last sample written, when writes are thinned. An AP's telemetry is one up sample per message
 * (collectors/mqtt/status-tracker.ts); a queue drained after an outage, or an AP that reports
 * faster than its interval, puts several samples of one AP in one batch. Of three plain up samples
 * A ≤ B ≤ C of a device, next to each other in time, B changes no timeline (timeline.ts) when
 * C − A ≤ the up hold and no collector liveness starts in (A, C] (this module asks more, below):
 * - without B, A's up holds until C (C comes within the hold): [A, C) is up either way;
 * - a collector gap that *starts* in (A, C) cuts A's or B's up span at the same instant either
 *   way, and B inside a gap says nothing;
 * - a gap that *ends* in (A, C] is the one case where B matters (B after the gap restarts up
 *   before C), hence the barrier: the start of a collector's liveness, which this module learns
 *   from the `collector_status` points that go through the same write path.
 * The hold is read with the device's interval of the day it is read, and an operator may shorten
 * an interval later: so B is left out only when C − A is at most one effective interval, not the
 * whole hold (2.5 intervals). The same history then reads the same timeline with any later
 * interval down to 1/2.5 of today's (the hold still spans C − A).
 * So each run of plain up samples keeps its first and its last sample (the last evidence is always
 * written) and, between them, one sample at least every interval and at every liveness start.
 *
 * Only plain up samples (the single field `up=1`) are dropped: a sample carrying a round-trip time
 * is a measurement. Down and unreadable samples, and every other point, pass untouched, and any of
 * them for the device between two up samples (in time) breaks the run. A sample of another
 * series of the device (another source tag) breaks it too.
 *
 * Limits, said plainly: the batch is all it sees (an earlier batch's sample is never removed, and
 * a run is cut at the batch's edge); a liveness start it has not seen — written by another process
 * before this one started — is not a barrier: that is a collector that crashed within two
 * heartbeats of starting while the AP's queued messages were being redelivered to it.
 */
import type { Point } from '../../core/point.js';
import { HEARTBEAT_HOLD_FACTOR } from './semantics.js';

/** how many liveness starts it remembers (a start older than every sample still arriving is moot) */
const MAX_BARRIERS = 256;

interface Beat { time: number; connected: boolean; heartbeatMs: number }

export class EvidenceThinner {
  /** per collector instance, its last collector_status point seen */
  private readonly lastBeat = new Map<string, Beat>();
  /** liveness starts seen, ascending */
  private readonly barriers: number[] = [];
  /** the latest barrier forgotten (MAX_BARRIERS): a range starting before it may hold one */
  private forgottenUpTo = -Infinity;
  private droppedTotal = 0;

  /** `intervalMsOf` gives a device's effective interval (intervals.ts), undefined for a device it does not know */
  constructor(private readonly intervalMsOf: (deviceId: string) => number | undefined) {}

  /** up samples dropped so far */
  get dropped(): number { return this.droppedTotal; }

  /** The batch without the up samples that change no timeline, in its order. */
  thin(points: readonly Point[]): readonly Point[] {
    this.observeCollectors(points);
    const runs = new Map<string, number[]>();
    for (let i = 0; i < points.length; i++) {
      const p = points[i]!;
      if (p.measurement !== 'device_status') continue;
      const device = p.tags['device'];
      if (device === undefined) continue;
      const list = runs.get(device);
      if (list) list.push(i); else runs.set(device, [i]);
    }
    let drop: Set<number> | undefined;
    for (const [device, idx] of runs) {
      if (idx.length < 3) continue;
      const intervalMs = this.intervalMsOf(device);
      if (intervalMs === undefined || !(intervalMs > 0)) continue;
      // by time; of equal times the later-listed last, as the timeline orders them
      const order = [...idx].sort((a, b) => points[a]!.time - points[b]!.time || a - b);
      let kept = -1; // index (into order) of the last kept sample of the current run, -1: no run
      for (let k = 0; k < order.length; k++) {
        const p = points[order[k]!]!;
        if (!isPlainUp(p)) { kept = -1; continue; }
        if (kept < 0) { kept = k; continue; }
        const nextAt = order[k + 1];
        const next = nextAt === undefined ? undefined : points[nextAt]!;
        const anchor = points[order[kept]!]!;
        // C − A ≤ one interval: within today's hold (UP_HOLD_FACTOR intervals), with room for a shorter interval later
        const redundant = next !== undefined && isPlainUp(next) && next.time - anchor.time <= intervalMs
          && sameSeries(next, p) && sameSeries(anchor, p)
          && !this.barrierIn(anchor.time, next.time);
        if (redundant) (drop ??= new Set()).add(order[k]!);
        else kept = k;
      }
    }
    if (!drop) return points;
    this.droppedTotal += drop.size;
    return points.filter((_, i) => !drop!.has(i));
  }

  /** Learns the liveness starts: a collector instance's first `connected=1`, or one after a `connected=0` or a lapse. */
  private observeCollectors(points: readonly Point[]): void {
    for (const p of points) {
      if (p.measurement !== 'collector_status') continue;
      const key = JSON.stringify([p.tags['collector'], p.tags['instance']]);
      const connected = p.fields['connected'] === 1 || p.fields['connected'] === true;
      const hb = p.fields['heartbeat_s'];
      const heartbeatMs = typeof hb === 'number' && hb > 0 ? hb * 1000 : 0;
      const prev = this.lastBeat.get(key);
      if (connected) {
        const lapsed = !prev || !prev.connected || prev.heartbeatMs === 0 || p.time > prev.time + HEARTBEAT_HOLD_FACTOR * prev.heartbeatMs;
        if (lapsed) this.addBarrier(p.time);
      }
      if (!prev || p.time >= prev.time) this.lastBeat.set(key, { time: p.time, connected, heartbeatMs });
    }
  }

  private addBarrier(t: number): void {
    let i = this.barriers.length;
    while (i > 0 && this.barriers[i - 1]! > t) i--;
    if (this.barriers[i - 1] === t) return;
    this.barriers.splice(i, 0, t);
    if (this.barriers.length > MAX_BARRIERS) this.forgottenUpTo = Math.max(this.forgottenUpTo, this.barriers.shift()!);
  }

  /** whether a liveness start lies in (from, to] */
  private barrierIn(from: number, to: number): boolean {
    if (from < this.forgottenUpTo) return true;
    for (let i = this.barriers.length - 1; i >= 0; i--) {
      const b = this.barriers[i]!;
      if (b <= from) return false;
      if (b <= to) return true;
    }
    return false;
  }
}

/** the same tags, as the stores key a series (core/point.ts storedTags: an empty value is no tag) */
function sameSeries(a: Point, b: Point): boolean {
  if (a.tags === b.tags) return true;
  let n = 0;
  for (const k in a.tags) {
    const v = a.tags[k];
    if (v === undefined || v === '') continue;
    if (b.tags[k] !== v) return false;
    n++;
  }
  for (const k in b.tags) {
    const v = b.tags[k];
    if (v !== undefined && v !== '') n--;
  }
  return n === 0;
}

/** a sample that says only "up": no round trip, no reason */
function isPlainUp(p: Point): boolean {
  const f = p.fields;
  if (f['up'] !== 1 && f['up'] !== true) return false;
  for (const k in f) if (k !== 'up') return false;
  return true;
}
