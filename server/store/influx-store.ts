import { silentLogger, type Logger } from '../../core/log.js';
import type { FieldValue, Point } from '../../core/point.js';
import type { AggregateQuery, AggregateRow, MetricStore, Retention, SeriesDeletion, SeriesQuery, SeriesRow, StatusQuery, StoreHealth, TagSetQuery } from './metric-store.js';
import type { StatusSample } from '../../core/status-sample.js';
import { encodePoints, decodeTagValue } from './line-protocol.js';
import {
  anyOf, durationMs, qualifiedMeasurement, quoteIdent, tagConditions, timeRange, msLiteral,
} from './influxql.js';
import { InfluxHttp, type InfluxSeries } from './influx-http.js';
import { ensureDatabase, parseDurationMs } from './influx-admin.js';
import { compareRows, compareTagValues, distinctTagSets, statusSampleFrom, latestPerDevice, sortSamples } from './result-order.js';
import { redactUrl, splitCredentials } from '../../core/redact.js';

/**
 * The production store: InfluxDB 1.x. Raw points go to the `raw` retention policy (the database's
 * DEFAULT); `long` holds hourly rollups. Aggregation runs in InfluxQL, never in Node.
 * This module (with influx-admin.ts) is the only user of the `influx` package.
 */
export interface InfluxStoreOptions {
  url: string;
  database?: string;
  username?: string;
  password?: string;
  /** InfluxQL duration of the raw retention policy; default 90d */
  rawRetention?: string;
  /** InfluxQL duration of the `long` (rollup) retention policy; default 1825d */
  longRetention?: string;
  /** per HTTP request; default 10 000 */
  timeoutMs?: number;
  logger?: Logger;
}

export const RAW_RP = 'raw';
export const LONG_RP = 'long';
const STATUS = 'device_status';

export class InfluxStore implements MetricStore {
  readonly kind = 'influxdb' as const;
  readonly database: string;
  private readonly http: InfluxHttp;
  private readonly log: Logger;
  private readonly rawRetention: string;
  private readonly longRetention: string;
  private readonly timeoutMs: number;

  constructor(private readonly opts: InfluxStoreOptions) {
    this.database = opts.database ?? 'netatlas';
    this.rawRetention = opts.rawRetention ?? '90d';
    this.longRetention = opts.longRetention ?? '1825d';
    parseDurationMs(this.rawRetention); // fail at construction, before any network call
    parseDurationMs(this.longRetention);
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.log = (opts.logger ?? silentLogger).child({ component: 'influx-store' });
    // credentials in the URL become the Authorization header: never part of a URL we fetch or log
    this.conn = splitCredentials(opts.url, opts.username, opts.password);
    this.http = new InfluxHttp({ ...this.conn, timeoutMs: this.timeoutMs });
  }

  private readonly conn: { url: string; username?: string; password?: string };

  async init(): Promise<void> {
    await ensureDatabase({
      url: this.conn.url, database: this.database, username: this.conn.username, password: this.conn.password,
      timeoutMs: this.timeoutMs,
      retentionPolicies: [
        { name: RAW_RP, duration: this.rawRetention, isDefault: true },
        { name: LONG_RP, duration: this.longRetention, isDefault: false },
      ],
    }, this.log);
  }

  async write(points: readonly Point[]): Promise<void> {
    if (points.length === 0) return;
    const body = encodePoints(points); // throws StoreRejectedError before sending anything
    await this.http.write(this.database, RAW_RP, body);
  }

  async writeRollups(points: readonly Point[]): Promise<void> {
    if (points.length === 0) return;
    await this.http.write(this.database, LONG_RP, encodePoints(points));
  }

