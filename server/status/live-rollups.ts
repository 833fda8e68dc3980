/**
 * The hourly rollups of the last day, in memory for the live state (live-state.ts): per hour and
 * device the up, down and maintenance seconds, and which hours hold rollups. deviceUptimes reads
 * the same rows from the store on every request; here they are read once per hour written.
 */
import type { MetricStore } from '../store/metric-store.js';
import { merge, type Span } from '../analytics/intervals.js';
import { HOUR_MS, ROLLUP_MEASUREMENT } from './device-uptimes.js';

/** up_s, down_s, maintenance_s */
export type RollupSums = [number, number, number];

const FIELDS = ['up_s', 'down_s', 'maintenance_s'] as const;

export class RollupMemory {
  private readonly byHour = new Map<number, Map<string, RollupSums>>();
  /** hours with rollups (an up_s row of any device), as deviceUptimes counts them */
  private rolled = new Set<number>();
  private spans: Span[] = [];
  private version = 0;
  private cache: { key: string; sums: Map<string, RollupSums> } | undefined;

  constructor(private readonly store: MetricStore) {}

  /** Read (again) the rollups of the whole hours in [from, to). */
  async load(from: number, to: number): Promise<void> {
    const start = Math.floor(from / HOUR_MS) * HOUR_MS, end = Math.ceil(to / HOUR_MS) * HOUR_MS;
    if (end <= start) return;
    const rows = await Promise.all(FIELDS.map((field) => this.store.queryAggregate({
      measurement: ROLLUP_MEASUREMENT, retention: 'long', field, fn: 'sum', from: start, to: end, stepMs: HOUR_MS, groupBy: ['device'],
    })));
    for (let h = start; h < end; h += HOUR_MS) { this.byHour.delete(h); this.rolled.delete(h); }
    rows.forEach((list, k) => {
      for (const r of list) {
        if (r.value === null) continue;
        const hour = this.byHour.get(r.time) ?? new Map<string, RollupSums>();
        this.byHour.set(r.time, hour);
        const device = r.tags['device'] ?? '';
        const v = hour.get(device) ?? [0, 0, 0];
        v[k] = r.value;
        hour.set(device, v);
        if (k === 0) this.rolled.add(r.time);
      }
    });
    this.changed();
  }

  private changed(): void {
    this.spans = merge([...this.rolled].map((h) => ({ start: h, end: h + HOUR_MS })));
    this.version++;
    this.cache = undefined;
  }

  has(hour: number): boolean {
    return this.rolled.has(hour);
  }

  /** the end of the newest hour with rollups */
  newestEnd(): number | undefined {
    return this.spans.length > 0 ? this.spans[this.spans.length - 1]!.end : undefined;
  }

  hours(): Span[] {
    return this.spans;
  }

  /** Per device, the sums over the hours in [from, to) (hours without rollups add nothing). */
  sums(from: number, to: number): Map<string, RollupSums> {
    const key = `${from}:${to}:${this.version}`;
    if (this.cache?.key === key) return this.cache.sums;
    const sums = new Map<string, RollupSums>();
    for (let h = from; h < to; h += HOUR_MS) {
      for (const [device, v] of this.byHour.get(h) ?? []) {
        const s = sums.get(device);
        if (s) { s[0] += v[0]; s[1] += v[1]; s[2] += v[2]; } else sums.set(device, [v[0], v[1], v[2]]);
      }
    }
    this.cache = { key, sums };
    return sums;
  }

  prune(keepFrom: number): void {
    for (const h of [...this.byHour.keys()]) if (h < keepFrom) this.byHour.delete(h);
    for (const h of [...this.rolled]) if (h < keepFrom) this.rolled.delete(h);
    this.changed();
  }
}
