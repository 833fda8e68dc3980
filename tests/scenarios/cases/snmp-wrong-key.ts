import { S, polls, type Scenario } from '../types.js';
import { CONFIG, POLL_MS } from './common.js';

/**
 * A wrong SNMPv3 key is our misconfiguration, not the device's outage: every poll is unreadable
 * (`{unreadable: 1, reason}` without `up`), which is unknown time with its reason, never down.
 */
export const snmpWrongKey: Scenario = {
  name: 'wrong SNMPv3 key',
  story: 'node1 has had a wrong auth key from the start; node2 answers, then its key is wrong for the polls at 180 and 240 s, then it answers again from 300 s.',
  config: CONFIG,
  devices: [{ id: 'node1', kind: 'node' }, { id: 'node2', kind: 'node' }],
  events: [
    { at: 0, type: 'collector-start', collector: 'snmp' },
    ...polls('node1', 0, 600 * S, POLL_MS, 'snmp-auth-failure'),
    ...polls('node2', 0, 180 * S, POLL_MS, 'snmp-answer'),
    ...polls('node2', 180 * S, 300 * S, POLL_MS, 'snmp-auth-failure'),
    ...polls('node2', 300 * S, 600 * S, POLL_MS, 'snmp-answer'),
  ],
  window: { from: 0, to: 600 * S },
  expected: {
    // unreadable [0, 600): unknown 600 s; up 0; down 0 (uptime undefined, not 0 %)
    node1: { up_ms: 0, down_ms: 0, unknown_ms: 600 * S, maintenance_ms: 0, incidents: [] },
    // up [0, 180) = 180; unreadable [180, 300) = 120 (unknown); up [300, 600) = 300.
    // up = 480; down = 0; unknown = 120
    node2: { up_ms: 480 * S, down_ms: 0, unknown_ms: 120 * S, maintenance_ms: 0, incidents: [] },
  },
  collectorGaps: { mqtt: [], snmp: [] },
  alerts: [
    { rule: 'device_unreadable', subject: 'node1', opens: 0, resolves: null },
    { rule: 'device_unreadable', subject: 'node2', opens: 180 * S, resolves: 300 * S },
  ],
};
