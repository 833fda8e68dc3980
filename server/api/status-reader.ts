/**
 * Reads device status from the store for the analytics: raw `device_status` samples, the spans
 * when a collector itself was down (from `collector_status`), and each device's current status.
 * Shared by the API and the rollup job so that both count unknown time the same way.
 */
import type { Device } from '../inventory/device.js';
import type { MetricStore, StatusSample } from '../store/metric-store.js';
import { merge, type Span } from '../analytics/intervals.js';
import { deviceUptime, STALE_FACTOR, type UptimeResult } from '../analytics/uptime.js';

export const DAY_MS = 86_400_000;

/** Poll / telemetry intervals when a device has no `intervalS` (the collectors' defaults). */
export interface DefaultIntervals {
  fibreS: number;
  wifiS: number;
}

export const DEFAULT_INTERVALS: DefaultIntervals = { fibreS: 60, wifiS: 60 };

/**
 * The collector that watches a device: the SNMP collector polls every device with an `snmp`
 * block (collectors/snmp), whatever its technology; the others report over MQTT. Its down
 * spans make the device's time unknown, so a wifi AP polled over SNMP must follow SNMP's.
 */
export function collectorOf(device: Pick<Device, 'tech' | 'snmp'>): 'snmp' | 'mqtt' {
  return device.snmp !== undefined || device.tech === 'fibre' ? 'snmp' : 'mqtt';
}

export function intervalMsOf(device: Pick<Device, 'tech' | 'intervalS'>, defaults: DefaultIntervals): number {
  return 1000 * (device.intervalS ?? (device.tech === 'fibre' ? defaults.fibreS : defaults.wifiS));
}

/**
 * Collector-down spans per collector name, over [from, to). A collector is down from a
 * `connected=0` sample until the next `connected=1` sample of the same collector (any instance).
 * The state at `from` comes from the last sample in the `lookbackMs` before it.
 */
export async function collectorDownSpans(store: MetricStore, from: number, to: number, lookbackMs = 7 * DAY_MS): Promise<Map<string, Span[]>> {
  const rows = await store.querySeries({ measurement: 'collector_status', from: from - lookbackMs, to, fields: ['connected'] });
  const byCollector = new Map<string, { time: number; connected: boolean }[]>();
  for (const r of rows) {
    const name = r.tags['collector'] ?? '';
    const c = r.fields['connected'];
    const list = byCollector.get(name) ?? [];
    list.push({ time: r.time, connected: c === 1 || c === true });
    byCollector.set(name, list);
  }
  const out = new Map<string, Span[]>();
  for (const [name, events] of byCollector) {
    events.sort((a, b) => a.time - b.time);
    const spans: Span[] = [];
    let downSince: number | undefined;
    for (const e of events) {
      if (!e.connected && downSince === undefined) downSince = e.time;
      else if (e.connected && downSince !== undefined) { spans.push({ start: downSince, end: e.time }); downSince = undefined; }
    }
    if (downSince !== undefined) spans.push({ start: downSince, end: to });
    out.set(name, merge(spans));
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

export function addUptime(a: UptimeResult | undefined, b: UptimeResult): UptimeResult {
  if (!a) return { ...b };
  const up = a.up_ms + b.up_ms, down = a.down_ms + b.down_ms;
  return {
    up_ms: up, down_ms: down, unknown_ms: a.unknown_ms + b.unknown_ms, maintenance_ms: a.maintenance_ms + b.maintenance_ms,
    counted_ms: a.counted_ms + b.counted_ms, uptime: up + down > 0 ? up / (up + down) : null,
  };
}

export interface RawUptimeOptions {
  devices: readonly Device[];
  from: number;
  to: number;
  now: number;
  intervals: DefaultIntervals;
  /** the window is read in chunks of at most this length, so memory stays bounded; default 1 day */
  chunkMs?: number;
  /** collector-down spans, when the caller already has them */
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
  const down = opts.collectorDown ?? await collectorDownSpans(store, opts.from, opts.to);
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

export type CurrentStatus = 'up' | 'down' | 'unknown';

export interface DeviceState {
  status: CurrentStatus;
  /** epoch ms of the latest sample, null when never seen */
  lastSeen: number | null;
  rtt_ms: number | null;
}

/**
 * Current status of each device: its latest sample's state while that sample is fresh (within
 * 2.5 intervals of now, the uptime definition's staleness), unknown after that or when never seen.
 */
export async function currentStates(store: MetricStore, devices: readonly Device[], now: number, intervals: DefaultIntervals): Promise<Map<string, DeviceState>> {
  const out = new Map<string, DeviceState>();
  if (devices.length === 0) return out;
  const latest = new Map((await store.latestStatus(devices.map((d) => d.id))).map((s) => [s.device, s]));
  for (const d of devices) {
    const s = latest.get(d.id);
    if (!s) { out.set(d.id, { status: 'unknown', lastSeen: null, rtt_ms: null }); continue; }
    const fresh = now - s.time <= STALE_FACTOR * intervalMsOf(d, intervals) && s.time <= now;
    out.set(d.id, { status: fresh ? (s.up ? 'up' : 'down') : 'unknown', lastSeen: s.time, rtt_ms: s.rtt_ms ?? null });
  }
  return out;
}
