import { HOUR, S, polls, type Scenario } from '../types.js';
import { CONFIG, POLL_MS, TELEMETRY_MS } from './common.js';

/**
 * Outages across the boundary between two clock hours, read back from the hourly rollups. t0 is the
 * start of an hour and the window is 3 whole hours, so /api/uptime (deviceUptimes, windows of 3 h
 * or more) reads every hour from `device_status_hourly`. The AP's times are not whole seconds:
 * the rollups round each hour to whole seconds (each hour is within 0.5 s of the exact figure).
 */
export const outageAcrossHour: Scenario = {
  name: 'outage across an hour boundary, read from rollups',
  story: 'ap1 loses power at 59:50.4 and is back at 1:00:50.4 (60 s); node1 times out on the polls from 55:00 to 64:00 (down 10 min).',
  config: CONFIG,
  devices: [{ id: 'ap1', kind: 'ap' }, { id: 'node1', kind: 'node' }],
  events: [
    { at: 0, type: 'collector-start', collector: 'mqtt' },
    { at: 0, type: 'collector-start', collector: 'snmp' },
    { at: 0, type: 'ap-online', device: 'ap1' },
    { at: 0, type: 'ap-telemetry', device: 'ap1', everyMs: TELEMETRY_MS },
    { at: 3_590_400, type: 'ap-power-cut', device: 'ap1' },
    { at: 3_650_400, type: 'ap-power-back', device: 'ap1' },
    ...polls('node1', 0, 3300 * S, POLL_MS, 'snmp-answer'),
    ...polls('node1', 3300 * S, 3900 * S, POLL_MS, 'snmp-timeout'),
    ...polls('node1', 3900 * S, 3 * HOUR, POLL_MS, 'snmp-answer'),
  ],
  window: { from: 0, to: 3 * HOUR },
  expected: {
    // down [3590.4, 3650.4) = 60 s; up = 10800 - 60 = 10740 s; unknown 0
    ap1: { up_ms: 10_740 * S, down_ms: 60 * S, unknown_ms: 0, maintenance_ms: 0, incidents: [{ start: 3_590_400, end: 3_650_400, duration_ms: 60 * S }] },
    // down [3300, 3900) = 600 s (timeouts 3300, 3360, ..., 3840; answer at 3900); up = 10800 - 600 = 10200 s
    node1: { up_ms: 10_200 * S, down_ms: 600 * S, unknown_ms: 0, maintenance_ms: 0, incidents: [{ start: 3300 * S, end: 3900 * S, duration_ms: 600 * S }] },
  },
  hourly: {
    ap1: [
      // hour 0: down [3590.4, 3600) = 9.6 s -> 10; up 3590.4 -> 3590
      { up_s: 3590, down_s: 10, maintenance_s: 0, unknown_s: 0 },
      // hour 1: down [3600, 3650.4) = 50.4 s -> 50; up 3549.6 -> 3550
      { up_s: 3550, down_s: 50, maintenance_s: 0, unknown_s: 0 },
      { up_s: 3600, down_s: 0, maintenance_s: 0, unknown_s: 0 },
    ],
    node1: [
      // hour 0: down [3300, 3600) = 300; hour 1: down [3600, 3900) = 300
      { up_s: 3300, down_s: 300, maintenance_s: 0, unknown_s: 0 },
      { up_s: 3300, down_s: 300, maintenance_s: 0, unknown_s: 0 },
      { up_s: 3600, down_s: 0, maintenance_s: 0, unknown_s: 0 },
    ],
  },
  collectorGaps: { mqtt: [], snmp: [] },
  alerts: [
    { rule: 'device_down', subject: 'node1', opens: 3300 * S, resolves: 3900 * S },
    { rule: 'device_down', subject: 'ap1', opens: 3_590_400, resolves: 3_650_400 },
  ],
};
