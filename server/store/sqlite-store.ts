import path from 'node:path';
import type Database from 'better-sqlite3';
import { silentLogger, type Logger } from '../../core/log.js';
import { type AggregateQuery, type AggregateRow, type MetricStore, type SeriesDeletion, type SeriesQuery, type SeriesRow, type StatusQuery, type StoreHealth, type TagSetQuery } from './metric-store.js';
import { StoreRejectedError, StoreUnavailableError } from '../../core/point-writer.js';
import { type StatusSample } from '../../core/status-sample.js';
import { seriesKey, storedTags, type Point } from '../../core/point.js';
import { validatePoint } from './validate-point.js';
import { SCHEMA_SQL, pageSql, tableOf, upsertSql, type PointsTable } from './sqlite-sql.js';
import { anyPointSql, latestOf, latestSql, scanSeries, type OnRow } from './sqlite-read.js';
import { compareRows, distinctTagSets, latestPerDevice, sortSamples, statusSampleFrom } from './result-order.js';
import { decodeField, decodeFields, encodeFields, mergeBlobs } from './field-codec.js';
import { Catalog, type SeriesInfo } from './sqlite-catalog.js';
import { Aggregator } from './sqlite-aggregate.js';
import { checkLayout, migrateOldLayout } from './sqlite-migrate.js';
import { Expiry, retentionMs } from './sqlite-expiry.js';
import { openSqlite } from './sqlite-open.js';

/**
 * The embedded store (SQLite through better-sqlite3 12): the default when no InfluxDB is
 * configured, so netatlas runs on a machine with no database server. Same behaviour as the
 * InfluxDB store for everything in metric-store.ts.
 *
 * Layout (sqlite-sql.ts): series in their own table, points keyed by (series, time) with their
 * fields encoded compactly (field-codec.ts): tens of bytes a point instead of hundreds. Tag
 * filters and grouping are resolved on the in-memory series catalogue; aggregation runs in JS
 * over the selected series' rows. Raw points older than the raw retention and rollups older than
 * the long retention are deleted (sqlite-expiry.ts), as InfluxDB's retention policies do.
 * A database file of the old layout (one JSON row per point) is converted at init.
 */
export interface SqliteStoreOptions {
  /** database file; wins over dataDir */
  path?: string;
  /** `<dataDir>/metrics.sqlite` */
  dataDir?: string;
  /** how long a writer waits for a lock held by another connection; default 5000 */
  busyTimeoutMs?: number;
  /**
   * Raw retention, an InfluxDB duration literal as store.influx.rawRetention (`90d`; `INF` keeps
   * everything). Default INF here, so a store built directly (tests, tools) keeps old points;
   * createStore() — what the service uses — passes 90d, InfluxDB's default.
   */
  rawRetention?: string;
  /** rollup retention, as store.influx.longRetention; default INF here, 1825d from createStore() */
  longRetention?: string;
  /** clock for expiry (tests); default Date.now */
  now?: () => number;
  logger?: Logger;
}

const STATUS = 'device_status';

export class SqliteStore implements MetricStore {
  readonly kind = 'sqlite' as const;
  readonly file: string;
  /** 0 = kept forever */
  readonly rawRetentionMs: number;
  readonly longRetentionMs: number;
  private db: Database.Database | null = null;
  private catalog: Catalog | null = null;
  private expiry: Expiry | null = null;
  private readonly log: Logger;
  private readonly busyTimeoutMs: number;
  private readonly now: () => number;
  private readonly statements = new Map<string, Database.Statement>();

  constructor(opts: SqliteStoreOptions) {
    if (opts.path === undefined && opts.dataDir === undefined) throw new Error('SqliteStore: path or dataDir is required');
    this.file = opts.path ?? path.join(opts.dataDir as string, 'metrics.sqlite');
    this.busyTimeoutMs = opts.busyTimeoutMs ?? 5000;
    this.rawRetentionMs = retentionMs(opts.rawRetention ?? 'INF');
    this.longRetentionMs = retentionMs(opts.longRetention ?? 'INF');
    this.now = opts.now ?? Date.now;
    this.log = (opts.logger ?? silentLogger).child({ component: 'sqlite-store' });
  }

