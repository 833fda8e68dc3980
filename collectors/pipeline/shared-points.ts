/**
 * Whether two batches hold a point of the same identity (measurement, tags, time: the stores'
 * identity, metric-store.ts). The write pipeline sends two batches to the store at once only when
 * they do not: the store may apply concurrent writes in either order, and for two points of one
 * identity the one written last wins, which must stay the one acknowledged last.
 */
import type { Point } from '../../core/point.js';

/** A batch's points by time, built once per batch and kept while the batch is in flight. */
export type TimeIndex = Map<number, Point[]>;

export function timeIndex(points: readonly Point[]): TimeIndex {
  const index: TimeIndex = new Map();
  for (const p of points) {
    const list = index.get(p.time);
    if (list) list.push(p); else index.set(p.time, [p]);
  }
  return index;
}

/** measurement and tags as the stores key a series: tags sorted, empty values dropped (line-protocol.ts drops them) */
function seriesKey(p: Point): string {
  let key = p.measurement;
  for (const k of Object.keys(p.tags).sort()) {
    const v = p.tags[k];
    if (v !== undefined && v !== '') key += `\u0000${k}\u0000${v}`;
  }
  return key;
}

/**
 * True when a point of `points` has the identity of a point in `index`. Points are compared by
 * time first (a number lookup), so series keys are built only for the few that share a time.
 */
export function sharesIdentity(index: TimeIndex, points: readonly Point[]): boolean {
  let keysAt: Map<number, Set<string>> | undefined;
  for (const p of points) {
    const same = index.get(p.time);
    if (!same) continue;
    keysAt ??= new Map();
    let keys = keysAt.get(p.time);
    if (!keys) { keys = new Set(same.map(seriesKey)); keysAt.set(p.time, keys); }
    if (keys.has(seriesKey(p))) return true;
  }
  return false;
}
