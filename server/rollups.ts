/**
 * Hourly rollups of `device_status` (DESIGN.md: long-term rollups in a second retention policy,
 * so reports over a year do not scan raw points). For every inventory device and every whole
 * hour, one `device_status_hourly` point in the long retention with up_s, down_s, unknown_s and
 * maintenance_s (adding up to 3600), computed with the same uptime definition as the API.
 *
 * A croner job runs at minute 5 of every hour (UTC). Each run recomputes the hours from the last
 * rollup (at most `backfillHours` back) up to the last whole hour, and always the last
 * `recomputeHours` hours again: points spooled while the store was down arrive late, and writing
 * a rollup again replaces it (same identity), so recomputing is safe.
 */
import type { Device } from '../core/device.js';
import { silentLogger, type Logger } from '../core/log.js';
import type { MetricStore } from './store/metric-store.js';
import type { Point } from '../core/point.js';
import { merge, type Span } from './analytics/intervals.js';
import { scheduleCron, type CronSpec } from './maintenance/cron.js';
import { HOUR_MS, ROLLUP_MEASUREMENT } from './status/device-uptimes.js';
import { groupRollupPoints } from './status/group-rollups.js';
import { deviceUptime, forEachTimeline, DEFAULT_INTERVALS, type DefaultIntervals } from './status/index.js';

export interface RollupOptions {
  store: MetricStore;
  devices: () => readonly Device[];
  now?: () => number;
  intervals?: DefaultIntervals;
  log?: Logger;
  /** how far back the first run fills in missing hours; default 48 */
  backfillHours?: number;
  /** hours recomputed on every run (late data); default 2 */
  recomputeHours?: number;
  /** five-field cron expression (UTC); default minute 5 of every hour */
  schedule?: string;
  /** maintenance windows per device (server/maintenance), rolled up as maintenance_s */
  maintenance?: MaintenanceSpans | undefined;
  /**
   * Where the hours are computed: default computeRollups in this thread; the service passes its
   * heavy-reads workers (server/heavy/), so an hour of raw samples is not read on the API's thread.
   */
  compute?: ComputeRollups | undefined;
}

/** computeRollups of some devices' whole hours [from, to), with the job's intervals and maintenance. */
export type ComputeRollups = (devices: readonly Device[], from: number, to: number) => Promise<Point[]>;

type MaintenanceSpans = (device: Device, from: number, to: number) => { start: number; end: number }[];

export interface RollupRun {
  from: number;
  to: number;
  hours: number;
  points: number;
}

/**
 * Rollup points for the whole hours in [from, to) (both hour-aligned), read in one pass. Each
 * hour's timeline comes from server/status like the raw computation's, led by the last sample
 * before the hour, so a down state restated every interval carries into the next hour and the
 * hours add up to the raw figures of the same span.
 */
export async function computeRollups(store: MetricStore, devices: readonly Device[], from: number, to: number, intervals: DefaultIntervals = DEFAULT_INTERVALS, maintenance?: MaintenanceSpans): Promise<Point[]> {
  const points: Point[] = [];
  // now = the batch's end: only hours that are over are rolled up
  await forEachTimeline(store, { devices, from, to, now: to, intervals, maintenance, chunkMs: to - from, stepMs: HOUR_MS }, (d, input) => {
    const r = deviceUptime(input);
    const up_s = Math.round(r.up_ms / 1000), down_s = Math.round(r.down_ms / 1000), maintenance_s = Math.round(r.maintenance_ms / 1000);
    points.push({
      measurement: ROLLUP_MEASUREMENT,
      tags: { device: d.id, site: d.site, area: d.area, tech: d.tech },
      fields: { up_s, down_s, maintenance_s, unknown_s: 3600 - up_s - down_s - maintenance_s },
      time: input.from,
    });
  });
  return points;
}

