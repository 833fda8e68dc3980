import { S, polls, type Scenario } from '../types.js';
import { CONFIG, POLL_MS } from './common.js';

/**
 * A node polled every 60 s (the SNMP collector's intervalS) with no intervalS in the inventory:
 * its effective interval is 60 s, so it is never unknown between two of its polls.
 */
export const snmpSteady: Scenario = {
  name: 'SNMP node polled every 60 s, no intervalS in the inventory',
  story: 'node1 answers every poll, at 0, 60, ..., 540 s.',
  config: CONFIG,
  devices: [{ id: 'node1', kind: 'node' }],
  events: [
    { at: 0, type: 'collector-start', collector: 'snmp' },
    ...polls('node1', 0, 600 * S, POLL_MS, 'snmp-answer'),
  ],
  window: { from: 0, to: 600 * S },
  expected: {
    // 10 answers 60 s apart: each holds until the next (60 s < 150 s hold); the last (540 s) holds
    // to 540 + 150 = 690 > 600. up = 600 s; unknown = 0
    node1: { up_ms: 600 * S, down_ms: 0, unknown_ms: 0, maintenance_ms: 0, incidents: [] },
  },
  collectorGaps: { mqtt: [], snmp: [] },
  alerts: [],
};
