/**
 * The effective interval of every device: the interval at which the collector that watches it
 * actually hears from it. Up holds 2.5 of these after the last evidence, and a held down state is
 * restated once per interval.
 *
 * - A device with an `snmp` block is polled by the SNMP collector, whatever its technology: its
 *   interval is the inventory's `intervalS` (which the collector schedules, and which must be a
 *   multiple of the collector's `intervalS`: config validation refuses others), else its SNMP
 *   group's `intervalS`, else the collector's `intervalS`.
 * - Every other device reports over MQTT: the inventory's `intervalS`, else the MQTT collector's
 *   `expectedIntervalS` (the APs' telemetry interval).
 */
import type { Device } from '../../core/device.js';
import type { DefaultIntervals } from '../../core/intervals.js';

export type CollectorName = 'snmp' | 'mqtt';

// the settings' shape is in core/ because the collectors receive intervalSOf with it
export type { DefaultIntervals };

export const DEFAULT_INTERVALS: DefaultIntervals = { fibreS: 60, wifiS: 60 };

/** The collector that watches a device: its down spans make the device's time unknown. */
export function collectorOf(device: Pick<Device, 'tech' | 'snmp'>): CollectorName {
  return device.snmp !== undefined ? 'snmp' : device.tech === 'fibre' ? 'snmp' : 'mqtt';
}

/** The effective interval (seconds); the composition root hands it to the collectors as CollectorContext.intervalSOf. */
export function intervalSOf(device: Device, intervals: DefaultIntervals): number {
  if (device.intervalS !== undefined) return device.intervalS;
  if (collectorOf(device) === 'snmp') return intervals.snmpGroupS?.(device) ?? intervals.fibreS;
  return intervals.wifiS;
}

export function intervalMsOf(device: Device, intervals: DefaultIntervals): number {
  return 1000 * intervalSOf(device, intervals);
}

/** The largest effective interval among the devices (ms), for the reader's lookback. */
export function maxIntervalMs(devices: readonly Device[], intervals: DefaultIntervals): number {
  let max = 1000 * Math.max(intervals.fibreS, intervals.wifiS);
  for (const d of devices) max = Math.max(max, intervalMsOf(d, intervals));
  return max;
}
