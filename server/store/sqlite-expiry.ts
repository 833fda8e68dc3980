import type Database from 'better-sqlite3';
import type { Logger } from '../log.js';
import { parseDurationMs } from './influx-admin.js';
import type { Catalog } from './sqlite-catalog.js';

/**
 * Retention of the embedded store, as InfluxDB's retention policies do it: raw points older than
 * the raw retention and rollups older than the long retention are deleted. Runs from write() at
 * most every EXPIRE_EVERY_MS, so no timer has to be stopped on close; each run deletes, series by
 * series, the head of every series' key range ((series_id, time) is the primary key, so each
 * delete is a range seek, never a table scan). At the demo's rate, ten minutes of points is about
 * 55 000 rows: one run costs tens of milliseconds, once.
 */
export const EXPIRE_EVERY_MS = 10 * 60_000;

/** An InfluxDB duration literal (`90d`, `INF`) in ms; 0 = kept forever. Refuses anything else. */
export function retentionMs(text: string): number {
  return parseDurationMs(text);
}

export class Expiry {
  private lastRun = -Infinity;
  private readonly del: Record<'raw' | 'long', Database.Statement>;

  constructor(db: Database.Database, private readonly keep: { raw: number; long: number }, private readonly log: Logger) {
    this.del = {
      raw: db.prepare('DELETE FROM raw_points WHERE series_id = ? AND time < ?'),
      long: db.prepare('DELETE FROM long_points WHERE series_id = ? AND time < ?'),
    };
  }

  due(now: number): boolean {
    return (this.keep.raw > 0 || this.keep.long > 0) && now - this.lastRun >= EXPIRE_EVERY_MS;
  }

  /** Deletes expired points of every series; returns how many rows each retention lost. */
  run(now: number, catalog: Catalog): { raw: number; long: number } {
    this.lastRun = now;
    catalog.refresh();
    const ids = catalog.allIds();
    const deleted = { raw: 0, long: 0 };
    for (const which of ['raw', 'long'] as const) {
      const keep = this.keep[which];
      if (keep <= 0) continue;
      const cutoff = now - keep;
      // one short transaction per retention: readers in WAL mode are not blocked meanwhile
      const tx = this.del[which].database.transaction(() => {
        for (const id of ids) deleted[which] += this.del[which].run(id, cutoff).changes;
      });
      tx.immediate();
    }
    if (deleted.raw + deleted.long > 0) this.log.info({ ...deleted }, 'sqlite expiry deleted points older than the retentions');
    return deleted;
  }
}
