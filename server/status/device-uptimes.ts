/**
 * Each device's uptime over a window, read the cheap way: the whole hours that the rollup job
 * has summarised come from `device_status_hourly` in the long retention (summed by the store,
 * one row per device), and only the rest of the window (the edges, the hours not rolled up yet)
 * is computed from raw samples. Both parts follow the same definition, and uptime is additive
 * over adjacent windows, so the result equals the raw computation while the rollups are current.
 */
import type { Device } from '../../core/device.js';
import type { MetricStore } from '../store/metric-store.js';
import { clip, subtract, merge, totalMs, type Span } from '../analytics/intervals.js';
import type { UptimeResult } from '../analytics/uptime.js';
import { addUptime, collectorDownFor, rawUptimes, type DefaultIntervals } from './index.js';

export const HOUR_MS = 3_600_000;
export const ROLLUP_MEASUREMENT = 'device_status_hourly';
/** windows at least this long look for rollups; shorter ones read raw samples only */
export const ROLLUP_MIN_WINDOW_MS = 3 * HOUR_MS;

export interface UptimeWindow {
  devices: readonly Device[];
  from: number;
  to: number;
  now: number;
  intervals: DefaultIntervals;
  /** maintenance windows per device (applied to the raw part; rollups carry their own maintenance_s) */
  maintenance?: ((device: Device, from: number, to: number) => Span[]) | undefined;
}

export interface UptimeSources {
  /** ms of the window read from hourly rollups */
  rollup_ms: number;
  /** ms of the window computed from raw samples */
  raw_ms: number;
}

export interface DeviceUptimes {
  byDevice: Map<string, UptimeResult>;
  sources: UptimeSources;
}

/** unknown_s is not read: a device's unknown time is the rolled time minus its up, down and maintenance */
const FIELDS = ['up_s', 'down_s', 'maintenance_s'] as const;
/**
 * The uptime ratio needs only up and down time: the store reads each field of every rolled hour
 * of every device, so leaving maintenance_s out is a third less work for it (coverage).
 */
const RATIO_FIELDS = ['up_s', 'down_s'] as const;

/** A device's known time over a window: enough for uptime ratios (coverage's live weights). */
export interface KnownTime {
  up_ms: number;
  down_ms: number;
  /** up / (up + down); null when neither */
  uptime: number | null;
}

export interface DeviceKnownTimes {
  byDevice: Map<string, KnownTime>;
  sources: UptimeSources;
}

/**
 * Hours known to hold rollups, per store. An hour that has rollups keeps them (the job rewrites
 * them, never deletes them, and they outlive the longest window), so each hour is looked up
 * once: the hour-by-hour count over every series was most of a request's time on InfluxDB
 * (about 360 ms of 7 days × 1000 devices). Only "has rollups" is remembered: an hour without
 * them may get them on the job's next run, so it is asked again.
 */
const knownRolled = new WeakMap<MetricStore, Span[]>();
/** more uncovered spans than this are looked up as one range */
const MAX_LOOKUPS = 4;

/** The whole hours inside [from, min(to, now)) for which rollups exist (any device). */
async function rolledSpans(store: MetricStore, from: number, end: number): Promise<Span[]> {
  const first = Math.ceil(from / HOUR_MS) * HOUR_MS;
  const last = Math.floor(end / HOUR_MS) * HOUR_MS;
  if (last <= first) return [];
  const open = subtract([{ start: first, end: last }], knownRolled.get(store) ?? []);
  // looked up from the first rollup on: a 5-year window on a store holding weeks of rollups would
  // otherwise count 43 800 empty hours (on SQLite a synchronous scan of about a second per request)
  const firstRolled = open.length === 0 ? undefined : (await store.querySeries({
    measurement: ROLLUP_MEASUREMENT, retention: 'long', from: open[0]!.start, to: open[open.length - 1]!.end, fields: ['up_s'], limit: 1,
  }))[0]?.time;
  const toLook = firstRolled === undefined ? [] : clip(open, Math.floor(firstRolled / HOUR_MS) * HOUR_MS, last);
  if (toLook.length > 0) {
    const ranges = toLook.length <= MAX_LOOKUPS ? toLook : [{ start: toLook[0]!.start, end: toLook[toLook.length - 1]!.end }];
    const rows = (await Promise.all(ranges.map((r) => store.queryAggregate({
      measurement: ROLLUP_MEASUREMENT, retention: 'long', field: 'up_s', fn: 'count', from: r.start, to: r.end, stepMs: HOUR_MS,
    })))).flat();
    const found = rows.filter((r) => (r.value ?? 0) > 0).map((r) => ({ start: r.time, end: r.time + HOUR_MS }));
    // read the map again: another request may have added hours while this one waited
    if (found.length > 0) knownRolled.set(store, merge([...(knownRolled.get(store) ?? []), ...found]));
  }
  return clip(knownRolled.get(store) ?? [], first, last);
}

