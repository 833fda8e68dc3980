/**
 * Turns what an AP says (status `online`/`offline`, telemetry) into `device_status` samples.
 *
 * - A status message is a transition: one sample at its receive time, every time (a retained status
 *   redelivered after a reconnect re-states the known state right after the unknown span).
 * - Telemetry proves life: a sample `up=1` when the AP was not known to be up, and then at most one
 *   per expected interval, so that uptime sees samples and silence longer than 2.5 intervals shows
 *   as unknown time (the analytics decide that, not the collector).
 * - After the collector's own disconnection, nothing is known: reset() forgets every state so the
 *   first message after the reconnect writes a sample at once.
 */
import type { Point } from '../../server/store/point.js';
import type { Device } from '../../server/inventory/device.js';

type State = { up: boolean; lastSampleAt: number };

export class StatusTracker {
  private readonly states = new Map<string, State>();

  constructor(private readonly defaultIntervalS: number) {}

  onStatus(device: Device, online: boolean, time: number): Point {
    this.states.set(device.id, { up: online, lastSampleAt: time });
    return statusPoint(device, online, time);
  }

  /** the up sample that telemetry at `time` implies, or undefined when none is due */
  onTelemetry(device: Device, time: number): Point | undefined {
    const s = this.states.get(device.id);
    const intervalMs = (device.intervalS ?? this.defaultIntervalS) * 1000;
    if (s && s.up && time < s.lastSampleAt + intervalMs) return undefined;
    // telemetry older than the last sample (queued while we were away) must not reorder the state
    if (s && !s.up && time < s.lastSampleAt) return undefined;
    this.states.set(device.id, { up: true, lastSampleAt: time });
    return statusPoint(device, true, time);
  }

  reset(): void {
    this.states.clear();
  }

  state(deviceId: string): 'up' | 'down' | 'unknown' {
    const s = this.states.get(deviceId);
    return s ? (s.up ? 'up' : 'down') : 'unknown';
  }
}

export function statusPoint(device: Device, up: boolean, time: number): Point {
  return {
    measurement: 'device_status',
    tags: { device: device.id, site: device.site, area: device.area, tech: device.tech, source: 'mqtt' },
    fields: { up: up ? 1 : 0 },
    time,
  };
}
