import { describe, expect, it } from 'vitest';
import { groupUptime, type UptimeResult } from '../../server/analytics/uptime.js';
import { deviceUptime } from '../../server/status/index.js';
import { deviceIncidents, rankByImpact } from '../../server/status/index.js';

const S = 1000; // times below are in seconds, × S for ms
const at = (t: number, up: boolean) => ({ time: t * S, up });

describe('deviceUptime', () => {
  it('counts a state until the next sample but no longer than 2.5 intervals without fresh evidence or restatement', () => {
    // interval 60 s -> up holds 150 s after its evidence; a down holds while restated every
    // interval, and one not restated for 150 s means nobody watches (it ends). Window [0, 600 s).
    // 0 up, 50 up, 170 down, 200 down (not restated: holds 200..350, then unknown 350..400), 400 up (holds
    // 400..550, unknown 550..590), 590 up (to 600).
    // up = 50 + 120 + 150 + 10 = 330; down = 30 + 150 = 180; unknown = 50 + 40 = 90; 330+180+90 = 600
    const r = deviceUptime({
      samples: [at(0, true), at(50, true), at(170, false), at(200, false), at(400, true), at(590, true)],
      from: 0, to: 600 * S, now: 1000 * S, intervalMs: 60 * S,
    });
    expect(r).toEqual({ up_ms: 330 * S, down_ms: 180 * S, unknown_ms: 90 * S, maintenance_ms: 0, counted_ms: 600 * S, uptime: 330 / 510 });
  });

  it('starts a window mid-outage from the last sample before it', () => {
    // -100 down, 30 down, 120 up, 240 up; interval 60 s (hold 150 s); window [0, 300 s)
    // down -100..30 and 30..120 -> 0..120 in window = 120; up 120..240 and 240..390 -> 120..300 = 180
    const r = deviceUptime({ samples: [at(-100, false), at(30, false), at(120, true), at(240, true)], from: 0, to: 300 * S, now: 300 * S, intervalMs: 60 * S });
    expect(r).toMatchObject({ up_ms: 180 * S, down_ms: 120 * S, unknown_ms: 0, uptime: 0.6 });
  });

  it('excludes maintenance, turns collector-down time unknown, and does not count time after now', () => {
    // interval 100 s (hold 250 s). 0 up, 100 up, 200 down, 300 down, 400 down, 500 up, 600 up.
    // Window [0, 1000 s) but now = 700 s -> counted [0, 700) = 700.
    // raw: up 0..200, down 200..500, up 500..700.
    // maintenance 250..350 -> down 200..250 + 350..500; collector down 450..520 -> down ..450, and
    // the sample at 500 was taken while the collector counted as down: it says nothing (a state
    // never carries across a collector gap); the sample at 600 is up again, 600..700.
    // up = 200 + 100 = 300; down = 50 + 100 = 150; maintenance = 100; unknown = 700 - 550 = 150
    const r = deviceUptime({
      samples: [at(0, true), at(100, true), at(200, false), at(300, false), at(400, false), at(500, true), at(600, true)],
      from: 0, to: 1000 * S, now: 700 * S, intervalMs: 100 * S,
      maintenance: [{ start: 250 * S, end: 350 * S }], collectorDown: [{ start: 450 * S, end: 520 * S }],
    });
    expect(r).toEqual({ up_ms: 300 * S, down_ms: 150 * S, unknown_ms: 150 * S, maintenance_ms: 100 * S, counted_ms: 700 * S, uptime: 300 / 450 });
  });

  it('returns uptime null, never NaN, when nothing is known', () => {
    const r = deviceUptime({ samples: [], from: 0, to: 600 * S, now: 600 * S, intervalMs: 60 * S });
    expect(r).toEqual({ up_ms: 0, down_ms: 0, unknown_ms: 600 * S, maintenance_ms: 0, counted_ms: 600 * S, uptime: null });
    const future = deviceUptime({ samples: [at(0, true)], from: 100 * S, to: 600 * S, now: 50 * S, intervalMs: 60 * S });
    expect(future.counted_ms).toBe(0);
    expect(future.uptime).toBeNull();
  });

  it('lets the later of two samples at the same time decide the state', () => {
    // 0 up then 0 down (same time), interval 100 s: down 0..100 (window end)
    const r = deviceUptime({ samples: [at(0, true), at(0, false)], from: 0, to: 100 * S, now: 100 * S, intervalMs: 100 * S });
    expect(r).toMatchObject({ up_ms: 0, down_ms: 100 * S });
  });
});

