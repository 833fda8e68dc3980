import { S, type Scenario } from '../types.js';
import { CONFIG, TELEMETRY_MS } from './common.js';

/**
 * ap1 stops publishing telemetry at 55 s but keeps its connection open, so the broker publishes no
 * Will and nobody says `offline`: up for 2.5 intervals after its last telemetry, then unknown (no
 * evidence), never down. It resumes at 150 s.
 */
export const apSilent: Scenario = {
  name: 'AP silent while its connection stays open',
  story: 'ap1 publishes telemetry every 10 s, goes silent at 55 s (last message at 50 s) and resumes at 150 s.',
  config: CONFIG,
  devices: [{ id: 'ap1', kind: 'ap' }],
  events: [
    { at: 0, type: 'collector-start', collector: 'mqtt' },
    { at: 0, type: 'ap-online', device: 'ap1' },
    { at: 0, type: 'ap-telemetry', device: 'ap1', everyMs: TELEMETRY_MS },
    { at: 55 * S, type: 'ap-silent', device: 'ap1' },
    { at: 150 * S, type: 'ap-telemetry', device: 'ap1', everyMs: TELEMETRY_MS },
  ],
  window: { from: 0, to: 200 * S },
  expected: {
    // up [0, 75) = 75 (the last telemetry at 50 s holds 2.5 × 10 = 25 s); unknown [75, 150) = 75;
    // up [150, 200) = 50. up = 125; down = 0; unknown = 75; 125 + 75 = 200
    ap1: { up_ms: 125 * S, down_ms: 0, unknown_ms: 75 * S, maintenance_ms: 0, incidents: [] },
  },
  collectorGaps: { mqtt: [], snmp: [] },
  alerts: [],
};
