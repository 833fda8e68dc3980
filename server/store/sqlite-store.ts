import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { silentLogger, type Logger } from '../log.js';
import type { FieldValue, Point } from './point.js';
import {
  StoreRejectedError, StoreUnavailableError,
  type AggregateQuery, type AggregateRow, type MetricStore, type SeriesQuery, type SeriesRow,
  type StatusQuery, type StatusSample, type StoreHealth,
} from './metric-store.js';
import { seriesKey, storedTags, validatePoint } from './validate-point.js';
import { SCHEMA_SQL, UPSERT_LONG_SQL, UPSERT_SQL, deviceIn, jsonGet, tableOf, tagConditions, type SqlParam } from './sqlite-sql.js';
import { compareRows, compareTagValues, latestPerDevice, sortSamples, statusSampleFrom } from './result-order.js';

/**
 * The embedded store (SQLite through better-sqlite3 12): the default when no InfluxDB is
 * configured, so netatlas runs on a machine with no database server. Same behaviour as the
 * InfluxDB store for everything in metric-store.ts; aggregation runs in SQL.
 *
 * Hourly rollups (InfluxDB's `long` retention policy) live in the table `points_long`.
 * TODO: raw-data expiry is not implemented here yet; raw points are kept until deleted.
 */
export interface SqliteStoreOptions {
  /** database file; wins over dataDir */
  path?: string;
  /** `<dataDir>/metrics.sqlite` */
  dataDir?: string;
  /** how long a writer waits for a lock held by another connection; default 5000 */
  busyTimeoutMs?: number;
  logger?: Logger;
}

type Row = { time: number; tags: string; fields: string };
const STATUS = 'device_status';

export class SqliteStore implements MetricStore {
  readonly kind = 'sqlite' as const;
  readonly file: string;
  private db: Database.Database | null = null;
  private readonly log: Logger;
  private readonly busyTimeoutMs: number;
  private readonly statements = new Map<string, Database.Statement>();

  constructor(opts: SqliteStoreOptions) {
    if (opts.path === undefined && opts.dataDir === undefined) throw new Error('SqliteStore: path or dataDir is required');
    this.file = opts.path ?? path.join(opts.dataDir as string, 'metrics.sqlite');
    this.busyTimeoutMs = opts.busyTimeoutMs ?? 5000;
    this.log = (opts.logger ?? silentLogger).child({ component: 'sqlite-store' });
  }

  async init(): Promise<void> {
    if (this.db) return;
    this.guard('init', () => {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      const db = new Database(this.file);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma(`busy_timeout = ${Math.trunc(this.busyTimeoutMs)}`);
      db.exec(SCHEMA_SQL);
      this.db = db;
    });
    this.log.info({ file: this.file }, 'sqlite store open');
  }

  async write(points: readonly Point[]): Promise<void> {
    this.upsert(points, UPSERT_SQL);
  }

  async writeRollups(points: readonly Point[]): Promise<void> {
    this.upsert(points, UPSERT_LONG_SQL);
  }

  private upsert(points: readonly Point[], upsertSql: string): void {
    if (points.length === 0) return;
    const rows = points.map((p) => {
      validatePoint(p); // the same refusals as the InfluxDB store, before anything is written
      const tags = storedTags(p.tags);
      return [p.measurement, seriesKey(tags), tags['device'] ?? '', p.time, JSON.stringify(tags), JSON.stringify(p.fields)] as const;
    });
    this.guard('write', () => {
      const db = this.open();
      const upsert = this.prepare(upsertSql);
      db.transaction(() => { for (const r of rows) upsert.run(...r); })();
    });
  }

  async querySeries(q: SeriesQuery): Promise<SeriesRow[]> {
    const params: SqlParam[] = [q.measurement, q.from, q.to];
    const conds = ['measurement = ?', 'time >= ?', 'time < ?', ...tagConditions(q.where, params)];
    const wanted = q.fields && q.fields.length > 0 ? q.fields : undefined;
    // Like InfluxDB, a row holding none of the selected fields is not a result (and not counted by limit).
    if (wanted) conds.push(`(${wanted.map((f) => `${jsonGet('fields', f, params)} IS NOT NULL`).join(' OR ')})`);
    let sql = `SELECT time, tags, fields FROM ${tableOf(q.retention)} WHERE ${conds.join(' AND ')} ORDER BY time, series`;
    if (q.limit !== undefined) {
      if (!Number.isSafeInteger(q.limit) || q.limit < 0) throw new RangeError(`limit must be a non-negative integer, got ${String(q.limit)}`);
      sql += ' LIMIT ?';
      params.push(q.limit);
    }
    const rows = this.all<Row>('querySeries', sql, params).map((r) => toSeriesRow(r, wanted));
    return rows.sort(compareRows);
  }

