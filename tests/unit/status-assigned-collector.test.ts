/**
 * A device is unknown only while ITS collector instance is down (server/status/collector-liveness.ts
 * assignedGaps): two SNMP instances, A killed, B alive; hand-computed spans.
 */
import { describe, expect, it } from 'vitest';
import { assignedGaps, collectorGaps, deviceTimeline, instanceKey, type CollectorStatusPoint } from '../../server/status/index.js';

const S = 1000;
const beats = (instance: string, times: number[]): CollectorStatusPoint[] => times.map((t) => ({ time: t * S, collector: 'snmp', instance, connected: true, heartbeatS: 5 }));

// A beats at 0, 5, 10 s (then is killed); B beats every 5 s from 0 to 40 s. Hold = 2 × 5 s = 10 s.
// A alive [0, 20 s); B alive [0, 50 s). The collector (alive when any instance is): gap [50, 60 s).
const points = [...beats('A', [0, 5, 10]), ...beats('B', [0, 5, 10, 15, 20, 25, 30, 35, 40])];
const gaps = collectorGaps(points, 0, 60 * S);

describe('the assigned collector instance', () => {
  it('collectorGaps lists an instance\'s own gaps only where they differ from its collector\'s', () => {
    expect(gaps.get('snmp')).toEqual([{ start: 50 * S, end: 60 * S }]);
    expect(gaps.get(instanceKey('snmp', 'A'))).toEqual([{ start: 20 * S, end: 60 * S }]);
    // B's own gaps are the collector's: not listed
    expect(gaps.has(instanceKey('snmp', 'B'))).toBe(false);
  });

  it('a device polled by A, then by B after A died, is unknown from A\'s death to B\'s first poll', () => {
    const samples = [{ time: 8 * S, up: true, tags: { instance: 'A' } }, { time: 27 * S, up: true, tags: { instance: 'B' } }];
    // [8, 27): A's gaps → [20, 27); [27, ∞): B's = the collector's → [50, 60)
    const down = assignedGaps(gaps, 'snmp', samples);
    expect(down).toEqual([{ start: 20 * S, end: 27 * S }, { start: 50 * S, end: 60 * S }]);
    const t = deviceTimeline({ samples, from: 0, to: 60 * S, now: 60 * S, intervalMs: 10 * S, collectorDown: down });
    // up at 8 s holds to min(next 27, 8 + 2.5 × 10 = 33, A's gap at 20) = 20; B's up at 27 holds to min(27 + 25 = 52, gap 50) = 50
    expect(t.up).toEqual([{ start: 8 * S, end: 20 * S }, { start: 27 * S, end: 50 * S }]);
    expect(t.collectorDown).toEqual([{ start: 20 * S, end: 27 * S }, { start: 50 * S, end: 60 * S }]);
    expect(t.down).toEqual([]);
  });

  it('a device polled by B is not made unknown by A dying', () => {
    const samples = [{ time: 8 * S, up: true, tags: { instance: 'B' } }, { time: 18 * S, up: true, tags: { instance: 'B' } }, { time: 28 * S, up: true, tags: { instance: 'B' } }];
    const down = assignedGaps(gaps, 'snmp', samples);
    expect(down).toEqual([{ start: 50 * S, end: 60 * S }]);
    // up from 8 s to min(28 + 25 = 53, 50) = 50
    expect(deviceTimeline({ samples, from: 0, to: 60 * S, now: 60 * S, intervalMs: 10 * S, collectorDown: down }).up).toEqual([{ start: 8 * S, end: 50 * S }]);
  });

  it('a down state held by a dead instance ends at its death, not 2.5 intervals later', () => {
    const samples = [{ time: 12 * S, up: false, tags: { instance: 'A' } }];
    const t = deviceTimeline({ samples, from: 0, to: 60 * S, now: 60 * S, intervalMs: 10 * S, collectorDown: assignedGaps(gaps, 'snmp', samples) });
    // down from 12 s to min(12 + 25 = 37, A's gap at 20) = 20
    expect(t.down).toEqual([{ start: 12 * S, end: 20 * S }]);
  });

  it('samples without an instance tag keep the collector\'s gaps (no sharding)', () => {
    expect(assignedGaps(gaps, 'snmp', [{ time: 8 * S }])).toEqual([{ start: 50 * S, end: 60 * S }]);
    expect(assignedGaps(gaps, 'snmp', [])).toEqual([{ start: 50 * S, end: 60 * S }]);
  });
});
