/**
 * Reads device state from the store: raw `device_status` samples and `collector_status` points,
 * turned into timelines, uptimes and current states by the rules beside this file. The API, the
 * rollup job, scheduled reports, alerts and the status events all read through here.
 */
import type { Device } from '../../core/device.js';
import type { MetricStore, SeriesRow } from '../store/metric-store.js';
import type { StatusSample } from '../../core/status-sample.js';
import type { Span } from '../analytics/intervals.js';
import { assignedGaps, collectorGaps, type CollectorStatusPoint } from './collector-liveness.js';
import { collectorOf, intervalMsOf, maxIntervalMs, type CollectorName, type DefaultIntervals } from './intervals.js';
import { lookbackMs, MAX_HEARTBEAT_S, type DeviceStatus } from './semantics.js';
import { addUptime, deviceTimeline, deviceUptime, type TimelineInput, type UptimeResult } from './timeline.js';
import { deviceIncidents, type Incident } from './incidents.js';

export const DAY_MS = 86_400_000;

/** collector_status points in [from, to), as the liveness rules read them */
export async function collectorStatusPoints(store: MetricStore, from: number, to: number): Promise<CollectorStatusPoint[]> {
  const rows = await store.querySeries({ measurement: 'collector_status', from, to, fields: ['connected', 'heartbeat_s'] });
  const out: CollectorStatusPoint[] = [];
  for (const r of rows) {
    const p = collectorPointFrom(r);
    if (p) out.push(p);
  }
  return out;
}

/** A collector_status row (or point) as the liveness rules read it; null without `connected`. */
export function collectorPointFrom(r: Pick<SeriesRow, 'time' | 'tags' | 'fields'>): CollectorStatusPoint | null {
  const c = r.fields['connected'];
  if (c === undefined) return null;
  const hb = r.fields['heartbeat_s'];
  return {
    time: r.time, collector: r.tags['collector'] ?? '', instance: r.tags['instance'] ?? '',
    connected: c === 1 || c === true, heartbeatS: typeof hb === 'number' ? hb : undefined,
  };
}

/**
 * Per collector name, the spans in [from - lookback, to) when it was not alive; the lookback
 * covers every state that may still hold at `from` (semantics.ts lookbackMs), so the caller must
 * give the longest effective interval of the devices it reads (intervals.ts maxIntervalMs).
 */
export async function collectorDownSpans(store: MetricStore, from: number, to: number, maxIntervalMsOfDevices: number): Promise<Map<string, Span[]>> {
  const start = from - lookbackMs(maxIntervalMsOfDevices, 1000 * MAX_HEARTBEAT_S);
  return collectorGaps(await collectorPointsFor(store, start, to), start, to);
}

/**
 * The collector_status points the liveness rules need for [start, to): those in the range, plus
 * a stand-in for each collector silent over the whole range (silentBefore). The live state
 * (live-state.ts) keeps these points in memory and computes the same gaps from them.
 */
export async function collectorPointsFor(store: MetricStore, start: number, to: number): Promise<CollectorStatusPoint[]> {
  const points = await collectorStatusPoints(store, start, to);
  const present = new Set(points.map((p) => p.collector));
  if (!COLLECTORS.every((c) => present.has(c))) points.push(...await silentBefore(store, start, present));
  return points;
}

const COLLECTORS: readonly CollectorName[] = ['snmp', 'mqtt'];

/**
 * A collector that wrote nothing in the range read is not "never configured" when it wrote
 * before it: heartbeats that ran out before the range, or a last `connected=0`, leave it dead
 * over the whole range (its devices unknown, reason collector-down, however long ago it died); a
 * last legacy `connected=1` leaves it alive. Its last word is read only when a collector is
 * missing from the range, so a running system pays nothing; each one found stands as one
 * `connected=0` just before the range (with its heartbeat period, when it wrote heartbeats).
 */