/** Compute and write the rollups of [from, to) (rounded out to whole hours), a day at a time. */
export async function rollupRange(store: MetricStore, devices: readonly Device[], from: number, to: number, intervals?: DefaultIntervals, maintenance?: MaintenanceSpans, compute?: ComputeRollups): Promise<RollupRun> {
  const start = Math.floor(from / HOUR_MS) * HOUR_MS;
  const end = Math.floor(to / HOUR_MS) * HOUR_MS;
  let points = 0;
  for (let h = start; h < end; h += 24 * HOUR_MS) {
    const batch = compute ? await compute(devices, h, Math.min(end, h + 24 * HOUR_MS)) : await computeRollups(store, devices, h, Math.min(end, h + 24 * HOUR_MS), intervals, maintenance);
    // each hour's device rows and its group rows (server/status/group-rollups.ts) in one request,
    // so that a failed write cannot leave an hour's group rows out of step with its device rows
    for (const slice of hourSlices([...batch, ...groupRollupPoints(batch)], 5000)) await store.writeRollups(slice);
    await dropRowsUnderOldTags(store, devices, h, Math.min(end, h + 24 * HOUR_MS));
    points += batch.length;
  }
  if (points > 0) for (const listener of written.get(store) ?? []) listener(devices, start, end);
  return { from: start, to: Math.max(start, end), hours: Math.max(0, (end - start) / HOUR_MS), points };
}

/** Points in slices of whole hours (by time), each at least `min` points but the last. */
function hourSlices(points: readonly Point[], min: number): Point[][] {
  const byHour = new Map<number, Point[]>();
  for (const p of points) {
    const list = byHour.get(p.time);
    if (list) list.push(p); else byHour.set(p.time, [p]);
  }
  const slices: Point[][] = [];
  let current: Point[] = [];
  for (const time of [...byHour.keys()].sort((a, b) => a - b)) {
    for (const p of byHour.get(time)!) current.push(p);
    if (current.length >= min) { slices.push(current); current = []; }
  }
  if (current.length > 0) slices.push(current);
  return slices;
}

/**
 * A row's identity is its hour and its series: device, site, area and technology. A device that
 * moved (another area, site or technology in the inventory) since an hour was rolled gets that
 * hour's new row under its new tags, a second series, and the old row would stay beside it: the
 * device's hour would count twice in every per-device sum (an hour of 7200 s, unknown time below
 * zero). So after the rows of [from, to) are written, the same devices' rows under other tags in
 * that range are deleted. Written first, deleted after: a reader in between may see the hour
 * twice for an instant, never lose it; a crash in between leaves the old row until the hour is
 * rolled again (the job rolls the last hours again on every run).
 */
async function dropRowsUnderOldTags(store: MetricStore, devices: readonly Device[], from: number, to: number): Promise<void> {
  const byId = new Map(devices.map((d) => [d.id, d]));
  const held = await store.queryAggregate({
    measurement: ROLLUP_MEASUREMENT, retention: 'long', field: 'up_s', fn: 'count', from, to, groupBy: ['device', 'site', 'area', 'tech'],
  });
  for (const row of held) {
    const d = byId.get(row.tags['device'] ?? '');
    if (!d) continue;
    // '' on both sides for a tag the device lacks (stored tags drop empty values)
    const same = row.tags['site'] === d.site && row.tags['area'] === d.area && row.tags['tech'] === d.tech;
    if (same) continue;
    await store.deleteSeries({ measurement: ROLLUP_MEASUREMENT, retention: 'long', from, to, tags: { device: d.id, site: row.tags['site'] ?? '', area: row.tags['area'] ?? '', tech: row.tags['tech'] ?? '' } });
  }
}

type RollupListener = (devices: readonly Device[], from: number, to: number) => void;
const written = new WeakMap<MetricStore, Set<RollupListener>>();

/**
 * Be told when rollups of some devices' hours [from, to) were written to `store` (by the job or a
 * recomputation after a maintenance change): the live state (server/status/live-state.ts) keeps
 * the rollups of the last day in memory and reads those hours again. Returns the unsubscribe.
 */
export function onRollupsWritten(store: MetricStore, listener: RollupListener): () => void {
  const set = written.get(store) ?? new Set<RollupListener>();
  written.set(store, set);
  set.add(listener);
  return () => { set.delete(listener); };
}

/**
 * Rollup writes per store, one at a time: the job and a recomputation after a maintenance change
 * may cover the same hour, and the one that read the maintenance windows last must write last,
 * or an hour computed with the old windows could overwrite the recomputed one.
 */
const writing = new WeakMap<MetricStore, Promise<unknown>>();

