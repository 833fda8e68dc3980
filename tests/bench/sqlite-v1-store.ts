/**
 * The embedded store's FIRST layout (one row per point: measurement, series key, device, tags JSON,
 * fields JSON; two secondary indexes), kept here only as the baseline of sqlite-size.bench.ts and
 * to write old-layout files for the conversion test. Copied from server/store/sqlite-store.ts and
 * sqlite-sql.ts as they were before the compact layout, trimmed to the methods the benchmark
 * times (write, queryAggregate, statusSamples, latestStatus). Never shipped.
 */
import Database from 'better-sqlite3';
import type { Point, FieldValue } from '../../core/point.js';
import type { AggregateQuery, AggregateRow, SeriesRow, StatusQuery } from '../../server/store/metric-store.js';
import type { StatusSample } from '../../core/status-sample.js';
import { seriesKey, storedTags } from '../../core/point.js';
import { validatePoint } from '../../server/store/validate-point.js';
import { compareTagValues, latestPerDevice, sortSamples, statusSampleFrom } from '../../server/store/result-order.js';

type SqlParam = string | number;
const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

function jsonGet(column: 'tags' | 'fields', key: string, params: SqlParam[]): string {
  params.push(PLAIN_KEY.test(key) ? `$.${key}` : key);
  return PLAIN_KEY.test(key) ? `json_extract(${column}, ?)` : `(SELECT je.value FROM json_each(${column}) AS je WHERE je.key = ?)`;
}

function tagConditions(where: Readonly<Record<string, string>> | undefined, params: SqlParam[]): string[] {
  if (!where) return [];
  return Object.keys(where).sort().map((k) => {
    if (k === 'device') { params.push(where[k] ?? ''); return 'device = ?'; }
    const expr = jsonGet('tags', k, params);
    params.push(where[k] ?? '');
    return `COALESCE(${expr}, '') = ?`;
  });
}

function deviceIn(devices: readonly string[], params: SqlParam[]): string {
  params.push(JSON.stringify(devices));
  return 'device IN (SELECT value FROM json_each(?))';
}

