import type Database from 'better-sqlite3';
import { PAGE_ROWS, type PointsTable } from './sqlite-sql.js';

/**
 * Reading one series of the embedded store a page at a time: bounded memory over any time range,
 * and no iterator held open while the caller runs other statements (the catalogue may read
 * field_keys in the middle of a scan).
 */
export type OnRow = (time: number, buf: Buffer, start: number, end: number) => boolean;

/**
 * Calls `onRow` for the points of one series in [from, to), in time order, with the point's
 * encoding at buf[start, end); `onRow` returns false to stop. `st` is sqlite-sql.ts pageSql.
 * Bounded: each page starts after the last time of the previous one, and a short page is the last.
 */
export function scanSeries(st: Database.Statement, seriesId: number, from: number, to: number, onRow: OnRow): void {
  for (let start = from; start < to;) {
    const [n, last, times, lengths, hex] = st.raw().get(seriesId, start, to) as [number, number | null, string | null, string | null, string | null];
    if (n === 0 || last === null || times === null || lengths === null || hex === null) return;
    const buf = Buffer.from(hex, 'hex');
    const ts = times.split(',');
    const ls = lengths.split(',');
    let off = 0;
    for (let i = 0; i < n; i++) {
      const end = off + Number(ls[i]);
      if (!onRow(Number(ts[i]), buf, off, end)) return;
      off = end;
    }
    if (n < PAGE_ROWS) return;
    start = last + 1;
  }
}

/** Rows read per step when looking backwards for a series' latest sample: usually the first one is. */
export const BACK_PAGE = 16;

export function latestSql(): string {
  return `SELECT time, fields FROM raw_points WHERE series_id = ? AND time < ? ORDER BY time DESC LIMIT ${BACK_PAGE}`;
}

/**
 * The newest row of a series before `before` that `pick` accepts (status: a row with up or
 * unreadable). Bounded: each step moves `before` to the oldest time it read; a short page is the last.
 */
export function latestOf<T>(st: Database.Statement, seriesId: number, before: number, pick: (time: number, buf: Buffer) => T | null): T | null {
  for (let until = before; ;) {
    const rows = st.raw().all(seriesId, until) as [number, Buffer][];
    for (const [time, buf] of rows) {
      const found = pick(time, buf);
      if (found !== null) return found;
    }
    if (rows.length < BACK_PAGE) return null;
    until = (rows[rows.length - 1] as [number, Buffer])[0];
  }
}

/** Whether a series holds a point in [from, to) (one primary-key probe): the embedded store's tagSets. */
export function anyPointSql(table: PointsTable): string {
  return `SELECT 1 FROM ${table} WHERE series_id = ? AND time >= ? AND time < ? LIMIT 1`;
}