function serialized<T>(store: MetricStore, fn: () => Promise<T>): Promise<T> {
  const run = (writing.get(store) ?? Promise.resolve()).catch(() => undefined).then(fn);
  writing.set(store, run);
  return run;
}

/** The whole hours in [from, to) that hold rollups (any device), merged into spans. */
export async function rolledHours(store: MetricStore, from: number, to: number): Promise<Span[]> {
  if (to <= from) return [];
  const rows = await store.queryAggregate({ measurement: ROLLUP_MEASUREMENT, retention: 'long', field: 'up_s', fn: 'count', from, to, stepMs: HOUR_MS });
  return merge(rows.filter((r) => (r.value ?? 0) > 0).map((r) => ({ start: r.time, end: r.time + HOUR_MS })));
}

/**
 * Recompute the rollups of some hours (spans rounded out to whole hours) for some devices, e.g.
 * after a maintenance window was added or removed. Serialized with the job's writes.
 */
export function recomputeRollups(store: MetricStore, devices: readonly Device[], spans: readonly Span[], intervals?: DefaultIntervals, maintenance?: MaintenanceSpans): Promise<RollupRun[]> {
  const hours = merge(spans.map((s) => ({ start: Math.floor(s.start / HOUR_MS) * HOUR_MS, end: Math.ceil(s.end / HOUR_MS) * HOUR_MS })));
  return serialized(store, async () => {
    const runs: RollupRun[] = [];
    for (const h of hours) runs.push(await rollupRange(store, devices, h.start, h.end, intervals, maintenance));
    return runs;
  });
}

/** The start of the newest rolled-up hour within the last `hours`, or undefined. */
async function newestRollup(store: MetricStore, now: number, hours: number): Promise<number | undefined> {
  const rows = await store.queryAggregate({
    measurement: ROLLUP_MEASUREMENT, retention: 'long', field: 'up_s', fn: 'count', from: now - hours * HOUR_MS, to: now, stepMs: HOUR_MS,
  });
  return rows.length > 0 ? rows[rows.length - 1]!.time : undefined;
}

export class RollupJob {
  private task: CronSpec | undefined;
  private running: Promise<RollupRun> | undefined;
  private readonly log: Logger;
  private readonly now: () => number;

  constructor(private readonly opts: RollupOptions) {
    this.log = (opts.log ?? silentLogger).child({ component: 'rollups' });
    this.now = opts.now ?? Date.now;
  }

  /** Catch up now: from the newest rollup (or backfillHours ago) to the last whole hour. One run at a time. */
  runOnce(): Promise<RollupRun> {
    this.running ??= this.run().finally(() => { this.running = undefined; });
    return this.running;
  }

  private async run(): Promise<RollupRun> {
    const now = this.now();
    const backfill = this.opts.backfillHours ?? 48;
    const lastWhole = Math.floor(now / HOUR_MS) * HOUR_MS;
    const newest = await newestRollup(this.opts.store, now, backfill);
    const recomputeFrom = lastWhole - (this.opts.recomputeHours ?? 2) * HOUR_MS;
    const from = Math.min(newest !== undefined ? newest + HOUR_MS : lastWhole - backfill * HOUR_MS, recomputeFrom);
    const started = Date.now();
    const run = await serialized(this.opts.store, () => rollupRange(this.opts.store, this.opts.devices(), from, lastWhole, this.opts.intervals, this.opts.maintenance, this.opts.compute));
    this.log.info({ from: new Date(run.from).toISOString(), to: new Date(run.to).toISOString(), hours: run.hours, points: run.points, ms: Date.now() - started }, 'hourly rollups written');
    return run;
  }

  /** Schedule the hourly run (and one run now, to catch up after a restart). */
  start(): void {
    if (this.task) return;
    this.task = scheduleCron(this.opts.schedule ?? '5 * * * *', () => this.runOnce(), (err) => this.log.warn({ err: err.message }, 'rollup run failed; the next run catches up'));
    this.runOnce().catch((err: Error) => this.log.warn({ err: err.message }, 'rollup run failed; the next run catches up'));
  }

  async stop(): Promise<void> {
    this.task?.stop();
    this.task = undefined;
    await this.running?.catch(() => undefined);
  }
}