async function silentBefore(store: MetricStore, before: number, present: ReadonlySet<string>): Promise<CollectorStatusPoint[]> {
  const last = (field: string) => store.queryAggregate({ measurement: 'collector_status', field, fn: 'last', from: 0, to: before, groupBy: ['collector', 'instance'] });
  const [connected, beats] = await Promise.all([last('connected'), last('heartbeat_s')]);
  const key = (tags: Readonly<Record<string, string>>): string => JSON.stringify([tags['collector'] ?? '', tags['instance'] ?? '']);
  const heartbeatS = new Map(beats.filter((r) => typeof r.value === 'number' && r.value > 0).map((r) => [key(r.tags), r.value!]));
  const out: CollectorStatusPoint[] = [];
  for (const r of connected) {
    const collector = r.tags['collector'] ?? '';
    if (present.has(collector) || r.value === null) continue;
    const hb = heartbeatS.get(key(r.tags));
    if (hb !== undefined || r.value === 0) out.push({ time: before - 1, collector, instance: r.tags['instance'] ?? '', connected: false, heartbeatS: hb });
  }
  return out;
}

/**
 * Walks [from, to) one chunk at a time and hands each chunk's samples per device to `visit`,
 * each device's list starting with its last sample before the chunk (when there is one). Only the
 * first chunk asks the store for the sample before it; later chunks carry the last sample over,
 * so the cost stays proportional to the samples in the window.
 */
export async function forEachChunk(
  store: MetricStore, devices: readonly Device[], from: number, to: number, chunkMs: number,
  visit: (start: number, end: number, samples: ReadonlyMap<string, StatusSample[]>) => void,
  /** asked after each chunk with its end: true stops the walk there (first-incidents.ts) */
  stop?: (chunkEnd: number) => boolean,
): Promise<void> {
  const ids = devices.map((d) => d.id);
  const carry = new Map<string, StatusSample>();
  // Before the window's first sample there is nothing to read: that part (most of a 5-year window
  // on a store holding 90 days of raw data) is one chunk, not a query and a visit per day. Chunks
  // still start at `from` + k × chunkMs, so the steps inside them stay where they were.
  const first = to - from > chunkMs ? await firstSampleAt(store, from, to) : from;
  const firstEnd = Math.min(to, from + chunkMs * Math.max(1, Math.floor(((first ?? to) - from) / chunkMs)));
  for (let start = from, end = firstEnd; start < to; start = end, end = Math.min(to, start + chunkMs)) {
    // let other requests (/api/health, the map) in between chunks: a store that answers
    // synchronously (SQLite) would otherwise hold the event loop for the whole window
    if (start > from) await new Promise<void>((resolve) => setImmediate(resolve));
    const fetched = await store.statusSamples({ from: start, to: end, devices: ids, includePrevious: start === from });
    const samples = new Map<string, StatusSample[]>();
    for (const [id, s] of carry) samples.set(id, [s]);
    for (const s of fetched) {
      const list = samples.get(s.device);
      if (list) list.push(s); else samples.set(s.device, [s]);
    }
    visit(start, end, samples);
    for (const [id, list] of samples) carry.set(id, list[list.length - 1]!);
    if (stop?.(end)) return;
  }
}

/** The time of the first device_status sample in [from, to), of any device; undefined when none. */
async function firstSampleAt(store: MetricStore, from: number, to: number): Promise<number | undefined> {
  const rows = await store.querySeries({ measurement: 'device_status', from, to, fields: ['up'], limit: 1 });
  return rows[0]?.time;
}

/** The devices and window a timeline read covers, and what the caller may already have. */
export interface TimelineWindow {
  devices: readonly Device[];
  from: number;
  to: number;
  now: number;
  intervals: DefaultIntervals;
  /** collector-down spans, when the caller already has them (collectorDownFor) */
  collectorDown?: Map<string, Span[]> | undefined;
  /** maintenance windows of a device (server/maintenance), excluded like unknown time */
  maintenance?: ((device: Device, from: number, to: number) => Span[]) | undefined;
}

export interface RawUptimeOptions extends TimelineWindow {
  /** the window is read in chunks of at most this length, so memory stays bounded; default 1 day */
  chunkMs?: number;
}

/** The collector-down spans a window needs, looked back far enough for its devices' longest interval. */
export function collectorDownFor(store: MetricStore, w: TimelineWindow): Promise<Map<string, Span[]>> {
  if (w.collectorDown) return Promise.resolve(w.collectorDown);
  return collectorDownSpans(store, w.from, w.to, maxIntervalMs(w.devices, w.intervals));
}