  async queryAggregate(q: AggregateQuery): Promise<AggregateRow[]> {
    const groupBy = q.groupBy ?? [];
    const inner: SqlParam[] = [];
    const bucket = q.stepMs !== undefined ? '(time - (((time % ?) + ?) % ?))' : '?';
    if (q.stepMs !== undefined) {
      if (!Number.isSafeInteger(q.stepMs) || q.stepMs <= 0) throw new RangeError(`stepMs must be a positive integer, got ${String(q.stepMs)}`);
      inner.push(q.stepMs, q.stepMs, q.stepMs);
    } else {
      inner.push(q.from);
    }
    const value = jsonGet('fields', q.field, inner);
    // the device tag has its own column (tags.device or ''): no JSON to parse per row
    const groupCols = groupBy.map((tag, i) => (tag === 'device' ? `device AS g${i}` : `COALESCE(${jsonGet('tags', tag, inner)}, '') AS g${i}`));
    inner.push(q.measurement, q.from, q.to);
    const conds = ['measurement = ?', 'time >= ?', 'time < ?', ...tagConditions(q.where, inner)];
    const g = groupBy.map((_t, i) => `g${i}`);
    const sub = `SELECT ${bucket} AS bucket, time, ${value} AS v${groupCols.map((c) => `, ${c}`).join('')} FROM ${tableOf(q.retention)} WHERE ${conds.join(' AND ')}`;
    // `last`: SQLite gives bare columns the values of the row that holds MAX(time) in the group.
    const agg = { mean: 'AVG(v)', min: 'MIN(v)', max: 'MAX(v)', sum: 'SUM(v)', count: 'COUNT(v)', last: 'v, MAX(time) AS t' }[q.fn];
    const sql = `SELECT bucket, ${agg.startsWith('v,') ? agg.replace(/^v/, 'v AS value') : `${agg} AS value`}${g.map((c) => `, ${c}`).join('')}`
      + ` FROM (${sub}) WHERE v IS NOT NULL GROUP BY ${['bucket', ...g].join(', ')}`;
    const rows = this.all<Record<string, unknown>>('queryAggregate', sql, inner);
    const out: AggregateRow[] = rows.map((r) => {
      const tags: Record<string, string> = {};
      groupBy.forEach((tag, i) => { tags[tag] = String(r[`g${i}`] ?? ''); });
      return { time: Number(r['bucket']), tags, value: r['value'] === null ? null : Number(r['value']) };
    });
    return out.sort((a, b) => a.time - b.time || compareTagValues(a.tags, b.tags, groupBy));
  }

  async statusSamples(q: StatusQuery): Promise<StatusSample[]> {
    if (q.devices !== undefined && q.devices.length === 0) return [];
    const params: SqlParam[] = [STATUS, q.from, q.to];
    const conds = ['measurement = ?', 'time >= ?', 'time < ?'];
    if (q.devices) conds.push(deviceIn(q.devices, params));
    const samples = this.all<Row>('statusSamples', `SELECT time, tags, fields FROM points WHERE ${conds.join(' AND ')}`, params)
      .map((r) => statusSampleFrom(toSeriesRow(r))).filter((s): s is StatusSample => s !== null);
    if (q.includePrevious ?? true) samples.push(...this.latestBefore(q.from, q.devices));
    return sortSamples(samples);
  }

  async latestStatus(devices?: readonly string[]): Promise<StatusSample[]> {
    if (devices !== undefined && devices.length === 0) return [];
    return this.latestBefore(undefined, devices);
  }

  async health(): Promise<StoreHealth> {
    try {
      const db = this.open();
      db.prepare('SELECT 1').get();
      return { ok: true, kind: this.kind, detail: `SQLite ${String(db.prepare('SELECT sqlite_version() AS v').pluck().get())} at ${this.file}` };
    } catch (err) {
      return { ok: false, kind: this.kind, detail: (err as Error).message };
    }
  }

  async close(): Promise<void> {
    this.statements.clear();
    this.db?.close();
    this.db = null;
  }

  /** Per device, the samples at its newest time (before `before` when given); ties resolved as InfluxStore does. */
  private latestBefore(before: number | undefined, devices: readonly string[] | undefined): StatusSample[] {
    const params: SqlParam[] = [STATUS];
    const conds = ['measurement = ?', "device != ''", "(json_extract(fields, '$.up') IS NOT NULL OR json_extract(fields, '$.unreadable') IS NOT NULL)"];
    if (before !== undefined) { conds.push('time < ?'); params.push(before); }
    if (devices) conds.push(deviceIn(devices, params));
    params.push(STATUS);
    const sql = `SELECT p.time, p.tags, p.fields FROM points p JOIN (SELECT device, MAX(time) AS t FROM points WHERE ${conds.join(' AND ')} GROUP BY device) m`
      + ' ON p.measurement = ? AND p.device = m.device AND p.time = m.t';
    const samples = this.all<Row>('latestStatus', sql, params)
      .map((r) => statusSampleFrom(toSeriesRow(r))).filter((s): s is StatusSample => s !== null);
    return latestPerDevice(samples);
  }

  private open(): Database.Database {
    if (!this.db) throw new StoreUnavailableError(`SQLite store ${this.file} is not open (call init())`);
    return this.db;
  }

  private prepare(sql: string): Database.Statement {
    let st = this.statements.get(sql);
    if (!st) {
      st = this.open().prepare(sql);
      if (this.statements.size > 200) this.statements.clear(); // bounded: query shapes vary with filters
      this.statements.set(sql, st);
    }
    return st;
  }

  private all<T>(what: string, sql: string, params: SqlParam[]): T[] {
    return this.guard(what, () => this.prepare(sql).all(...params) as T[]);
  }

  /** SQLite failures (busy, I/O, disk full) are transient from the caller's view: retry later. */
  private guard<T>(what: string, fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      if (err instanceof StoreRejectedError || err instanceof StoreUnavailableError || err instanceof RangeError) throw err;
      throw new StoreUnavailableError(`SQLite ${what} on ${this.file}: ${(err as Error).message}`, { cause: err });
    }
  }
}

function toSeriesRow(r: Row, wanted?: readonly string[]): SeriesRow {
  const all = JSON.parse(r.fields) as Record<string, FieldValue>;
  let fields = all;
  if (wanted) {
    fields = {};
    for (const f of wanted) if (all[f] !== undefined) fields[f] = all[f];
  }
  return { time: r.time, tags: JSON.parse(r.tags) as Record<string, string>, fields };
}
