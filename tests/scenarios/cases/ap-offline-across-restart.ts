import { S, type Scenario } from '../types.js';
import { CONFIG, TELEMETRY_MS } from './common.js';

/**
 * ap1 loses power and stays off while the MQTT collector is restarted: down before the restart,
 * unknown while the collector is stopped, down again from the retained `offline` it gets on
 * reconnecting, up when the AP is back.
 */
export const apOfflineAcrossRestart: Scenario = {
  name: 'AP offline across a collector restart',
  story: 'ap1 loses power at 50 s; the collector stops cleanly at 100 s and starts again at 130 s; ap1 is back at 200 s. ap2 is up throughout.',
  config: CONFIG,
  devices: [{ id: 'ap1', kind: 'ap' }, { id: 'ap2', kind: 'ap' }],
  events: [
    { at: 0, type: 'collector-start', collector: 'mqtt' },
    { at: 0, type: 'ap-online', device: 'ap1' },
    { at: 0, type: 'ap-telemetry', device: 'ap1', everyMs: TELEMETRY_MS },
    { at: 0, type: 'ap-online', device: 'ap2' },
    { at: 2 * S, type: 'ap-telemetry', device: 'ap2', everyMs: TELEMETRY_MS },
    { at: 50 * S, type: 'ap-power-cut', device: 'ap1' },
    { at: 100 * S, type: 'collector-stop', collector: 'mqtt' },
    { at: 130 * S, type: 'collector-start', collector: 'mqtt' },
    { at: 200 * S, type: 'ap-power-back', device: 'ap1' },
  ],
  window: { from: 0, to: 300 * S },
  expected: {
    // up [0, 50) = 50; down [50, 100) = 50 (Will, restated 60..90; `connected=0` at 100 ends it);
    // unknown [100, 130) = 30 (collector stopped); down [130, 200) = 70 (retained `offline`
    // delivered on reconnect, restated 140..190); up [200, 300) = 100.
    // up = 50 + 100 = 150; down = 50 + 70 = 120; unknown = 30; 150 + 120 + 30 = 300
    ap1: {
      up_ms: 150 * S, down_ms: 120 * S, unknown_ms: 30 * S, maintenance_ms: 0,
      incidents: [{ start: 50 * S, end: 100 * S, duration_ms: 50 * S }, { start: 130 * S, end: 200 * S, duration_ms: 70 * S }],
    },
    // up [0, 100) = 100; unknown [100, 130) = 30; up [130, 300) = 170 (retained `online` at 130,
    // telemetry 132, 142, ...). up = 270; unknown = 30
    ap2: { up_ms: 270 * S, down_ms: 0, unknown_ms: 30 * S, maintenance_ms: 0, incidents: [] },
  },
  collectorGaps: { mqtt: [{ start: 100 * S, end: 130 * S }], snmp: [] },
  alerts: [
    { rule: 'device_down', subject: 'ap1', opens: 50 * S, resolves: 100 * S },
    { rule: 'collector_down', subject: 'mqtt', opens: 100 * S, resolves: 130 * S },
    { rule: 'device_down', subject: 'ap1', opens: 130 * S, resolves: 200 * S },
  ],
};
