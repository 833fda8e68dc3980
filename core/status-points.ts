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
import type { FieldValue, Point } from './point.js';

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
  return { measurement: 'device_status', tags: statusTags(device, source), fields, time };
}

/**
 * One frozen tags object per device object and source: every sample of a device carries the same
 * tags, and the InfluxDB store encodes a frozen tags object's series once (line-protocol.ts).
 * Weak: a device object replaced by an inventory reload is forgotten with it.
 */
const tagsByDevice = new WeakMap<object, Partial<Record<StatusSource, Point['tags']>>>();
function statusTags(device: Pick<Device, 'id' | 'site' | 'area' | 'tech'>, source: StatusSource): Point['tags'] {
  let bySource = tagsByDevice.get(device);
  if (!bySource) { bySource = {}; tagsByDevice.set(device, bySource); }
  let tags = bySource[source];
  // a device object changed in place (not how the inventory works, but allowed) gets new tags
  if (!tags || tags['device'] !== device.id || tags['site'] !== device.site || tags['area'] !== device.area || tags['tech'] !== device.tech) {
    tags = Object.freeze({ device: device.id, site: device.site, area: device.area, tech: device.tech, source });
    bySource[source] = tags;
  }
  return tags;
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
