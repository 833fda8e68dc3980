/**
 * Reads device state from the store: raw `device_status` samples and `collector_status` points,
 * turned into timelines, uptimes and current states by the rules beside this file. The API, the
 * rollup job, scheduled reports, alerts and the status events all read through here.
 */
import type { Device } from '../inventory/device.js';
import type { MetricStore, StatusSample } from '../store/metric-store.js';
import type { Span } from '../analytics/intervals.js';
import { collectorGaps, type CollectorStatusPoint } from './collector-liveness.js';
import { collectorOf, intervalMsOf, maxIntervalMs, type DefaultIntervals } from './intervals.js';
import { lookbackMs, MAX_HEARTBEAT_S, type DeviceStatus } from './semantics.js';
import { addUptime, deviceTimeline, deviceUptime, type UptimeResult } from './timeline.js';

export const DAY_MS = 86_400_000;

/** collector_status points in [from, to), as the liveness rules read them */
export async function collectorStatusPoints(store: MetricStore, from: number, to: number): Promise<CollectorStatusPoint[]> {
  const rows = await store.querySeries({ measurement: 'collector_status', from, to, fields: ['connected', 'heartbeat_s'] });
  const out: CollectorStatusPoint[] = [];
  for (const r of rows) {
    const c = r.fields['connected'];
    if (c === undefined) continue;
    const hb = r.fields['heartbeat_s'];
    out.push({
      time: r.time, collector: r.tags['collector'] ?? '', instance: r.tags['instance'] ?? '',
      connected: c === 1 || c === true, heartbeatS: typeof hb === 'number' ? hb : undefined,
    });
  }
  return out;
}

/**
 * Per collector name, the spans in [from - lookback, to) when it was not alive; the lookback
 * covers every state that may still hold at `from` (semantics.ts lookbackMs).
 */
export async function collectorDownSpans(store: MetricStore, from: number, to: number, maxIntervalMsOfDevices = 60_000): Promise<Map<string, Span[]>> {
  const start = from - lookbackMs(maxIntervalMsOfDevices, 1000 * MAX_HEARTBEAT_S);
  return collectorGaps(await collectorStatusPoints(store, start, to), start, to);
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
): Promise<void> {
  const ids = devices.map((d) => d.id);
  const carry = new Map<string, StatusSample>();
  for (let start = from; start < to; start += chunkMs) {
    const end = Math.min(to, start + chunkMs);
    const fetched = await store.statusSamples({ from: start, to: end, devices: ids, includePrevious: start === from });
    const samples = new Map<string, StatusSample[]>();
    for (const [id, s] of carry) samples.set(id, [s]);
    for (const s of fetched) {
      const list = samples.get(s.device);
      if (list) list.push(s); else samples.set(s.device, [s]);
    }
    visit(start, end, samples);
    for (const [id, list] of samples) carry.set(id, list[list.length - 1]!);
  }
}

export interface RawUptimeOptions {
  devices: readonly Device[];
  from: number;
  to: number;
  now: number;
  intervals: DefaultIntervals;
  /** the window is read in chunks of at most this length, so memory stays bounded; default 1 day */
  chunkMs?: number;
  /** collector-down spans, when the caller already has them (collectorDownSpans) */
  collectorDown?: Map<string, Span[]>;
  /** maintenance windows of a device (server/maintenance), excluded like unknown time */
  maintenance?: ((device: Device, from: number, to: number) => Span[]) | undefined;
}

/**
 * Each device's uptime over [from, to) from raw samples. Uptime is additive over adjacent
 * windows (a sample's state carries across a boundary), so the window is read one chunk at a
 * time and the results summed.
 */
export async function rawUptimes(store: MetricStore, opts: RawUptimeOptions): Promise<Map<string, UptimeResult>> {
  const out = new Map<string, UptimeResult>();
  if (opts.devices.length === 0 || opts.from >= opts.to) return out;
  const down = opts.collectorDown ?? await collectorDownSpans(store, opts.from, opts.to, maxIntervalMs(opts.devices, opts.intervals));
  await forEachChunk(store, opts.devices, opts.from, opts.to, opts.chunkMs ?? DAY_MS, (start, end, samples) => {
    for (const d of opts.devices) {
      const r = deviceUptime({
        samples: samples.get(d.id) ?? [], from: start, to: end, now: opts.now,
        intervalMs: intervalMsOf(d, opts.intervals), collectorDown: down.get(collectorOf(d)) ?? [],
        maintenance: opts.maintenance?.(d, start, end) ?? [],
      });
      out.set(d.id, addUptime(out.get(d.id), r));
    }
  });
  return out;
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
  for (const d of devices) out.set(d.id, stateAt(latest.get(d.id), now, intervalMsOf(d, intervals), down.get(collectorOf(d)) ?? []));
  return out;
}
