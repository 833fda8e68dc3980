import { S, polls, type Scenario } from '../types.js';
import { CONFIG, POLL_MS, TELEMETRY_MS } from './common.js';

/**
 * A maintenance window over part of an outage: the maintained time counts as neither up nor down,
 * and the incident (and its alert) starts when the window ends.
 */
export const maintenanceOverOutage: Scenario = {
  name: 'maintenance window over an outage',
  story: 'ap1 loses power at 100 s and is back at 220 s, with maintenance 80..160 s; node1 times out from 120 s to 360 s inside maintenance 60..420 s.',
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
    { at: 60 * S, type: 'maintenance', device: 'node1', durationMs: 360 * S },
    ...polls('node1', 0, 120 * S, POLL_MS, 'snmp-answer'),
    ...polls('node1', 120 * S, 360 * S, POLL_MS, 'snmp-timeout'),
    ...polls('node1', 360 * S, 600 * S, POLL_MS, 'snmp-answer'),
  ],
  window: { from: 0, to: 600 * S },
  expected: {
    // timeline: up [0, 100), down [100, 220), up [220, 600). Maintenance [80, 160) is cut out:
    // up [0, 80) = 80 + [220, 600) = 380 -> 460; down [160, 220) = 60; maintenance 80; unknown 0.
    // 460 + 60 + 80 = 600
    ap1: { up_ms: 460 * S, down_ms: 60 * S, unknown_ms: 0, maintenance_ms: 80 * S, incidents: [{ start: 160 * S, end: 220 * S, duration_ms: 60 * S }] },
    // timeline: up [0, 120), down [120, 360), up [360, 600). Maintenance [60, 420) covers the
    // whole outage: up [0, 60) = 60 + [420, 600) = 180 -> 240; down 0; maintenance 360. No incident.
    node1: { up_ms: 240 * S, down_ms: 0, unknown_ms: 0, maintenance_ms: 360 * S, incidents: [] },
  },
  collectorGaps: { mqtt: [], snmp: [] },
  alerts: [{ rule: 'device_down', subject: 'ap1', opens: 160 * S, resolves: 220 * S }],
};
