import type Database from 'better-sqlite3';
import type { Logger } from '../../core/log.js';
import { parseDurationMs } from './influx-admin.js';
import type { Catalog } from './sqlite-catalog.js';

/**
 * Retention of the embedded store, as InfluxDB's retention policies do it: raw points older than
 * the raw retention and rollups older than the long retention are deleted. Runs from write(), so
 * no timer has to be stopped on close, and stays cheap whatever it finds:
 * - every EXPIRE_EVERY_MS when caught up; each run deletes at most one slice of time (raw: 10 min,
 *   at the demo's rate about 55 000 rows, tens of ms; rollups: one day), starting at the oldest
 *   point still there, so a backlog (the service was off, the retention was shortened) is worked
 *   off a slice per write instead of in one long transaction;
 * - every delete is a range seek on the (series_id, time) primary key, series by series: never a
 *   table scan.
 */
export const EXPIRE_EVERY_MS = 10 * 60_000;
const SLICE_MS = { raw: 10 * 60_000, long: 86_400_000 } as const;
/** bound of expire()'s catch-up loop: 100 000 slices is about 2 years of raw backlog */
const MAX_SLICES = 100_000;

/** An InfluxDB duration literal (`90d`, `INF`) in ms; 0 = kept forever. Refuses anything else. */
export function retentionMs(text: string): number {
  return parseDurationMs(text);
}

type Which = 'raw' | 'long';

export class Expiry {
  private lastRun = -Infinity;
  private behind = false;
  private readonly del: Record<Which, Database.Statement>;
  private readonly first: Record<Which, Database.Statement>;

  constructor(db: Database.Database, private readonly keep: Record<Which, number>, private readonly log: Logger) {
    this.del = {
      raw: db.prepare('DELETE FROM raw_points WHERE series_id = ? AND time < ?'),
      long: db.prepare('DELETE FROM long_points WHERE series_id = ? AND time < ?'),
    };
    this.first = {
      raw: db.prepare('SELECT time FROM raw_points WHERE series_id = ? ORDER BY time LIMIT 1').pluck(),
      long: db.prepare('SELECT time FROM long_points WHERE series_id = ? ORDER BY time LIMIT 1').pluck(),
    };
  }

  due(now: number): boolean {
    return (this.keep.raw > 0 || this.keep.long > 0) && (this.behind || now - this.lastRun >= EXPIRE_EVERY_MS);
  }

  /** One bounded step: deletes at most a slice per retention; returns how many rows each lost. */
  step(now: number, catalog: Catalog): Record<Which, number> {
    this.lastRun = now;
    this.behind = false;
    catalog.refresh();
    const ids = catalog.allIds();
    const deleted = { raw: 0, long: 0 };
    for (const which of ['raw', 'long'] as const) {
      if (this.keep[which] <= 0) continue;
      const cutoff = now - this.keep[which];
      let oldest = Infinity;
      for (const id of ids) oldest = Math.min(oldest, (this.first[which].get(id) as number | undefined) ?? Infinity);
      if (oldest >= cutoff) continue;
      const stop = Math.min(cutoff, oldest + SLICE_MS[which]);
      if (stop < cutoff) this.behind = true;
      // one short transaction: readers in WAL mode are not blocked meanwhile
      this.del[which].database.transaction(() => {
        for (const id of ids) deleted[which] += this.del[which].run(id, stop).changes;
      }).immediate();
    }
    if (deleted.raw + deleted.long > 0) this.log.info({ ...deleted, behind: this.behind }, 'sqlite expiry deleted points older than the retentions');
    return deleted;
  }

  /** Steps until nothing older than the retentions is left (bounded by MAX_SLICES). */
  run(now: number, catalog: Catalog): Record<Which, number> {
    const total = { raw: 0, long: 0 };
    for (let i = 0; i < MAX_SLICES; i++) {
      const d = this.step(now, catalog);
      total.raw += d.raw;
      total.long += d.long;
      if (!this.behind) break;
    }
    return total;
  }
}
