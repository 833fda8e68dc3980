import { S, type Scenario } from '../types.js';
import { CONFIG, TELEMETRY_MS } from './common.js';

/**
 * The collector's connection to the broker is cut for 20 s while the process lives (and can still
 * write to the store): it notices the closed socket, writes `connected=0`, stops beating, and on
 * reconnecting gets the retained statuses again. ap2 was already off: down before, unknown during,
 * down after.
 */
export const collectorNetworkCut: Scenario = {
  name: "collector's network to the broker cut for 20 s",
  story: 'ap2 loses power at 40 s; the collector loses the broker from 100 s to 120 s; ap1 is up throughout.',
  config: CONFIG,
  devices: [{ id: 'ap1', kind: 'ap' }, { id: 'ap2', kind: 'ap' }],
  events: [
    { at: 0, type: 'collector-start', collector: 'mqtt' },
    { at: 0, type: 'ap-online', device: 'ap1' },
    { at: 0, type: 'ap-telemetry', device: 'ap1', everyMs: TELEMETRY_MS },
    { at: 0, type: 'ap-online', device: 'ap2' },
    { at: 5 * S, type: 'ap-telemetry', device: 'ap2', everyMs: TELEMETRY_MS },
    { at: 40 * S, type: 'ap-power-cut', device: 'ap2' },
    { at: 100 * S, type: 'collector-network-cut', collector: 'mqtt' },
    { at: 120 * S, type: 'collector-network-restore', collector: 'mqtt' },
  ],
  window: { from: 0, to: 200 * S },
  expected: {
    // up [0, 100) = 100; unknown [100, 120) = 20; up [120, 200) = 80 (retained `online` at 120,
    // telemetry 120, 130, ...). up = 180; unknown = 20
    ap1: { up_ms: 180 * S, down_ms: 0, unknown_ms: 20 * S, maintenance_ms: 0, incidents: [] },
    // up [0, 40) = 40 (telemetry 5..35); down [40, 100) = 60 (Will, restated); unknown [100, 120) = 20;
    // down [120, 200) = 80 (retained `offline` at 120, ongoing at now = 200).
    // up = 40; down = 60 + 80 = 140; unknown = 20; 40 + 140 + 20 = 200
    ap2: {
      up_ms: 40 * S, down_ms: 140 * S, unknown_ms: 20 * S, maintenance_ms: 0,
      incidents: [{ start: 40 * S, end: 100 * S, duration_ms: 60 * S }, { start: 120 * S, end: null, duration_ms: 80 * S }],
    },
  },
  collectorGaps: { mqtt: [{ start: 100 * S, end: 120 * S }], snmp: [] },
  alerts: [
    { rule: 'device_down', subject: 'ap2', opens: 40 * S, resolves: 100 * S },
    { rule: 'collector_down', subject: 'mqtt', opens: 100 * S, resolves: 120 * S },
    { rule: 'device_down', subject: 'ap2', opens: 120 * S, resolves: null },
  ],
};