  async init(): Promise<void> {
    if (this.db) return;
    let db: Database.Database | undefined;
    try {
      this.guard('init', () => {
        db = openSqlite(this.file, { synchronous: 'NORMAL', busyTimeoutMs: this.busyTimeoutMs });
        checkLayout(db, this.file);
        db.exec(SCHEMA_SQL);
        db.function('merge_fields', { deterministic: true }, (a: unknown, b: unknown) => mergeBlobs(a as Buffer, b as Buffer));
        this.db = db;
        this.catalog = new Catalog(db);
        this.expiry = new Expiry(db, { raw: this.rawRetentionMs, long: this.longRetentionMs }, this.log);
        migrateOldLayout(db, this.file, (points, table) => this.upsert(points, table), this.log);
      });
    } catch (err) {
      this.statements.clear();
      this.db = null;
      db?.close();
      throw err;
    }
    this.log.info({ file: this.file }, 'sqlite store open');
  }

  async write(points: readonly Point[]): Promise<void> {
    this.upsert(points, 'raw_points');
    this.expireIfDue();
  }

  async writeRollups(points: readonly Point[]): Promise<void> {
    this.upsert(points, 'long_points');
  }

  /** Deletes everything the retentions no longer keep, now (write() does it too: a bounded slice every 10 min, or per write while behind). */
  expire(): { raw: number; long: number } {
    return this.guard('expire', () => { this.open(); return (this.expiry as Expiry).run(this.now(), this.cat()); });
  }

  private expireIfDue(): void {
    if (!this.expiry?.due(this.now())) return;
    try {
      this.guard('expire', () => (this.expiry as Expiry).step(this.now(), this.cat()));
    } catch (err) {
      // expiry is housekeeping: the points were written; try again at the next due time
      this.log.warn({ err: (err as Error).message }, 'sqlite expiry failed');
    }
  }

  private upsert(points: readonly Point[], table: PointsTable): void {
    if (points.length === 0) return;
    const rows = points.map((p) => {
      validatePoint(p); // the same refusals as the InfluxDB store, before anything is written
      const tags = storedTags(p.tags);
      return { p, key: seriesKey(tags) };
    });
    this.guard('write', () => {
      const db = this.open();
      const cat = this.cat();
      const upsert = this.prepare(upsertSql(table));
      try {
        db.transaction(() => {
          for (const r of rows) {
            const id = cat.seriesId(r.p.measurement, r.key);
            upsert.run(id, r.p.time, encodeFields(r.p.fields, (name) => cat.fieldId(r.p.measurement, name)));
          }
        }).immediate();
      } catch (err) {
        cat.reset(); // ids allocated in the rolled-back transaction must not survive in memory
        throw err;
      }
    });
  }

  async querySeries(q: SeriesQuery): Promise<SeriesRow[]> {
    if (q.limit !== undefined && (!Number.isSafeInteger(q.limit) || q.limit < 0)) {
      throw new RangeError(`limit must be a non-negative integer, got ${String(q.limit)}`);
    }
    return this.guard('querySeries', () => {
      const cat = this.cat();
      const series = this.cat().matching(q.measurement, q.where);
      let wanted: Set<number> | undefined;
      if (q.fields && q.fields.length > 0) {
        wanted = new Set(q.fields.map((f) => cat.knownFieldId(q.measurement, f)).filter((id): id is number => id !== undefined));
        if (wanted.size === 0) return [];
      }
      if (series.length === 0 || q.limit === 0) return [];
      const out: SeriesRow[] = [];
      // Like InfluxDB, a row holding none of the selected fields is not a result (and not counted by
      // limit). The first `limit` rows overall are among the first `limit` rows of each series.
      for (const s of series) {
        let taken = 0;
        this.scan(tableOf(q.retention), s.id, q.from, q.to, (time, buf, start, end) => {
          const fields = decodeFields(buf, (f) => cat.fieldName(q.measurement, f), wanted, start, end);
          if (wanted && Object.keys(fields).length === 0) return true;
          out.push({ time, tags: { ...s.tags }, fields });
          return q.limit === undefined || ++taken < q.limit;
        });
      }
      out.sort(compareRows);
      return q.limit !== undefined ? out.slice(0, q.limit) : out;
    });
  }

