/**
 * The embedded store's layout (version 2). A point costs its series id, its time and its encoded
 * fields: the tag set lives once per series, field names once per measurement.
 *
 * - `series`: one row per measurement + tag set (`key` is validate-point.ts seriesKey, the sorted
 *   non-empty tags as JSON entries). No index but the id: the catalogue is in memory, and a
 *   second copy of every key in a UNIQUE index cost about 1 byte a point at the demo's size.
 * - `field_keys`: per measurement, field name <-> small integer id (field-codec.ts).
 * - `raw_points` / `long_points`: the raw retention and the hourly rollups (InfluxDB's `long`
 *   retention policy), keyed by (series_id, time) in WITHOUT ROWID tables, so the key is the table:
 *   no rowid, no second index, and a series' points are contiguous on disk for range reads.
 * - `store_meta`: layout version and when expiry last ran.
 *
 * Tag filters are evaluated in JS on the series catalogue; SQL only ever sees series ids and
 * times as bound parameters, so no user string is spliced into SQL.
 */
export type SqlParam = string | number | bigint | Buffer | null;

export const LAYOUT_VERSION = 2;

export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS series (
  id          INTEGER PRIMARY KEY,
  measurement TEXT NOT NULL,
  key         TEXT NOT NULL -- validate-point.ts seriesKey; unique by construction (sqlite-catalog.ts)
);
CREATE TABLE IF NOT EXISTS field_keys (
  measurement TEXT NOT NULL,
  id          INTEGER NOT NULL,
  name        TEXT NOT NULL,
  PRIMARY KEY (measurement, id),
  UNIQUE (measurement, name)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS raw_points (
  series_id INTEGER NOT NULL,
  time      INTEGER NOT NULL, -- epoch ms
  fields    BLOB NOT NULL,    -- field-codec.ts
  PRIMARY KEY (series_id, time)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS long_points (
  series_id INTEGER NOT NULL,
  time      INTEGER NOT NULL,
  fields    BLOB NOT NULL,
  PRIMARY KEY (series_id, time)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS store_meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
`;

export type PointsTable = 'raw_points' | 'long_points';

/** The table of a retention: a fixed name, never taken from input. */
export function tableOf(retention: 'raw' | 'long' | undefined): PointsTable {
  return retention === 'long' ? 'long_points' : 'raw_points';
}

/** InfluxDB merges the fields of a point written again with the same identity; so do we (merge_fields is registered by the store). */
export function upsertSql(table: PointsTable): string {
  return `INSERT INTO ${table} (series_id, time, fields) VALUES (?, ?, ?)`
    + ` ON CONFLICT (series_id, time) DO UPDATE SET fields = merge_fields(${table}.fields, excluded.fields)`;
}

/** Rows read per statement when scanning a series: bounded memory whatever the time range. */
export const PAGE_ROWS = 5000;

/**
 * One page of a series' points in [from, to), in time order (keyset pagination on the primary
 * key), as ONE row: the count, the last time, the times and encoding lengths as comma-separated
 * text, and the encodings concatenated as hex. better-sqlite3 makes a Buffer per BLOB value, which
 * cost about 2 µs a point; one string a page read this way is several times faster. The three
 * group_concat run over the same rows in the same pass, so they stay aligned.
 */
export function pageSql(table: PointsTable): string {
  return 'SELECT count(*), max(time), group_concat(time), group_concat(length(fields)), group_concat(hex(fields), \'\')'
    + ` FROM (SELECT time, fields FROM ${table} WHERE series_id = ? AND time >= ? AND time < ? ORDER BY time LIMIT ${PAGE_ROWS})`;
}
