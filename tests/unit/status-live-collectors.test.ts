/**
 * The live state's collector liveness (server/status/live-collectors.ts): the gaps are
 * collectorGaps' over the points held, up to +Infinity, and each change records the first instant
 * at which the gaps differ, which is what lets a device's cached figures before it stand.
 */
import { describe, expect, it } from 'vitest';
import { CollectorLiveness, firstDifference } from '../../server/status/live-collectors.js';
import type { CollectorStatusPoint } from '../../server/status/index.js';

const beat = (time: number, collector = 'snmp', instance = 'a'): CollectorStatusPoint => ({ time, collector, instance, connected: true, heartbeatS: 10 });

describe('firstDifference', () => {
  it('is the first instant at which two span lists say different things', () => {
    expect(firstDifference([{ start: 0, end: 10 }], [{ start: 0, end: 10 }])).toBe(Infinity);
    // same start, ends 10 and 15: they agree up to 10
    expect(firstDifference([{ start: 0, end: 10 }], [{ start: 0, end: 15 }])).toBe(10);
    expect(firstDifference([{ start: 5, end: 10 }], [{ start: 3, end: 10 }])).toBe(3);
    expect(firstDifference([{ start: 0, end: 10 }], [{ start: 0, end: 10 }, { start: 40, end: 50 }])).toBe(40);
    expect(firstDifference([], [{ start: 7, end: Infinity }])).toBe(7);
  });
});

describe('CollectorLiveness', () => {
  it('a heartbeat (H = 10 s) keeps the collector alive 20 s; the next one moves the gap from 20 s to 30 s', () => {
    const c = new CollectorLiveness();
    c.reset(0, [beat(0)]);
    // alive [0, 20 000): dead from 20 000 on
    expect(c.gapsOf('snmp')).toEqual([{ start: 20_000, end: Infinity }]);
    const v = c.version('snmp');
    c.add([beat(10_000)]);
    expect(c.gapsOf('snmp')).toEqual([{ start: 30_000, end: Infinity }]);
    // figures before 20 000 (the old gap's start) did not change
    expect(c.changedSince('snmp', v)).toBe(20_000);
    // the same point again (the reconciliation reading what the feed brought) changes nothing
    const v2 = c.version('snmp');
    c.add([beat(10_000)]);
    expect(c.version('snmp')).toBe(v2);
    expect(c.changedSince('snmp', v2)).toBe(Infinity);
  });

  it('pruning keeps a silent collector\'s last word: its heartbeats ran out, so it stays dead', () => {
    const c = new CollectorLiveness();
    c.reset(0, [beat(0), beat(10_000), beat(500_000, 'mqtt', 'm')]);
    c.prune(100_000);
    // snmp: last beat at 10 000 kept, alive to 30 000, dead from the new range start on
    expect(c.gapsOf('snmp')).toEqual([{ start: 100_000, end: Infinity }]);
    // mqtt: its beat at 500 000 is kept as it is; dead before it and from 520 000
    expect(c.gapsOf('mqtt')).toEqual([{ start: 100_000, end: 500_000 }, { start: 520_000, end: Infinity }]);
  });
});