  async queryAggregate(q: AggregateQuery): Promise<AggregateRow[]> {
    if (q.stepMs !== undefined && (!Number.isSafeInteger(q.stepMs) || q.stepMs <= 0)) {
      throw new RangeError(`stepMs must be a positive integer, got ${String(q.stepMs)}`);
    }
    const groupBy = q.groupBy ?? [];
    return this.guard('queryAggregate', () => {
      const series = this.cat().matching(q.measurement, q.where);
      const fid = this.cat().knownFieldId(q.measurement, q.field);
      if (series.length === 0 || fid === undefined) return [];
      const agg = new Aggregator(q.fn, q.stepMs, q.from);
      for (const s of series) {
        // a row's group is its series' group: computed once per series
        const tags: Record<string, string> = {};
        for (const t of groupBy) tags[t] = s.tags[t] ?? '';
        const group = agg.group(JSON.stringify(groupBy.map((t) => tags[t])), tags);
        this.scan(tableOf(q.retention), s.id, q.from, q.to, (time, buf, start, end) => { group.add(time, decodeField(buf, fid, start, end)); return true; });
      }
      return agg.rows(groupBy);
    });
  }

  async tagSets(q: TagSetQuery): Promise<Record<string, string>[]> {
    return this.guard('tagSets', () => {
      const st = this.prepare(anyPointSql(tableOf(q.retention))).pluck();
      const held = this.cat().matching(q.measurement, undefined).filter((s) => st.get(s.id, q.from, q.to) !== undefined);
      return distinctTagSets(held.map((s) => s.tags), q.keys);
    });
  }

  async deleteSeries(q: SeriesDeletion): Promise<void> {
    this.guard('deleteSeries', () => {
      const series = this.cat().matching(q.measurement, q.tags);
      if (series.length === 0) return;
      const del = this.prepare(`DELETE FROM ${tableOf(q.retention)} WHERE series_id = ? AND time >= ? AND time < ?`);
      this.open().transaction(() => { for (const s of series) del.run(s.id, q.from, q.to); }).immediate();
    });
  }

  async statusSamples(q: StatusQuery): Promise<StatusSample[]> {
    if (q.devices !== undefined && q.devices.length === 0) return [];
    return this.guard('statusSamples', () => {
      const series = this.statusSeries(q.devices);
      const samples: StatusSample[] = [];
      for (const s of series) {
        this.scan('raw_points', s.id, q.from, q.to, (time, buf, start, end) => {
          const sample = this.statusSample(s.id, time, buf, start, end);
          if (sample) samples.push(sample);
          return true;
        });
      }
      if (q.includePrevious ?? true) samples.push(...this.latestBefore(q.from, series));
      return sortSamples(samples);
    });
  }

  async latestStatus(devices?: readonly string[]): Promise<StatusSample[]> {
    if (devices !== undefined && devices.length === 0) return [];
    return this.guard('latestStatus', () => this.latestBefore(Number.MAX_SAFE_INTEGER, this.statusSeries(devices)));
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
    this.catalog = null;
    this.expiry = null;
    this.db?.close();
    this.db = null;
  }

  private statusSeries(devices: readonly string[] | undefined): SeriesInfo[] {
    const wanted = devices ? new Set(devices) : undefined;
    return this.cat().matching(STATUS, undefined).filter((s) => s.device !== '' && (!wanted || wanted.has(s.device)));
  }

  private statusSample(id: number, time: number, buf: Buffer, start: number, end: number): StatusSample | null {
    const cat = this.cat();
    const s = cat.series(id) as SeriesInfo;
    return statusSampleFrom({ time, tags: { ...s.tags }, fields: decodeFields(buf, (f) => cat.fieldName(STATUS, f), undefined, start, end) });
  }

  /**
   * Per device, the sample at its newest time before `before`: per series, read backwards from
   * `before` to the first row that is a sample (up, or unreadable), then the newest per device,
   * ties resolved as InfluxStore does (latestPerDevice).
   */
  private latestBefore(before: number, series: readonly SeriesInfo[]): StatusSample[] {
    const st = this.prepare(latestSql());
    const samples: StatusSample[] = [];
    for (const s of series) {
      const sample = latestOf(st, s.id, before, (time, buf) => this.statusSample(s.id, time, buf, 0, buf.length));
      if (sample) samples.push(sample);
    }
    return latestPerDevice(samples);
  }

  private scan(table: PointsTable, seriesId: number, from: number, to: number, onRow: OnRow): void {
    scanSeries(this.prepare(pageSql(table)), seriesId, from, to, onRow);
  }

  private open(): Database.Database {
    if (!this.db) throw new StoreUnavailableError(`SQLite store ${this.file} is not open (call init())`);
    return this.db;
  }

  private cat(): Catalog {
    this.open();
    return this.catalog as Catalog;
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
