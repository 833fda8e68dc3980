import type { AggregateFn, AggregateRow } from './metric-store.js';
import type { FieldValue } from '../../core/point.js';
import { compareTagValues } from './result-order.js';

/**
 * Aggregation of the embedded store, in JS over the rows of the selected series: the fields are
 * an encoded blob SQL cannot read, and the group of a row is a property of its series, computed
 * once per series rather than once per row. Semantics as before (SQLite's AVG/MIN/MAX/SUM/COUNT):
 * booleans count as 1/0, strings only count in `count`, `last` is the value at the newest time.
 */
interface Acc {
  time: number;
  tags: Record<string, string>;
  n: number;
  count: number;
  sum: number;
  min: number;
  max: number;
  lastTime: number;
  last: number | null;
}

/** The buckets of one group; rows of a series come in time order, so the current bucket is cached. */
export class GroupAcc {
  private readonly buckets = new Map<number, Acc>();
  private cur: Acc | undefined;

  constructor(private readonly tags: Record<string, string>, private readonly stepMs: number | undefined, private readonly from: number) {}

  add(time: number, value: FieldValue | undefined): void {
    if (value === undefined) return;
    const bucket = this.stepMs === undefined ? this.from : time - ((time % this.stepMs) + this.stepMs) % this.stepMs;
    let a = this.cur;
    if (a?.time !== bucket) {
      a = this.buckets.get(bucket);
      if (!a) {
        a = { time: bucket, tags: this.tags, n: 0, count: 0, sum: 0, min: Infinity, max: -Infinity, lastTime: -Infinity, last: null };
        this.buckets.set(bucket, a);
      }
      this.cur = a;
    }
    a.count++;
    const v = typeof value === 'boolean' ? (value ? 1 : 0) : value;
    if (typeof v !== 'number') return;
    a.n++;
    a.sum += v;
    if (v < a.min) a.min = v;
    if (v > a.max) a.max = v;
    if (time >= a.lastTime) { a.lastTime = time; a.last = v; }
  }

  accs(): IterableIterator<Acc> {
    return this.buckets.values();
  }
}

export class Aggregator {
  private readonly groups = new Map<string, GroupAcc>();

  constructor(private readonly fn: AggregateFn, private readonly stepMs: number | undefined, private readonly from: number) {}

  /** The accumulator of a group (the caller computes a series' group once, not once per row). */
  group(key: string, tags: Record<string, string>): GroupAcc {
    let g = this.groups.get(key);
    if (!g) {
      g = new GroupAcc(tags, this.stepMs, this.from);
      this.groups.set(key, g);
    }
    return g;
  }

  rows(groupBy: readonly string[]): AggregateRow[] {
    const out: AggregateRow[] = [];
    for (const g of this.groups.values()) {
      for (const a of g.accs()) {
        const value = this.fn === 'count' ? a.count
          : a.n === 0 ? null
            : this.fn === 'mean' ? a.sum / a.n : this.fn === 'sum' ? a.sum : this.fn === 'min' ? a.min : this.fn === 'max' ? a.max : a.last;
        out.push({ time: a.time, tags: { ...a.tags }, value });
      }
    }
    return out.sort((x, y) => x.time - y.time || compareTagValues(x.tags, y.tags, groupBy));
  }
}
