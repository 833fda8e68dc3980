import { S, type Scenario } from '../types.js';
import { CONFIG, TELEMETRY_MS } from './common.js';

/**
 * The MQTT collector is killed with SIGKILL at 102 s while ap1 is offline: nothing is written at
 * the end, so only its heartbeats bound the down state it held. Beats every 5 s: the last at
 * 100 s keeps it alive to 100 + 2 × 5 = 110 s. The wrongly-down span after the kill is
 * [102, 110) = 8 s, under one AP interval (10 s); then unknown until the restart at 160 s.
 */
export const collectorSigkill: Scenario = {
  name: 'collector SIGKILL while an AP is offline',
  story: 'ap1 says `offline` at 50 s; the collector is SIGKILLed at 102 s and started again at 160 s; ap1 is back at 220 s. ap2 is up throughout.',
  config: CONFIG,
  devices: [{ id: 'ap1', kind: 'ap' }, { id: 'ap2', kind: 'ap' }],
  events: [
    { at: 0, type: 'collector-start', collector: 'mqtt' },
    { at: 0, type: 'ap-online', device: 'ap1' },
    { at: 0, type: 'ap-telemetry', device: 'ap1', everyMs: TELEMETRY_MS },
    { at: 0, type: 'ap-online', device: 'ap2' },
    { at: 1 * S, type: 'ap-telemetry', device: 'ap2', everyMs: TELEMETRY_MS },
    { at: 50 * S, type: 'ap-offline-graceful', device: 'ap1' },
    { at: 102 * S, type: 'collector-sigkill', collector: 'mqtt' },
    { at: 160 * S, type: 'collector-start', collector: 'mqtt' },
    { at: 220 * S, type: 'ap-online', device: 'ap1' },
    { at: 220 * S, type: 'ap-telemetry', device: 'ap1', everyMs: TELEMETRY_MS },
  ],
  window: { from: 0, to: 300 * S },
  expected: {
    // up [0, 50) = 50; down [50, 110) = 60 (restated 60..100; the collector counts alive to 110,
    // 2 beats after its last beat at 100); unknown [110, 160) = 50; down [160, 220) = 60
    // (retained `offline` on restart); up [220, 300) = 80.
    // up = 50 + 80 = 130; down = 60 + 60 = 120; unknown = 50; 130 + 120 + 50 = 300
    ap1: {
      up_ms: 130 * S, down_ms: 120 * S, unknown_ms: 50 * S, maintenance_ms: 0,
      incidents: [{ start: 50 * S, end: 110 * S, duration_ms: 60 * S }, { start: 160 * S, end: 220 * S, duration_ms: 60 * S }],
    },
    // up [0, 110) = 110 (telemetry at 101 s would hold to 126, the collector's death at 110 ends it);
    // unknown [110, 160) = 50; up [160, 300) = 140. up = 250; unknown = 50
    ap2: { up_ms: 250 * S, down_ms: 0, unknown_ms: 50 * S, maintenance_ms: 0, incidents: [] },
  },
  collectorGaps: { mqtt: [{ start: 110 * S, end: 160 * S }], snmp: [] },
  alerts: [
    { rule: 'device_down', subject: 'ap1', opens: 50 * S, resolves: 110 * S },
    { rule: 'collector_down', subject: 'mqtt', opens: 110 * S, resolves: 160 * S },
    { rule: 'device_down', subject: 'ap1', opens: 160 * S, resolves: 220 * S },
  ],
};
