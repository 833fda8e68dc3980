import { S, type Scenario } from '../types.js';
import { CONFIG, TELEMETRY_MS } from './common.js';

/**
 * The MQTT collector is stopped for 30 s while every AP is up: 30 s of unknown for each AP (the
 * collector could not see them), no down time, no incident; a collector_down alert instead.
 */
export const collectorDown30s: Scenario = {
  name: 'collector down 30 s with every AP up',
  story: 'Three APs publish telemetry every 10 s (phases 0, 3 and 7 s); the collector stops at 100 s and starts again at 130 s.',
  config: CONFIG,
  devices: [{ id: 'ap1', kind: 'ap' }, { id: 'ap2', kind: 'ap' }, { id: 'ap3', kind: 'ap' }],
  events: [
    { at: 0, type: 'collector-start', collector: 'mqtt' },
    { at: 0, type: 'ap-online', device: 'ap1' },
    { at: 0, type: 'ap-online', device: 'ap2' },
    { at: 0, type: 'ap-online', device: 'ap3' },
    { at: 0, type: 'ap-telemetry', device: 'ap1', everyMs: TELEMETRY_MS },
    { at: 3 * S, type: 'ap-telemetry', device: 'ap2', everyMs: TELEMETRY_MS },
    { at: 7 * S, type: 'ap-telemetry', device: 'ap3', everyMs: TELEMETRY_MS },
    { at: 100 * S, type: 'collector-stop', collector: 'mqtt' },
    { at: 130 * S, type: 'collector-start', collector: 'mqtt' },
  ],
  window: { from: 0, to: 200 * S },
  expected: {
    // each: up [0, 100) = 100 (last telemetry at 90/93/97 s holds past 100, cut by `connected=0`);
    // unknown [100, 130) = 30; up [130, 200) = 70 (retained `online` on reconnect at 130).
    // up = 170; down = 0; unknown = 30; 170 + 30 = 200
    ap1: { up_ms: 170 * S, down_ms: 0, unknown_ms: 30 * S, maintenance_ms: 0, incidents: [] },
    ap2: { up_ms: 170 * S, down_ms: 0, unknown_ms: 30 * S, maintenance_ms: 0, incidents: [] },
    ap3: { up_ms: 170 * S, down_ms: 0, unknown_ms: 30 * S, maintenance_ms: 0, incidents: [] },
  },
  collectorGaps: { mqtt: [{ start: 100 * S, end: 130 * S }], snmp: [] },
  alerts: [{ rule: 'collector_down', subject: 'mqtt', opens: 100 * S, resolves: 130 * S }],
};
