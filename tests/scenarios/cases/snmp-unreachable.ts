import { S, polls, type Scenario } from '../types.js';
import { CONFIG, POLL_MS } from './common.js';

/**
 * A node unreachable for 3 minutes (from 150 s to 330 s): the polls at 180, 240 and 300 s get no
 * answer, the one at 360 s does. Down from the first failed poll to the first answer.
 */
export const snmpUnreachable: Scenario = {
  name: 'SNMP node unreachable 3 min',
  story: 'node1 answers the polls at 0..120 s, times out at 180, 240, 300 s and answers again from 360 s; node2 answers throughout.',
  config: CONFIG,
  devices: [{ id: 'node1', kind: 'node' }, { id: 'node2', kind: 'node' }],
  events: [
    { at: 0, type: 'collector-start', collector: 'snmp' },
    ...polls('node1', 0, 180 * S, POLL_MS, 'snmp-answer'),
    ...polls('node1', 180 * S, 360 * S, POLL_MS, 'snmp-timeout'),
    ...polls('node1', 360 * S, 900 * S, POLL_MS, 'snmp-answer'),
    ...polls('node2', 0, 900 * S, POLL_MS, 'snmp-answer'),
  ],
  window: { from: 0, to: 900 * S },
  expected: {
    // up [0, 180) = 180; down [180, 360) = 180 (3 timeouts, each restating the last); up [360, 900) = 540.
    // up = 720; down = 180; unknown = 0; uptime 720 / 900 = 80 %
    node1: { up_ms: 720 * S, down_ms: 180 * S, unknown_ms: 0, maintenance_ms: 0, incidents: [{ start: 180 * S, end: 360 * S, duration_ms: 180 * S }] },
    node2: { up_ms: 900 * S, down_ms: 0, unknown_ms: 0, maintenance_ms: 0, incidents: [] },
  },
  collectorGaps: { mqtt: [], snmp: [] },
  alerts: [{ rule: 'device_down', subject: 'node1', opens: 180 * S, resolves: 360 * S }],
};
