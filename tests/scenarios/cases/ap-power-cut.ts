import { S, type Scenario } from '../types.js';
import { CONFIG, TELEMETRY_MS } from './common.js';

/**
 * The demo's power cut: ap1's socket dies at 105 s, the broker publishes its Will (`offline`),
 * power is back at 165 s. Down holds for the whole minute (the collector restates it every 10 s),
 * not 2.5 intervals followed by unknown. ap2 is up throughout, as a control.
 */
export const apPowerCut: Scenario = {
  name: 'AP power cut 60 s',
  story: 'ap1 loses power at 105 s (Will `offline`) and is back at 165 s; ap2 stays up.',
  config: CONFIG,
  devices: [{ id: 'ap1', kind: 'ap' }, { id: 'ap2', kind: 'ap' }],
  events: [
    { at: 0, type: 'collector-start', collector: 'mqtt' },
    { at: 0, type: 'ap-online', device: 'ap1' },
    { at: 0, type: 'ap-telemetry', device: 'ap1', everyMs: TELEMETRY_MS },
    { at: 0, type: 'ap-online', device: 'ap2' },
    { at: 4 * S, type: 'ap-telemetry', device: 'ap2', everyMs: TELEMETRY_MS },
    { at: 105 * S, type: 'ap-power-cut', device: 'ap1' },
    { at: 165 * S, type: 'ap-power-back', device: 'ap1' },
  ],
  window: { from: 0, to: 300 * S },
  expected: {
    // up [0, 105) = 105 s (last telemetry at 100 s, superseded by the Will at 105 s)
    // down [105, 165) = 60 s (Will at 105, restated at 115, 125, ..., 155; `online` at 165)
    // up [165, 300) = 135 s (telemetry 165, 175, ..., 295; the last holds to 320 > 300)
    // up = 105 + 135 = 240 s; down = 60 s; unknown = 300 - 240 - 60 = 0
    ap1: { up_ms: 240 * S, down_ms: 60 * S, unknown_ms: 0, maintenance_ms: 0, incidents: [{ start: 105 * S, end: 165 * S, duration_ms: 60 * S }] },
    // `online` at 0, telemetry 4, 14, ..., 294 s: each within 25 s of the last, up [0, 300) = 300 s
    ap2: { up_ms: 300 * S, down_ms: 0, unknown_ms: 0, maintenance_ms: 0, incidents: [] },
  },
  collectorGaps: { mqtt: [], snmp: [] },
  alerts: [{ rule: 'device_down', subject: 'ap1', opens: 105 * S, resolves: 165 * S }],
};