/**
 * The one place where a device's timeline input is put together from the store: its samples
 * (led by the last one before each step, the state the step starts in), its effective interval,
 * its collector's down spans and its maintenance. [from, to) is read one chunk (`chunkMs`, one
 * store read) at a time and each chunk is cut into steps (`stepMs`, default the chunk: an hour
 * for rollups); `visit` gets every device's input for every step, in time order.
 */
export async function forEachTimeline(
  store: MetricStore, w: TimelineWindow & { chunkMs?: number | undefined; stepMs?: number | undefined; stop?: ((chunkEnd: number) => boolean) | undefined },
  visit: (device: Device, input: TimelineInput) => void,
): Promise<void> {
  if (w.devices.length === 0 || w.from >= w.to) return;
  const down = await collectorDownFor(store, w);
  const chunkMs = w.chunkMs ?? DAY_MS;
  await forEachChunk(store, w.devices, w.from, w.to, chunkMs, (start, end, samples) => {
    const stepMs = w.stepMs ?? end - start;
    for (const d of w.devices) {
      const list = samples.get(d.id) ?? [];
      const intervalMs = intervalMsOf(d, w.intervals);
      // the gaps of the collector instance that polled each sample (sharded collectors)
      const collectorDown = assignedGaps(down, collectorOf(d), list);
      let first = 0;
      for (let s = start; s < end; s += stepMs) {
        const e = Math.min(end, s + stepMs);
        while (first + 1 < list.length && list[first + 1]!.time < s) first++;
        let last = first;
        while (last < list.length && list[last]!.time < e) last++;
        visit(d, { samples: list.slice(first, last), from: s, to: e, now: w.now, intervalMs, collectorDown, maintenance: w.maintenance?.(d, s, e) ?? [] });
      }
    }
  }, w.stop);
}

/**
 * Each device's uptime over [from, to) from raw samples. Uptime is additive over adjacent
 * windows (a sample's state carries across a boundary), so the window is read one chunk at a
 * time and the results summed.
 */
export async function rawUptimes(store: MetricStore, opts: RawUptimeOptions): Promise<Map<string, UptimeResult>> {
  const out = new Map<string, UptimeResult>();
  await forEachTimeline(store, opts, (d, input) => out.set(d.id, addUptime(out.get(d.id), deviceUptime(input))));
  return out;
}

/**
 * Each device's timeline input over the whole of [from, to) in one piece (one store read), for
 * what must not be cut at chunk edges: incidents, whose runs may last the whole window.
 */
export async function deviceTimelines(store: MetricStore, w: TimelineWindow): Promise<Map<string, TimelineInput>> {
  const out = new Map<string, TimelineInput>();
  await forEachTimeline(store, { ...w, chunkMs: w.to - w.from }, (d, input) => out.set(d.id, input));
  return out;
}

/**
 * The incidents of the devices over [from, to) (incidents.ts), unordered; a wifi AP's impact has
 * 0 clients here (its recent client count is the caller's to find). The window is read one chunk
 * (default a day) at a time, so memory stays bounded however long the window; a run that reaches
 * the end of a chunk and goes on at the start of the next is one run, joined here.
 */
export async function windowIncidents(store: MetricStore, w: TimelineWindow & { chunkMs?: number | undefined }): Promise<Incident[]> {
  const out: Incident[] = [];
  /** per device, its run that reached the end of the previous chunk */
  const open = new Map<string, Incident>();
  await forEachTimeline(store, { ...w, chunkMs: w.chunkMs ?? DAY_MS }, (d, input) => {
    const list = deviceIncidents(input, { device: d.id, tech: d.tech, area: d.area, ...(d.householdsPassed !== undefined ? { householdsPassed: d.householdsPassed } : {}) });
    const step = joinChunk(open.get(d.id), list, input.from, input.to, w.from, w.to);
    open.delete(d.id);
    if (step.open) open.set(d.id, step.open);
    out.push(...step.done);
  });
  out.push(...open.values());
  return out;
}

