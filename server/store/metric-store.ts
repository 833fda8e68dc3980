import type { FieldValue, Point } from '../../core/point.js';
import type { PointWriter } from '../../core/point-writer.js';
import type { StatusSample } from '../../core/status-sample.js';

/**
 * The one storage interface. Two implementations (InfluxDB 1.x, embedded SQLite) pass the same
 * contract suite in tests/contract/, and the analytics must give the same answers on both.
 *
 * Semantics shared by both implementations (InfluxDB's own):
 * - A point is identified by measurement + full tag set + time. Writing the same identity again
 *   replaces its fields (so replaying a spool twice cannot double-count).
 * - Time ranges are half-open: `from <= time < to`, epoch milliseconds.
 * - Results are ordered by time ascending (then by tag values for grouped results).
 */
export interface TimeRange {
  /** epoch ms, inclusive */
  from: number;
  /** epoch ms, exclusive */
  to: number;
}

/**
 * Where points live: `raw` (every point, the raw retention) or `long` (hourly rollups, kept for
 * years: InfluxDB retention policy `long`, SQLite table `long_points`). Default `raw`.
 */
export type Retention = 'raw' | 'long';

export interface SeriesQuery extends TimeRange {
  measurement: string;
  /** default 'raw' */
  retention?: Retention;
  /** tag equality filters, ANDed */
  where?: Readonly<Record<string, string>>;
  /** fields to return; all fields when absent */
  fields?: readonly string[];
  /** newest-last; at most this many rows (the first ones in time order) */
  limit?: number;
}

export interface SeriesRow {
  time: number;
  tags: Record<string, string>;
  fields: Record<string, FieldValue>;
}

export type AggregateFn = 'mean' | 'min' | 'max' | 'sum' | 'count' | 'last';

export interface AggregateQuery extends TimeRange {
  measurement: string;
  /** default 'raw' */
  retention?: Retention;
  field: string;
  fn: AggregateFn;
  where?: Readonly<Record<string, string>>;
  /** bucket width in ms; buckets are aligned to multiples of stepMs since the epoch (InfluxDB's GROUP BY time()). One bucket over the whole range when absent. */
  stepMs?: number;
  /** tag keys to group by */
  groupBy?: readonly string[];
}

export interface AggregateRow {
  /** bucket start (epoch ms); `from` when there is no stepMs */
  time: number;
  /** values of the groupBy tags ('' when a point lacks the tag) */
  tags: Record<string, string>;
  /** null when the bucket holds no point (only buckets with data are returned) */
  value: number | null;
}

export interface TagSetQuery extends TimeRange {
  measurement: string;
  /** default 'raw' */
  retention?: Retention;
  /** the tag keys whose value combinations are listed */
  keys: readonly string[];
}

/** The points of some series in a range (MetricStore.deleteSeries). */
export interface SeriesDeletion extends TimeRange {
  measurement: string;
  /** default 'raw' */
  retention?: Retention;
  /** every series whose tags include these ('' matches a series lacking the tag) */
  tags: Readonly<Record<string, string>>;
}

export interface StatusQuery extends TimeRange {
  /** restrict to these devices; all when absent */
  devices?: readonly string[];
  /**
   * Also return, per device, the last sample before `from` (if any), so that a window starting
   * mid-outage knows the state it starts in. Default true.
   */
  includePrevious?: boolean;
}

export interface StoreHealth {
  ok: boolean;
  kind: 'influxdb' | 'sqlite';
  detail: string;
}

export interface MetricStore extends PointWriter {
  readonly kind: 'influxdb' | 'sqlite';
  /** Create database / retention policies / tables when absent. Idempotent. */
  init(): Promise<void>;
  // write(points): from PointWriter (core/point-writer.ts), the pipeline's view of a store
  /** Persist rollup points into the long retention (same identity and replace semantics as write). */
  writeRollups(points: readonly Point[]): Promise<void>;
  querySeries(q: SeriesQuery): Promise<SeriesRow[]>;
  queryAggregate(q: AggregateQuery): Promise<AggregateRow[]>;
  /**
   * The distinct combinations of the `keys` tags ('' where a series lacks one) among the series of
   * a measurement that hold points in [from, to), sorted by the keys' values in order. Complete,
   * not always exact: every series with a point in the range is listed, but a store may also list
   * series whose points lie only near it (InfluxDB decides per shard, a shard group spans days).
   * What callers may rely on is "no combination with a point in range is missing".
   */
  tagSets(q: TagSetQuery): Promise<Record<string, string>[]>;
  /**
   * Deletes the points of the series `q.tags` names in [from, to). The rollup job's one use: an
   * hour rolled again after a device moved is written under its new tags, a new series, and the
   * row under the old tags must go or the device's hour would count twice (server/rollups.ts).
   */
  deleteSeries(q: SeriesDeletion): Promise<void>;
  /** device_status samples ordered by device, then time */
  statusSamples(q: StatusQuery): Promise<StatusSample[]>;
  /** the latest device_status sample of every device (or of the given ones) */
  latestStatus(devices?: readonly string[]): Promise<StatusSample[]>;
  health(): Promise<StoreHealth>;
  close(): Promise<void>;
}
