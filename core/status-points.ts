/**
 * The two points that report state, built here once for every collector (DESIGN.md schema):
 *
 * - `device_status{device, site, area, tech, source}`: what one observation says of a device:
 *   `up=1` (with `rtt_ms` when measured), `up=0` (with the `reason` when known), or
 *   `unreadable=1, reason` with no `up` field at all (the device answered but could not be read:
 *   unknown, never down).
 * - `collector_status{collector, instance}`: a collector's heartbeat, `connected=1, heartbeat_s`,
 *   or `connected=0` when it stops watching.
 *
 * They only say what was observed; what a sample means over time (how long it holds, when it is
 * stale, what a collector gap does) is decided in server/status/ alone.
 */
import type { Device } from './device.js';
import { sharedTags, type FieldValue, type Point } from './point.js';

/** What one observation says of a device. */
export type DeviceEvidence =
  | { up: true; rttMs?: number }
  | { up: false; reason?: string }
  /** answered but could not be read (our credentials, a MIB view): unknown, never down */
  | { unreadable: true; reason: string };

/** the collector that made the observation (the `source` tag) */
export type StatusSource = 'snmp' | 'mqtt';

export function deviceStatusPoint(device: Pick<Device, 'id' | 'site' | 'area' | 'tech'>, source: StatusSource, time: number, evidence: DeviceEvidence): Point {
  let fields: Record<string, FieldValue>;
  if ('unreadable' in evidence) fields = { unreadable: 1, reason: evidence.reason };
  else if (evidence.up) {
    fields = { up: 1 };
    // microsecond precision is all a round-trip time measured in ms carries
    if (evidence.rttMs !== undefined) fields['rtt_ms'] = Math.round(evidence.rttMs * 1000) / 1000;
  } else {
    fields = { up: 0 };
    if (evidence.reason !== undefined) fields['reason'] = evidence.reason;
  }
  // one shared tags object per device and source (core/point.ts sharedTags)
  const tags = sharedTags(device, source, { device: device.id, site: device.site, area: device.area, tech: device.tech, source });
  return { measurement: 'device_status', tags, fields, time };
}

/**
 * The longest heartbeat period a collector may announce (seconds). The collectors' config schemas
 * refuse longer ones, and server/status reads collector_status this far back (semantics.ts).
 */
export const MAX_HEARTBEAT_S = 60;

/** A collector's beat: alive, announcing its heartbeat period, or stopping. */
export type CollectorBeat = { connected: true; heartbeatS: number } | { connected: false };

export function collectorStatusPoint(collector: string, instance: string, time: number, beat: CollectorBeat): Point {
  return {
    measurement: 'collector_status',
    tags: { collector, instance },
    // heartbeat_s is an integer field (core/schema.ts)
    fields: beat.connected ? { connected: 1, heartbeat_s: Math.round(beat.heartbeatS) } : { connected: 0 },
    time,
  };
}
