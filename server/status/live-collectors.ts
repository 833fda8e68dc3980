/**
 * The collector_status points of the live state (live-state.ts) and the gaps collectorGaps gives
 * for them, computed up to +Infinity so that a heartbeat running out needs no new point: each
 * read clips at its `now`. Every change of a collector's gaps gets a version and the first
 * instant at which the gaps differ, so that a device's cached figures before that instant stay.
 */
import type { Span } from '../analytics/intervals.js';
import { collectorGaps, type CollectorStatusPoint } from './collector-liveness.js';

/** changes remembered per collector; a cache older than these is recomputed */
const MAX_LOG = 512;

/** The first instant at which two merged span lists differ (Infinity when equal). */
export function firstDifference(a: readonly Span[], b: readonly Span[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i], y = b[i];
    if (!x) return y!.start;
    if (!y) return x.start;
    if (x.start !== y.start) return Math.min(x.start, y.start);
    if (x.end !== y.end) return Math.min(x.end, y.end);
  }
  return Infinity;
}

const keyOf = (p: CollectorStatusPoint): string => `${p.collector}\u0000${p.instance}\u0000${p.time}`;

export class CollectorLiveness {
  private points: CollectorStatusPoint[] = [];
  private keys = new Set<string>();
  private from = 0;
  private current = new Map<string, Span[]>();
  private versions = new Map<string, number>();
  private logs = new Map<string, { version: number; from: number }[]>();
  private memo = new Map<string, Map<number, number>>();

  /** Start over with the points of [from, ...). */
  reset(from: number, points: readonly CollectorStatusPoint[]): void {
    this.from = from;
    this.points = [];
    this.keys.clear();
    this.add(points);
    this.recompute();
  }

  /** Add points (duplicates of points already held are ignored); the gaps follow. */
  add(points: readonly CollectorStatusPoint[]): void {
    let added = false;
    for (const p of points) {
      const k = keyOf(p);
      if (this.keys.has(k)) continue;
      this.keys.add(k);
      this.points.push(p);
      added = true;
    }
    if (added) this.recompute();
  }

  /**
   * Drop points before `from`. A collector left without points keeps each instance's last word,
   * which says what reader.ts silentBefore's stand-in says: dead after heartbeats ran out or
   * after connected=0, alive after a legacy connected=1.
   */
  prune(from: number): void {
    this.from = from;
    const kept = this.points.filter((p) => p.time >= from);
    const present = new Set(kept.map((p) => p.collector));
    const last = new Map<string, CollectorStatusPoint>();
    for (const p of this.points) {
      if (present.has(p.collector)) continue;
      const k = `${p.collector}\u0000${p.instance}`;
      const cur = last.get(k);
      if (!cur || p.time >= cur.time) last.set(k, p);
    }
    this.points = [...last.values(), ...kept];
    this.keys = new Set(this.points.map(keyOf));
    this.recompute();
  }

  private recompute(): void {
    const next = collectorGaps(this.points, this.from, Infinity);
    for (const key of new Set([...this.current.keys(), ...next.keys()])) {
      const at = firstDifference(this.current.get(key) ?? [], next.get(key) ?? []);
      if (at === Infinity) continue;
      // an instance's own gaps (collector-liveness.ts instanceKey) version its collector's caches
      const name = key.split('\u0000')[0]!;
      const version = (this.versions.get(name) ?? 0) + 1;
      this.versions.set(name, version);
      const log = this.logs.get(name) ?? [];
      log.push({ version, from: at });
      if (log.length > MAX_LOG) log.shift();
      this.logs.set(name, log);
      this.memo.delete(name);
    }
    this.current = next;
  }

  gaps(): Map<string, Span[]> {
    return this.current;
  }

  gapsOf(collector: string): Span[] {
    return this.current.get(collector) ?? [];
  }

  version(collector: string): number {
    return this.versions.get(collector) ?? 0;
  }

  /** The first instant at which the collector's gaps changed since version v (-Infinity when no longer known). */
  changedSince(collector: string, v: number): number {
    const memo = this.memo.get(collector) ?? new Map<number, number>();
    this.memo.set(collector, memo);
    const hit = memo.get(v);
    if (hit !== undefined) return hit;
    const log = this.logs.get(collector) ?? [];
    let at = Infinity;
    if (log.length > 0 && log[0]!.version > v + 1) at = -Infinity;
    else for (const e of log) if (e.version > v) at = Math.min(at, e.from);
    memo.set(v, at);
    return at;
  }
}
