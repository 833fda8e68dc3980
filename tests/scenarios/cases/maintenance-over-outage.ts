import { S, polls, type Scenario } from '../types.js';
import { CONFIG, POLL_MS, TELEMETRY_MS } from './common.js';

/**
 * A maintenance window over part of an outage: the maintained time counts as neither up nor down,
 * and the incident (and its alert) starts when the window ends; a window over a whole outage
 * leaves no incident at all.
 */
export const maintenanceOverOutage: Scenario = {
  name: 'maintenance window over an outage',
  story: 'ap1 loses power at 100 s and is back at 220 s, with maintenance 80..160 s; node1 times out on the polls at 120 and 180 s, inside maintenance 60..270 s.',
  config: CONFIG,
  devices: [{ id: 'ap1', kind: 'ap' }, { id: 'node1', kind: 'node' }],
  events: [
    { at: 0, type: 'collector-start', collector: 'mqtt' },
    { at: 0, type: 'collector-start', collector: 'snmp' },
    { at: 0, type: 'ap-online', device: 'ap1' },
    { at: 0, type: 'ap-telemetry', device: 'ap1', everyMs: TELEMETRY_MS },
    { at: 80 * S, type: 'maintenance', device: 'ap1', durationMs: 80 * S },
    { at: 100 * S, type: 'ap-power-cut', device: 'ap1' },
    { at: 220 * S, type: 'ap-power-back', device: 'ap1' },
    { at: 60 * S, type: 'maintenance', device: 'node1', durationMs: 210 * S },
    ...polls('node1', 0, 120 * S, POLL_MS, 'snmp-answer'),
    ...polls('node1', 120 * S, 240 * S, POLL_MS, 'snmp-timeout'),
    ...polls('node1', 240 * S, 300 * S, POLL_MS, 'snmp-answer'),
  ],
  window: { from: 0, to: 300 * S },
  expected: {
    // timeline: up [0, 100), down [100, 220), up [220, 300). Maintenance [80, 160) is cut out:
    // up [0, 80) = 80 + [220, 300) = 80 -> 160; down [160, 220) = 60; maintenance 80; unknown 0.
    // 160 + 60 + 80 = 300
    ap1: { up_ms: 160 * S, down_ms: 60 * S, unknown_ms: 0, maintenance_ms: 80 * S, incidents: [{ start: 160 * S, end: 220 * S, duration_ms: 60 * S }] },
    // timeline: up [0, 120), down [120, 240), up [240, 300). Maintenance [60, 270) covers the
    // whole outage: up [0, 60) = 60 + [270, 300) = 30 -> 90; down 0; maintenance 210. No incident.
    // 90 + 210 = 300
    node1: { up_ms: 90 * S, down_ms: 0, unknown_ms: 0, maintenance_ms: 210 * S, incidents: [] },
  },
  collectorGaps: { mqtt: [], snmp: [] },
  alerts: [{ rule: 'device_down', subject: 'ap1', opens: 160 * S, resolves: 220 * S }],
};
