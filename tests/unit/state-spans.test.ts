/**
 * server/status/state-spans.ts: a timeline as one ordered list of spans tiling its window, each
 * unknown span with its reason. Times are minutes; every expectation is read off the timeline.
 */
import { describe, expect, it } from 'vitest';
import { deviceTimeline, stateSpans, type Timeline } from '../../server/status/index.js';

const M = 60_000;
const s = (a: number, b: number): { start: number; end: number } => ({ start: a * M, end: b * M });

describe('stateSpans', () => {
  it('tiles the window: up, down, maintenance, unreadable, collector-down and no evidence, in time order', () => {
    const t: Timeline = {
      window: s(0, 100),
      up: [s(0, 10), s(60, 70)],
      down: [s(10, 20)],
      unreadable: [s(30, 40)],
      maintenance: [s(40, 50)],
      collectorDown: [s(70, 80)],
      unreadableReason: 'snmp: authorizationError',
    };
    const spans = stateSpans(t);
    expect(spans).toEqual([
      { ...s(0, 10), state: 'up' },
      { ...s(10, 20), state: 'down' },
      { ...s(20, 30), state: 'unknown', reason: 'no-evidence' },
      { ...s(30, 40), state: 'unknown', reason: 'unreadable' },
      { ...s(40, 50), state: 'maintenance' },
      { ...s(50, 60), state: 'unknown', reason: 'no-evidence' },
      { ...s(60, 70), state: 'up' },
      { ...s(70, 80), state: 'unknown', reason: 'collector-down' },
      { ...s(80, 100), state: 'unknown', reason: 'no-evidence' },
    ]);
    // the spans add up to the window: 100 min
    expect(spans.reduce((n, x) => n + x.end - x.start, 0)).toBe(100 * M);
  });

  it('gives one no-evidence span for a device never heard from, and none for an empty window', () => {
    expect(stateSpans({ window: s(0, 30), up: [], down: [], unreadable: [], maintenance: [], collectorDown: [] }))
      .toEqual([{ ...s(0, 30), state: 'unknown', reason: 'no-evidence' }]);
    expect(stateSpans({ window: s(5, 5), up: [], down: [], unreadable: [], maintenance: [], collectorDown: [] })).toEqual([]);
  });

  it('follows deviceTimeline: a down restated every 10 min, then silence, then up until now', () => {
    // interval 10 min: an up holds 25 min after the last sample; down samples at 0 and 10, up at 40
    const t = deviceTimeline({
      samples: [{ time: 0, up: false }, { time: 10 * M, up: false }, { time: 40 * M, up: true }],
      from: 0, to: 120 * M, now: 60 * M, intervalMs: 10 * M,
    });
    // down from 0; the down at 10 holds 25 min (to 35); nothing 35..40; up from 40 to now (60)
    expect(stateSpans(t)).toEqual([
      { ...s(0, 35), state: 'down' },
      { ...s(35, 40), state: 'unknown', reason: 'no-evidence' },
      { ...s(40, 60), state: 'up' },
    ]);
  });
});
