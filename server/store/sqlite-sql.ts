/**
 * SQL fragments for the embedded store. Keys are never spliced into SQL: a key that is a plain
 * identifier becomes a bound JSON path (`$.key`, fast, uses json_extract); any other key (quotes,
 * dots, spaces…) is looked up through json_each with the key bound as a parameter.
 */
export type SqlParam = string | number;

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** SQL expression for `column.key` of a JSON object column (NULL when absent). */
export function jsonGet(column: 'tags' | 'fields', key: string, params: SqlParam[]): string {
  params.push(PLAIN_KEY.test(key) ? `$.${key}` : key);
  return PLAIN_KEY.test(key)
    ? `json_extract(${column}, ?)`
    : `(SELECT je.value FROM json_each(${column}) AS je WHERE je.key = ?)`;
}

/** Tag equality, where '' matches a missing tag (as in InfluxDB). `device` uses its own column. */
export function tagEquals(key: string, value: string, params: SqlParam[]): string {
  if (key === 'device') {
    params.push(value);
    return 'device = ?';
  }
  const expr = jsonGet('tags', key, params);
  params.push(value);
  return `COALESCE(${expr}, '') = ?`;
}

export function tagConditions(where: Readonly<Record<string, string>> | undefined, params: SqlParam[]): string[] {
  if (!where) return [];
  return Object.keys(where).sort().map((k) => tagEquals(k, where[k] ?? '', params));
}

/** `device IN (…)` with the list bound as one JSON array parameter. */
export function deviceIn(devices: readonly string[], params: SqlParam[]): string {
  params.push(JSON.stringify(devices));
  return 'device IN (SELECT value FROM json_each(?))';
}

export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS points (
  measurement TEXT NOT NULL,
  series      TEXT NOT NULL,  -- canonical sorted tag set (validate-point.ts seriesKey)
  device      TEXT NOT NULL,  -- the device tag, '' when absent: indexed for per-device queries
  time        INTEGER NOT NULL, -- epoch ms
  tags        TEXT NOT NULL,  -- JSON object
  fields      TEXT NOT NULL,  -- JSON object; JSON keeps 3 and 3.5 apart, and booleans
  UNIQUE (measurement, series, time)
);
CREATE INDEX IF NOT EXISTS points_measurement_device_time ON points (measurement, device, time);
CREATE INDEX IF NOT EXISTS points_measurement_time ON points (measurement, time);
-- hourly rollups (the long retention), same shape as points
CREATE TABLE IF NOT EXISTS points_long (
  measurement TEXT NOT NULL,
  series      TEXT NOT NULL,
  device      TEXT NOT NULL,
  time        INTEGER NOT NULL,
  tags        TEXT NOT NULL,
  fields      TEXT NOT NULL,
  UNIQUE (measurement, series, time)
);
CREATE INDEX IF NOT EXISTS points_long_measurement_time ON points_long (measurement, time);
`;

/** The table of a retention: a fixed name, never taken from input. */
export function tableOf(retention: 'raw' | 'long' | undefined): 'points' | 'points_long' {
  return retention === 'long' ? 'points_long' : 'points';
}

/** InfluxDB merges the fields of a point written again with the same identity; so do we. */
export const UPSERT_SQL = `
INSERT INTO points (measurement, series, device, time, tags, fields) VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (measurement, series, time) DO UPDATE SET fields = json_patch(points.fields, excluded.fields)
`;

export const UPSERT_LONG_SQL = UPSERT_SQL.replace('INTO points ', 'INTO points_long ').replace('json_patch(points.fields', 'json_patch(points_long.fields');
