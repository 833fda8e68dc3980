import type { SeriesRow } from './metric-store.js';
import type { StatusSample } from '../../core/status-sample.js';
import { seriesKey } from '../../core/point.js';

/**
 * Result ordering and status-sample shaping shared by both stores, so that they order ties the
 * same way (the contract: time ascending, then tag values).
 */
export function compareRows(a: SeriesRow, b: SeriesRow): number {
  if (a.time !== b.time) return a.time - b.time;
  const ka = seriesKey(a.tags);
  const kb = seriesKey(b.tags);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** A device_status row as a StatusSample; null when it has no `up` field or no device tag. */
export function statusSampleFrom(row: SeriesRow): StatusSample | null {
  const device = row.tags['device'];
  const up = row.fields['up'];
  const unreadable = row.fields['unreadable'] === 1 || row.fields['unreadable'] === true;
  if (device === undefined || typeof up === 'string' || (up === undefined && !unreadable)) return null;
  const sample: StatusSample = { device, time: row.time, up: !unreadable && (up === true || up === 1), tags: row.tags };
  if (unreadable) sample.unreadable = true;
  const reason = row.fields['reason'];
  if (typeof reason === 'string') sample.reason = reason;
  const rtt = row.fields['rtt_ms'];
  if (typeof rtt === 'number') sample.rtt_ms = rtt;
  return sample;
}

/** Ordered by device, then time (then series, so ties are stable across stores). */
export function sortSamples(samples: StatusSample[]): StatusSample[] {
  return samples.sort((a, b) => {
    if (a.device !== b.device) return a.device < b.device ? -1 : 1;
    if (a.time !== b.time) return a.time - b.time;
    const ka = seriesKey(a.tags);
    const kb = seriesKey(b.tags);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}

/** The newest sample of each device (a device may have several series, e.g. two sources). */
export function latestPerDevice(samples: readonly StatusSample[]): StatusSample[] {
  const best = new Map<string, StatusSample>();
  for (const s of sortSamples([...samples])) {
    const cur = best.get(s.device);
    if (!cur || s.time >= cur.time) best.set(s.device, s);
  }
  return sortSamples([...best.values()]);
}

/** Compare two groupBy tag sets by the values of `keys`, in order. */
export function compareTagValues(a: Record<string, string>, b: Record<string, string>, keys: readonly string[]): number {
  for (const k of keys) {
    const x = a[k] ?? '';
    const y = b[k] ?? '';
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** The distinct combinations of `keys` ('' for a missing tag) among these tag sets, sorted by compareTagValues (tagSets' answer on both stores). */
export function distinctTagSets(tagSets: Iterable<Readonly<Record<string, string>>>, keys: readonly string[]): Record<string, string>[] {
  const seen = new Map<string, Record<string, string>>();
  for (const t of tagSets) {
    const picked: Record<string, string> = {};
    for (const k of keys) picked[k] = t[k] ?? '';
    seen.set(JSON.stringify(keys.map((k) => picked[k])), picked);
  }
  return [...seen.values()].sort((a, b) => compareTagValues(a, b, keys));
}