/**
 * One step of reading a device's incidents chunk by chunk over the window [from, to): `list` is
 * its incidents over the chunk [chunkFrom, chunkTo) (deviceIncidents), `before` its run that
 * reached the end of the previous chunk. Returns the runs that are over and the run this chunk
 * hands on (cut by the chunk's end but not by the window's). windowIncidents and the live state
 * (which keeps the hours before its tail as chunks) both step through here.
 */
export function joinChunk(before: Incident | undefined, list: Incident[], chunkFrom: number, chunkTo: number, from: number, to: number): { done: Incident[]; open: Incident | undefined } {
  const done: Incident[] = [];
  // in a later chunk a run began inside the window, unless it carries on one from before
  if (chunkFrom > from) for (const i of list) i.startsBeforeWindow = false;
  if (before && list[0]?.start === chunkFrom) list[0] = joinRuns(before, list[0]);
  else if (before) done.push({ ...before, endsAfterWindow: false });
  const last = list[list.length - 1];
  // cut by this chunk's end but not by the window's: the next chunk may carry it on
  const open = last && last.endsAfterWindow && chunkTo < to ? list.pop()! : undefined;
  done.push(...list);
  return { done, open };
}

/**
 * A run of a longer window seen through the window starting at `from` (the run ends after it):
 * cut at `from` when it began before, as the run of a read starting there would be.
 */
export function incidentFrom(i: Incident, from: number): Incident {
  if (i.start >= from) return i;
  const end = i.ongoing ? i.start + i.duration_ms : i.end!;
  const duration = end - from;
  const people = i.impact.households + i.impact.clients;
  return { ...i, start: from, startsBeforeWindow: true, duration_ms: duration, impact: { ...i.impact, impact_hours: (people * duration) / 3_600_000 } };
}

/** One run from its part up to a chunk's end and its part from that instant on. */
function joinRuns(a: Incident, b: Incident): Incident {
  const duration = a.duration_ms + b.duration_ms;
  const people = a.impact.households + a.impact.clients;
  return {
    ...b, start: a.start, startsBeforeWindow: a.startsBeforeWindow, duration_ms: duration,
    impact: { ...a.impact, impact_hours: (people * duration) / 3_600_000 },
  };
}

export type CurrentStatus = DeviceStatus;

export interface DeviceState {
  status: CurrentStatus;
  /** why the device is unknown: no-evidence, stale, collector-down or unreadable */
  reason?: string;
  /** epoch ms of the latest sample, null when never seen */
  lastSeen: number | null;
  rtt_ms: number | null;
}

/** The state at `now` of a device whose latest sample is `latest` (pure). */
export function stateAt(latest: StatusSample | undefined, now: number, intervalMs: number, collectorDown: readonly Span[]): DeviceState {
  if (!latest || latest.time > now) return { status: 'unknown', reason: 'no-evidence', lastSeen: latest ? latest.time : null, rtt_ms: null };
  const t = deviceTimeline({ samples: [latest], from: now, to: now + 1, now: now + 1, intervalMs, collectorDown });
  const base = { lastSeen: latest.time, rtt_ms: latest.rtt_ms ?? null };
  if (t.up.length > 0) return { status: 'up', ...base };
  if (t.down.length > 0) return { status: 'down', ...base };
  if (t.unreadable.length > 0) return { status: 'unknown', reason: `unreadable: ${latest.reason ?? 'no reason given'}`, ...base };
  if (t.collectorDown.length > 0) return { status: 'unknown', reason: 'collector-down', ...base };
  return { status: 'unknown', reason: 'stale', ...base };
}

/** Current status of each device: its latest sample, its hold and its collector's liveness at `now`. */
export async function currentStates(store: MetricStore, devices: readonly Device[], now: number, intervals: DefaultIntervals): Promise<Map<string, DeviceState>> {
  const out = new Map<string, DeviceState>();
  if (devices.length === 0) return out;
  const [latestRows, down] = await Promise.all([
    store.latestStatus(devices.map((d) => d.id)),
    collectorDownSpans(store, now, now + 1, maxIntervalMs(devices, intervals)),
  ]);
  const latest = new Map(latestRows.map((s) => [s.device, s]));
  for (const d of devices) {
    const s = latest.get(d.id);
    out.set(d.id, stateAt(s, now, intervalMsOf(d, intervals), assignedGaps(down, collectorOf(d), s ? [s] : [])));
  }
  return out;
}
