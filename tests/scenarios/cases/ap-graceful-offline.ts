import { S, type Scenario } from '../types.js';
import { CONFIG, TELEMETRY_MS } from './common.js';

/**
 * An AP that says `offline` (retained) and stays off for 15 intervals is down all that time, not
 * 2.5 intervals then unknown; ap2 goes offline for good and its incident is still ongoing at `now`.
 */
export const apGracefulOffline: Scenario = {
  name: 'AP graceful offline for more than 10 intervals',
  story: 'ap1 publishes `offline` at 55 s and is back online at 205 s (15 intervals later); ap2 publishes `offline` at 100 s and stays off.',
  config: CONFIG,
  devices: [{ id: 'ap1', kind: 'ap' }, { id: 'ap2', kind: 'ap' }],
  events: [
    { at: 0, type: 'collector-start', collector: 'mqtt' },
    { at: 0, type: 'ap-online', device: 'ap1' },
    { at: 0, type: 'ap-telemetry', device: 'ap1', everyMs: TELEMETRY_MS },
    { at: 0, type: 'ap-online', device: 'ap2' },
    { at: 0, type: 'ap-telemetry', device: 'ap2', everyMs: TELEMETRY_MS },
    { at: 55 * S, type: 'ap-offline-graceful', device: 'ap1' },
    { at: 100 * S, type: 'ap-offline-graceful', device: 'ap2' },
    { at: 205 * S, type: 'ap-online', device: 'ap1' },
    { at: 205 * S, type: 'ap-telemetry', device: 'ap1', everyMs: TELEMETRY_MS },
  ],
  window: { from: 0, to: 300 * S },
  expected: {
    // up [0, 55) = 55 s; down [55, 205) = 150 s = 15 intervals of 10 s (restated every 10 s);
    // up [205, 300) = 95 s. up = 55 + 95 = 150 s; down = 150 s; unknown = 300 - 300 = 0
    ap1: { up_ms: 150 * S, down_ms: 150 * S, unknown_ms: 0, maintenance_ms: 0, incidents: [{ start: 55 * S, end: 205 * S, duration_ms: 150 * S }] },
    // `offline` at 100 s: a scripted event at the instant of a telemetry tick wins, so the last
    // telemetry is at 90 s. up [0, 100) = 100 s; down [100, 300) = 200 s, ongoing at now = 300 s
    ap2: { up_ms: 100 * S, down_ms: 200 * S, unknown_ms: 0, maintenance_ms: 0, incidents: [{ start: 100 * S, end: null, duration_ms: 200 * S }] },
  },
  collectorGaps: { mqtt: [], snmp: [] },
  alerts: [
    { rule: 'device_down', subject: 'ap1', opens: 55 * S, resolves: 205 * S },
    { rule: 'device_down', subject: 'ap2', opens: 100 * S, resolves: null },
  ],
};