describe('groupUptime', () => {
  const res = (up: number, down: number, unknown = 0): UptimeResult => ({ up_ms: up, down_ms: down, unknown_ms: unknown, maintenance_ms: 0, counted_ms: up + down + unknown, uptime: up / (up + down) });
  const a = { result: res(300, 100), householdsPassed: 100 };
  const b = { result: res(100, 100, 50), householdsPassed: 300 };
  const ap = { result: res(0, 100) };

  it('weights devices by their known time', () => {
    // (300 + 100 + 0) / (400 + 200 + 100) = 400 / 700
    expect(groupUptime([a, b, ap])).toEqual({ up_ms: 400, down_ms: 300, unknown_ms: 50, maintenance_ms: 0, uptime: 400 / 700, devices: 3 });
  });

  it('with weight households counts fibre nodes by households passed and leaves out devices without', () => {
    // (100*300 + 300*100) / (100*400 + 300*200) = 60 000 / 100 000 = 0.6
    expect(groupUptime([a, b, ap], 'households')).toMatchObject({ uptime: 0.6, devices: 2 });
  });

  it('is null for an empty group', () => {
    expect(groupUptime([]).uptime).toBeNull();
  });
});

describe('deviceIncidents', () => {
  const fibre = { device: 'olt-1', tech: 'fibre' as const, area: '21004', householdsPassed: 120 };

  it('splits a run of down time at maintenance and sums to the down time', () => {
    // same data as the maintenance case: down 200..250 and 350..450
    const input = {
      samples: [at(0, true), at(100, true), at(200, false), at(300, false), at(400, false), at(500, true), at(600, true)],
      from: 0, to: 1000 * S, now: 700 * S, intervalMs: 100 * S,
      maintenance: [{ start: 250 * S, end: 350 * S }], collectorDown: [{ start: 450 * S, end: 520 * S }],
    };
    const list = deviceIncidents(input, fibre);
    expect(list.map((i) => [i.start / S, i.end! / S, i.duration_ms / S, i.ongoing])).toEqual([[200, 250, 50, false], [350, 450, 100, false]]);
    // impact of the second: 120 households × 100 s / 3600 s = 3.333… household-hours
    expect(list[1]!.impact).toEqual({ area: '21004', tech: 'fibre', households: 120, clients: 0, impact_hours: (120 * 100) / 3600 });
  });

  it('marks an outage still holding at now as ongoing, without an end', () => {
    // interval 100 s (hold 250): up 0..250, unknown 250..300, down 300..550 cut at now = 500
    const [inc] = deviceIncidents({ samples: [at(0, true), at(300, false)], from: 0, to: 1000 * S, now: 500 * S, intervalMs: 100 * S }, fibre);
    expect(inc).toMatchObject({ start: 300 * S, end: null, duration_ms: 200 * S, ongoing: true, startsBeforeWindow: false, endsAfterWindow: false });
  });

  it('says when an outage began before the window or runs past its end', () => {
    // -100 down, 30 down, 120 up: down 0..120 in window [0, 300); then window [0, 60) cuts it
    const samples = [at(-100, false), at(30, false), at(120, true)];
    const [whole] = deviceIncidents({ samples, from: 0, to: 300 * S, now: 1000 * S, intervalMs: 60 * S }, fibre);
    expect(whole).toMatchObject({ start: 0, end: 120 * S, startsBeforeWindow: true, endsAfterWindow: false, ongoing: false });
    const [cut] = deviceIncidents({ samples, from: 0, to: 60 * S, now: 1000 * S, intervalMs: 60 * S }, fibre);
    expect(cut).toMatchObject({ end: 60 * S, duration_ms: 60 * S, endsAfterWindow: true, ongoing: false });
  });

  it('ranks outages by impact, a busy AP above a short fibre cut', () => {
    // AP: 40 clients × 2 h = 80; fibre: 120 households × 0.5 h = 60
    const ap = deviceIncidents({ samples: [at(0, false)], from: 0, to: 7200 * S, now: 7200 * S, intervalMs: 3600 * S }, { device: 'ap-1', tech: 'wifi', area: 'x', recentClients: 40 });
    const olt = deviceIncidents({ samples: [at(0, false), at(1800, true)], from: 0, to: 7200 * S, now: 7200 * S, intervalMs: 3600 * S }, fibre);
    expect(rankByImpact([...olt, ...ap]).map((i) => [i.device, i.impact.impact_hours])).toEqual([['ap-1', 80], ['olt-1', 60]]);
  });
});