export const V1_SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS points (
  measurement TEXT NOT NULL, series TEXT NOT NULL, device TEXT NOT NULL, time INTEGER NOT NULL,
  tags TEXT NOT NULL, fields TEXT NOT NULL, UNIQUE (measurement, series, time)
);
CREATE INDEX IF NOT EXISTS points_measurement_device_time ON points (measurement, device, time);
CREATE INDEX IF NOT EXISTS points_measurement_time ON points (measurement, time);
CREATE TABLE IF NOT EXISTS points_long (
  measurement TEXT NOT NULL, series TEXT NOT NULL, device TEXT NOT NULL, time INTEGER NOT NULL,
  tags TEXT NOT NULL, fields TEXT NOT NULL, UNIQUE (measurement, series, time)
);
CREATE INDEX IF NOT EXISTS points_long_measurement_time ON points_long (measurement, time);
`;

const UPSERT_SQL = `
INSERT INTO points (measurement, series, device, time, tags, fields) VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (measurement, series, time) DO UPDATE SET fields = json_patch(points.fields, excluded.fields)
`;

type Row = { time: number; tags: string; fields: string };
const STATUS = 'device_status';

export class SqliteV1Store {
  private readonly db: Database.Database;

  constructor(readonly file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(V1_SCHEMA_SQL);
  }

  write(points: readonly Point[], table: 'points' | 'points_long' = 'points'): void {
    const rows = points.map((p) => {
      validatePoint(p);
      const tags = storedTags(p.tags);
      return [p.measurement, seriesKey(tags), tags['device'] ?? '', p.time, JSON.stringify(tags), JSON.stringify(p.fields)] as const;
    });
    const upsert = this.db.prepare(table === 'points' ? UPSERT_SQL : UPSERT_SQL.replace('INTO points ', 'INTO points_long ').replace('json_patch(points.fields', 'json_patch(points_long.fields'));
    this.db.transaction(() => { for (const r of rows) upsert.run(...r); })();
  }

  queryAggregate(q: AggregateQuery): AggregateRow[] {
    const groupBy = q.groupBy ?? [];
    const inner: SqlParam[] = [];
    const bucket = q.stepMs !== undefined ? '(time - (((time % ?) + ?) % ?))' : '?';
    if (q.stepMs !== undefined) inner.push(q.stepMs, q.stepMs, q.stepMs); else inner.push(q.from);
    const value = jsonGet('fields', q.field, inner);
    const groupCols = groupBy.map((tag, i) => (tag === 'device' ? `device AS g${i}` : `COALESCE(${jsonGet('tags', tag, inner)}, '') AS g${i}`));
    inner.push(q.measurement, q.from, q.to);
    const conds = ['measurement = ?', 'time >= ?', 'time < ?', ...tagConditions(q.where, inner)];
    const g = groupBy.map((_t, i) => `g${i}`);
    const sub = `SELECT ${bucket} AS bucket, time, ${value} AS v${groupCols.map((c) => `, ${c}`).join('')} FROM points WHERE ${conds.join(' AND ')}`;
    const agg = { mean: 'AVG(v)', min: 'MIN(v)', max: 'MAX(v)', sum: 'SUM(v)', count: 'COUNT(v)', last: 'v, MAX(time) AS t' }[q.fn];
    const sql = `SELECT bucket, ${agg.startsWith('v,') ? agg.replace(/^v/, 'v AS value') : `${agg} AS value`}${g.map((c) => `, ${c}`).join('')}`
      + ` FROM (${sub}) WHERE v IS NOT NULL GROUP BY ${['bucket', ...g].join(', ')}`;
    const rows = this.db.prepare(sql).all(...inner) as Record<string, unknown>[];
    const out: AggregateRow[] = rows.map((r) => {
      const tags: Record<string, string> = {};
      groupBy.forEach((tag, i) => { tags[tag] = String(r[`g${i}`] ?? ''); });
      return { time: Number(r['bucket']), tags, value: r['value'] === null ? null : Number(r['value']) };
    });
    return out.sort((a, b) => a.time - b.time || compareTagValues(a.tags, b.tags, groupBy));
  }

  statusSamples(q: StatusQuery): StatusSample[] {
    const params: SqlParam[] = [STATUS, q.from, q.to];
    const conds = ['measurement = ?', 'time >= ?', 'time < ?'];
    if (q.devices) conds.push(deviceIn(q.devices, params));
    const samples = (this.db.prepare(`SELECT time, tags, fields FROM points WHERE ${conds.join(' AND ')}`).all(...params) as Row[])
      .map((r) => statusSampleFrom(toSeriesRow(r))).filter((s): s is StatusSample => s !== null);
    if (q.includePrevious ?? true) samples.push(...this.latestBefore(q.from, q.devices));
    return sortSamples(samples);
  }

  latestStatus(devices?: readonly string[]): StatusSample[] {
    return this.latestBefore(undefined, devices);
  }

  private latestBefore(before: number | undefined, devices: readonly string[] | undefined): StatusSample[] {
    const params: SqlParam[] = [STATUS];
    const conds = ['measurement = ?', "device != ''", "(json_extract(fields, '$.up') IS NOT NULL OR json_extract(fields, '$.unreadable') IS NOT NULL)"];
    if (before !== undefined) { conds.push('time < ?'); params.push(before); }
    if (devices) conds.push(deviceIn(devices, params));
    params.push(STATUS);
    const sql = `SELECT p.time, p.tags, p.fields FROM points p JOIN (SELECT device, MAX(time) AS t FROM points WHERE ${conds.join(' AND ')} GROUP BY device) m`
      + ' ON p.measurement = ? AND p.device = m.device AND p.time = m.t';
    const samples = (this.db.prepare(sql).all(...params) as Row[])
      .map((r) => statusSampleFrom(toSeriesRow(r))).filter((s): s is StatusSample => s !== null);
    return latestPerDevice(samples);
  }

  close(): void {
    this.db.close();
  }
}

function toSeriesRow(r: Row): SeriesRow {
  return { time: r.time, tags: JSON.parse(r.tags) as Record<string, string>, fields: JSON.parse(r.fields) as Record<string, FieldValue> };
}
