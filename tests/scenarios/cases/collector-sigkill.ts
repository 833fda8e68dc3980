import { S, type Scenario } from '../types.js';
import { CONFIG, TELEMETRY_MS } from './common.js';

/**
 * The MQTT collector is killed with SIGKILL at 42 s while ap1 is offline: nothing is written at
 * the end, so only its heartbeats bound the down state it held. Beats every 5 s: the last at
 * 40 s keeps it alive to 40 + 2 × 5 = 50 s. The wrongly-down span after the kill is [42, 50) =
 * 8 s, under one AP interval (10 s); then unknown until the restart at 80 s. (Early in the run,
 * so that end to end few heartbeats have drifted before the kill.)
 */
export const collectorSigkill: Scenario = {
  name: 'collector SIGKILL while an AP is offline',
  story: 'ap1 says `offline` at 20 s; the collector is SIGKILLed at 42 s and started again at 80 s; ap1 is back at 120 s. ap2 is up throughout.',
  config: CONFIG,
  devices: [{ id: 'ap1', kind: 'ap' }, { id: 'ap2', kind: 'ap' }],
  events: [
    { at: 0, type: 'collector-start', collector: 'mqtt' },
    { at: 0, type: 'ap-online', device: 'ap1' },
    { at: 0, type: 'ap-telemetry', device: 'ap1', everyMs: TELEMETRY_MS },
    { at: 0, type: 'ap-online', device: 'ap2' },
    { at: 1 * S, type: 'ap-telemetry', device: 'ap2', everyMs: TELEMETRY_MS },
    { at: 20 * S, type: 'ap-offline-graceful', device: 'ap1' },
    { at: 42 * S, type: 'collector-sigkill', collector: 'mqtt' },
    { at: 80 * S, type: 'collector-start', collector: 'mqtt' },
    { at: 120 * S, type: 'ap-online', device: 'ap1' },
    { at: 120 * S, type: 'ap-telemetry', device: 'ap1', everyMs: TELEMETRY_MS },
  ],
  window: { from: 0, to: 160 * S },
  expected: {
    // up [0, 20) = 20; down [20, 50) = 30 (restated 30, 40; the collector counts alive to 50,
    // 2 beats after its last beat at 40); unknown [50, 80) = 30; down [80, 120) = 40 (retained
    // `offline` on restart); up [120, 160) = 40.
    // up = 20 + 40 = 60; down = 30 + 40 = 70; unknown = 30; 60 + 70 + 30 = 160
    ap1: {
      up_ms: 60 * S, down_ms: 70 * S, unknown_ms: 30 * S, maintenance_ms: 0,
      incidents: [{ start: 20 * S, end: 50 * S, duration_ms: 30 * S }, { start: 80 * S, end: 120 * S, duration_ms: 40 * S }],
    },
    // up [0, 50) = 50 (telemetry at 41 s would hold to 66, the collector's death at 50 ends it);
    // unknown [50, 80) = 30; up [80, 160) = 80. up = 130; unknown = 30
    ap2: { up_ms: 130 * S, down_ms: 0, unknown_ms: 30 * S, maintenance_ms: 0, incidents: [] },
  },
  collectorGaps: { mqtt: [{ start: 50 * S, end: 80 * S }], snmp: [] },
  alerts: [
    { rule: 'device_down', subject: 'ap1', opens: 20 * S, resolves: 50 * S },
    { rule: 'collector_down', subject: 'mqtt', opens: 50 * S, resolves: 80 * S },
    { rule: 'device_down', subject: 'ap1', opens: 80 * S, resolves: 120 * S },
  ],
};