  async querySeries(q: SeriesQuery): Promise<SeriesRow[]> {
    const select = q.fields && q.fields.length > 0 ? q.fields.map(quoteIdent).join(', ') : '*';
    const where = [timeRange(q.from, q.to), ...tagConditions(q.where)].join(' AND ');
    // GROUP BY * puts tags in each series' `tags` (so fields and tags never mix); LIMIT then
    // applies per series, and the first `limit` rows overall are among the first `limit` of each.
    let sql = `SELECT ${select} FROM ${qualifiedMeasurement(rpOf(q.retention), q.measurement)} WHERE ${where} GROUP BY *`;
    if (q.limit !== undefined) sql += ` LIMIT ${limitOf(q.limit)}`;
    const rows = seriesRows(await this.http.query(this.database, sql));
    rows.sort(compareRows);
    return q.limit !== undefined ? rows.slice(0, q.limit) : rows;
  }

  async queryAggregate(q: AggregateQuery): Promise<AggregateRow[]> {
    const where = [timeRange(q.from, q.to), ...tagConditions(q.where)].join(' AND ');
    const groups: string[] = [];
    if (q.stepMs !== undefined) groups.push(`time(${durationMs(q.stepMs)})`);
    const groupBy = q.groupBy ?? [];
    for (const tag of groupBy) groups.push(quoteIdent(tag));
    let sql = `SELECT ${q.fn}(${quoteIdent(q.field)}) FROM ${qualifiedMeasurement(rpOf(q.retention), q.measurement)} WHERE ${where}`;
    if (groups.length > 0) sql += ` GROUP BY ${groups.join(', ')}`;
    sql += ' fill(none)';
    const out: AggregateRow[] = [];
    for (const s of await this.http.query(this.database, sql)) {
      const tags: Record<string, string> = {};
      for (const tag of groupBy) tags[tag] = decodeTagValue(s.tags?.[tag] ?? '');
      const timeIdx = s.columns.indexOf('time');
      const valueIdx = s.columns.indexOf(q.fn);
      for (const v of s.values ?? []) {
        const value = v[valueIdx];
        if (value === null || value === undefined) continue;
        out.push({ time: q.stepMs !== undefined ? Number(v[timeIdx]) : q.from, tags, value: Number(value) });
      }
    }
    return out.sort((a, b) => a.time - b.time || compareTagValues(a.tags, b.tags, groupBy));
  }

  async tagSets(q: TagSetQuery): Promise<Record<string, string>[]> {
    // the index, not the data: SHOW SERIES lists the series of the shards overlapping the range
    // (a superset of those with points in it), without reading a point
    const sql = `SHOW SERIES FROM ${qualifiedMeasurement(rpOf(q.retention), q.measurement)} WHERE ${timeRange(q.from, q.to)}`;
    const keys = (await this.http.query(this.database, sql)).flatMap((s) => (s.values ?? []).map((v) => String(v[0])));
    return distinctTagSets(keys.map(seriesKeyTags), q.keys);
  }

  async deleteSeries(q: SeriesDeletion): Promise<void> {
    // DELETE names no retention policy (it deletes from all of them): each measurement lives in
    // one here (rollups in `long`, the rest in `raw`)
    const where = [...tagConditions(q.tags), timeRange(q.from, q.to)].join(' AND ');
    await this.http.query(this.database, `DELETE FROM ${quoteIdent(q.measurement)} WHERE ${where}`);
  }

  async statusSamples(q: StatusQuery): Promise<StatusSample[]> {
    if (q.devices !== undefined && q.devices.length === 0) return [];
    const devices = anyOf('device', q.devices);
    const from = qualifiedMeasurement(RAW_RP, STATUS);
    const inRange = [timeRange(q.from, q.to), devices].filter((c): c is string => c !== null).join(' AND ');
    const samples = seriesRows(await this.http.query(this.database, `SELECT "up", "unreadable", "reason", "rtt_ms" FROM ${from} WHERE ${inRange} GROUP BY *`))
      .map(statusSampleFrom).filter((s): s is StatusSample => s !== null);
    if (q.includePrevious ?? true) {
      const before = [`time < ${msLiteral(q.from)}`, devices].filter((c): c is string => c !== null).join(' AND ');
      const previous = seriesRows(await this.http.query(this.database,
        `SELECT "up", "unreadable", "reason", "rtt_ms" FROM ${from} WHERE ${before} GROUP BY * ORDER BY time DESC LIMIT 1`))
        .map(statusSampleFrom).filter((s): s is StatusSample => s !== null);
      samples.push(...latestPerDevice(previous));
    }
    return sortSamples(samples);
  }

