/**
 * Whether two batches hold a point of the same identity (measurement, tags, time: the stores'
 * identity, metric-store.ts). The write pipeline sends two batches to the store at once only when
 * they do not: the store may apply concurrent writes in either order, and for two points of one
 * identity the one written last wins, which must stay the one acknowledged last.
 */
import { seriesKey, type Point } from '../../core/point.js';

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

/** measurement and series key: the stores' identity of a point's series */
function seriesOf(p: Point): string {
  return `${p.measurement}\u0000${seriesKey(p.tags)}`;
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
    if (!keys) { keys = new Set(same.map(seriesOf)); keysAt.set(p.time, keys); }
    if (keys.has(seriesOf(p))) return true;
  }
  return false;
}