export async function deviceUptimes(store: MetricStore, w: UptimeWindow): Promise<DeviceUptimes> {
  return uptimesReading(store, w, FIELDS);
}

/**
 * Each device's up and down time and uptime over the window, equal to deviceUptimes' (the same
 * rolled hours and raw spans), without reading the rolled hours' maintenance.
 */
export async function deviceKnownTimes(store: MetricStore, w: UptimeWindow): Promise<DeviceKnownTimes> {
  const u = await uptimesReading(store, w, RATIO_FIELDS);
  // maintenance was not read, so only up, down and their ratio are right: nothing else leaves here
  const byDevice = new Map<string, KnownTime>();
  for (const [id, r] of u.byDevice) byDevice.set(id, { up_ms: r.up_ms, down_ms: r.down_ms, uptime: r.uptime });
  return { byDevice, sources: u.sources };
}

/** The end of the counted window: min(to, now), never before from. */
export function countedEnd(w: UptimeWindow): number {
  return Math.max(w.from, Math.min(w.to, w.now));
}

/** The whole hours of the window read from rollups (none for windows under ROLLUP_MIN_WINDOW_MS). */
export async function rolledHoursOf(store: MetricStore, w: UptimeWindow): Promise<Span[]> {
  const end = countedEnd(w);
  return end - w.from >= ROLLUP_MIN_WINDOW_MS ? rolledSpans(store, w.from, end) : [];
}

/**
 * Each device's uptime over the part of the window outside the rolled hours, from raw samples,
 * added span by span to what `byDevice` holds (devices without raw spans: left as they are).
 */
export async function rawPartUptimes(store: MetricStore, w: UptimeWindow, rolled: readonly Span[], byDevice = new Map<string, UptimeResult>()): Promise<Map<string, UptimeResult>> {
  const rawSpans = subtract([{ start: w.from, end: countedEnd(w) }], rolled);
  // read once for every raw span, looked back as far as the devices' longest interval needs
  const collectorDown = rawSpans.length > 0 ? await collectorDownFor(store, w) : new Map<string, Span[]>();
  for (const span of rawSpans) {
    const raw = await rawUptimes(store, { devices: w.devices, from: span.start, to: span.end, now: w.now, intervals: w.intervals, collectorDown, maintenance: w.maintenance });
    for (const [id, r] of raw) byDevice.set(id, addUptime(byDevice.get(id), r));
  }
  return byDevice;
}

/** How much of the window came from rollups and how much from raw samples. */
export function sourcesOf(w: UptimeWindow, rolled: readonly Span[]): UptimeSources {
  return { rollup_ms: totalMs(rolled), raw_ms: Math.max(0, countedEnd(w) - w.from - totalMs(rolled)) };
}

/** deviceUptimes reading these rollup fields; without maintenance_s, its maintenance counts as 0 */
async function uptimesReading(store: MetricStore, w: UptimeWindow, fields: readonly (typeof FIELDS)[number][]): Promise<DeviceUptimes> {
  const end = countedEnd(w);
  const rolled = await rolledHoursOf(store, w);
  const byDevice = new Map<string, UptimeResult>();
  const ids = new Set(w.devices.map((d) => d.id));
  if (rolled.length > 0) {
    // one sum per field over the rolled hours: hours without rollups add nothing to the sums
    const span = { start: rolled[0]!.start, end: rolled[rolled.length - 1]!.end };
    // separate parallel requests: InfluxDB runs the statements of one request one after another
    const sums = await Promise.all(fields.map((field) => store.queryAggregate({
      measurement: ROLLUP_MEASUREMENT, retention: 'long', field, fn: 'sum', from: span.start, to: span.end, groupBy: ['device'],
    })));
    const byField = sums.map((rows) => new Map(rows.map((r) => [r.tags['device'] ?? '', 1000 * (r.value ?? 0)])));
    const counted = totalMs(rolled);
    for (const id of ids) {
      // a device without rollup rows in these hours (added to the inventory later): unknown
      const up = byField[0]!.get(id) ?? 0, down = byField[1]!.get(id) ?? 0, maint = byField[2]?.get(id) ?? 0;
      byDevice.set(id, {
        up_ms: up, down_ms: down, maintenance_ms: maint, unknown_ms: counted - up - down - maint, counted_ms: counted,
        uptime: up + down > 0 ? up / (up + down) : null,
      });
    }
  }
  await rawPartUptimes(store, w, rolled, byDevice);
  for (const d of w.devices) if (!byDevice.has(d.id)) byDevice.set(d.id, { up_ms: 0, down_ms: 0, unknown_ms: end - w.from, maintenance_ms: 0, counted_ms: end - w.from, uptime: null });
  return { byDevice, sources: sourcesOf(w, rolled) };
}
