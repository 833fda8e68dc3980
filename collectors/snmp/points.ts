/**
 * Readings -> points, with Telegraf's names (DESIGN.md schema): `snmp`, `interface`, `optical`,
 * `device_status`. Counter state for rates lives in a RateMemory owned by the collector.
 */
import type { Device } from '../../core/device.js';
import type { FieldValue, Point } from '../../core/point.js';
import { deviceStatusPoint, type DeviceEvidence } from '../../core/status-points.js';
import { isIntegerField } from '../../core/schema.js';
import { asBigInt, asNumber } from './decode.js';
import type { IfRow, PollReading } from './poller.js';
import { octetsToBps, type CounterSample, type CounterWidth } from './rates.js';

interface IfCounters { in: CounterSample; out: CounterSample; width: CounterWidth }

/** Last counters per device and interface: what rates are computed against. */
export class RateMemory {
  private readonly byDevice = new Map<string, Map<string, IfCounters>>();

  /** Stores this poll's counters and returns the bit rates since the previous poll. */
  update(deviceId: string, row: IfRow, uptime: number | undefined, time: number): { in_bps?: number; out_bps?: number } {
    const hc = asBigInt(row.values.ifHCInOctets) !== undefined && asBigInt(row.values.ifHCOutOctets) !== undefined;
    const inV = asBigInt(hc ? row.values.ifHCInOctets : row.values.ifInOctets);
    const outV = asBigInt(hc ? row.values.ifHCOutOctets : row.values.ifOutOctets);
    if (inV === undefined || outV === undefined) return {};
    let dev = this.byDevice.get(deviceId);
    if (!dev) { dev = new Map(); this.byDevice.set(deviceId, dev); }
    const width: CounterWidth = hc ? 64 : 32;
    // Without sysUpTime a reboot cannot be seen; 0 makes every sample look like "no reboot".
    const up = uptime ?? 0;
    const cur: IfCounters = { in: { value: inV, uptime: up, time }, out: { value: outV, uptime: up, time }, width };
    const prev = dev.get(row.ifIndex);
    dev.set(row.ifIndex, cur);
    // Switching between HC and 32-bit counters is a discontinuity, not traffic.
    const p = prev && prev.width === width ? prev : undefined;
    const r: { in_bps?: number; out_bps?: number } = {};
    const i = octetsToBps(p?.in, cur.in, width);
    const o = octetsToBps(p?.out, cur.out, width);
    if (i !== undefined) r.in_bps = i;
    if (o !== undefined) r.out_bps = o;
    return r;
  }

  forget(deviceId: string): void {
    this.byDevice.delete(deviceId);
  }

  devices(): IterableIterator<string> {
    return this.byDevice.keys();
  }
}

/** One reading's points (status aside). `keep` is the interface filter. */
export function readingPoints(
  d: Device, agentHost: string, r: PollReading, rates: RateMemory,
  keep: (row: IfRow) => boolean,
): Point[] {
  const points: Point[] = [];
  const hostname = r.sysName || d.id;
  if (r.uptime !== undefined) {
    points.push({ measurement: 'snmp', tags: { agent_host: agentHost, hostname, device: d.id }, fields: { uptime: r.uptime }, time: r.time });
  }
  for (const row of r.interfaces) {
    const derived = rates.update(d.id, row, r.uptime, r.time);
    if (!keep(row)) continue;
    const fields: Record<string, FieldValue> = {};
    for (const [name, v] of Object.entries(row.values)) {
      if (name === 'ifName' || name === 'ifDescr') continue;
      if (name === 'ifAlias') { if (typeof v === 'string' && v) fields[name] = v; continue; }
      const n = asNumber(v);
      if (n === undefined) continue;
      if (isIntegerField('interface', name) && !Number.isInteger(n)) continue;
      fields[name] = n;
    }
    Object.assign(fields, derived);
    if (Object.keys(fields).length === 0) continue;
    points.push({
      measurement: 'interface',
      tags: {
        agent_host: agentHost, hostname, ifName: row.name, ifIndex: row.ifIndex,
        device: d.id, site: d.site, area: d.area, tech: d.tech,
      },
      fields,
      time: r.time,
    });
  }
  const optical = new Map<string, Record<string, number>>();
  for (const o of r.optical) {
    const f = optical.get(o.ifName) ?? {};
    f[`${o.direction}_dbm`] = o.dbm;
    optical.set(o.ifName, f);
  }
  for (const [ifName, fields] of optical) {
    points.push({ measurement: 'optical', tags: { device: d.id, ifName }, fields, time: r.time });
  }
  return points;
}

/** What one poll says about a device's state: a poll always measures the round trip, or says why it failed. */
export type StatusEvidence =
  | { up: true; rttMs: number }
  | { up: false; reason: string }
  | Extract<DeviceEvidence, { unreadable: true }>;

/** The device_status point of one poll (core/status-points.ts builds it for every collector). */
export function statusPoint(d: Device, time: number, s: StatusEvidence): Point {
  return deviceStatusPoint(d, 'snmp', time, s);
}