  async latestStatus(devices?: readonly string[]): Promise<StatusSample[]> {
    if (devices !== undefined && devices.length === 0) return [];
    const cond = anyOf('device', devices);
    const sql = `SELECT "up", "unreadable", "reason", "rtt_ms" FROM ${qualifiedMeasurement(RAW_RP, STATUS)}${cond ? ` WHERE ${cond}` : ''} GROUP BY * ORDER BY time DESC LIMIT 1`;
    const samples = seriesRows(await this.http.query(this.database, sql))
      .map(statusSampleFrom).filter((s): s is StatusSample => s !== null);
    return latestPerDevice(samples);
  }

  async health(): Promise<StoreHealth> {
    try {
      const version = await this.http.ping();
      const dbs = await this.http.query(undefined, 'SHOW DATABASES');
      const names = dbs.flatMap((s) => (s.values ?? []).map((v) => v[0]));
      if (!names.includes(this.database)) {
        return { ok: false, kind: this.kind, detail: `InfluxDB ${version} at ${redactUrl(this.opts.url)}: database ${this.database} does not exist` };
      }
      return { ok: true, kind: this.kind, detail: `InfluxDB ${version} at ${redactUrl(this.opts.url)}, database ${this.database}` };
    } catch (err) {
      return { ok: false, kind: this.kind, detail: (err as Error).message };
    }
  }

  async close(): Promise<void> {
    // Stateless HTTP: nothing to release.
  }
}

function rpOf(retention: Retention | undefined): string {
  return retention === 'long' ? LONG_RP : RAW_RP;
}

function limitOf(limit: number): number {
  if (!Number.isSafeInteger(limit) || limit < 0) throw new RangeError(`limit must be a non-negative integer, got ${String(limit)}`);
  return limit;
}

/**
 * The tags of a series key as SHOW SERIES prints it (`m,k1=v1,k2=v2`, line-protocol escaping):
 * stored tag values are percent-encoded (line-protocol.ts), so a backslash is always an escape.
 */
function seriesKeyTags(key: string): Record<string, string> {
  const parts = key.match(/(?:\\.|[^,])+/g) ?? [];
  const tags: Record<string, string> = {};
  for (const part of parts.slice(1)) {
    const m = /^((?:\\.|[^=])+)=(.*)$/.exec(part);
    if (m) tags[m[1]!.replace(/\\(.)/g, '$1')] = decodeTagValue(m[2]!.replace(/\\(.)/g, '$1'));
  }
  return tags;
}

/** Flatten GROUP BY * series into rows; null columns (fields the point lacks) are omitted. */
function seriesRows(series: InfluxSeries[]): SeriesRow[] {
  const rows: SeriesRow[] = [];
  for (const s of series) {
    const tags: Record<string, string> = {};
    for (const [k, v] of Object.entries(s.tags ?? {})) if (v !== '') tags[k] = decodeTagValue(v);
    const timeIdx = s.columns.indexOf('time');
    for (const values of s.values ?? []) {
      const fields: Record<string, FieldValue> = {};
      s.columns.forEach((col, i) => {
        const v = values[i];
        if (i !== timeIdx && v !== null && v !== undefined) fields[col] = v as FieldValue;
      });
      if (Object.keys(fields).length === 0) continue;
      rows.push({ time: Number(values[timeIdx]), tags: { ...tags }, fields });
    }
  }
  return rows;
}
