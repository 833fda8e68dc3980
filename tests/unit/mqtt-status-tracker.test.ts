/**
 * The MQTT collector's StatusTracker (messages -> device_status samples, restatement of the APs
 * known down) and DownRestater (one timer per effective interval while connected). Pure units: the
 * restater's timers run on vitest's fake clock.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StatusTracker } from '../../collectors/mqtt/status-tracker.js';
import { DownRestater } from '../../collectors/mqtt/down-restater.js';
import type { Device } from '../../core/device.js';
import type { Point } from '../../core/point.js';

const ap = (id: string, intervalS?: number): Device => ({
  id, tech: 'wifi', site: 's', area: 'a', location: { lat: 0, lon: 0 }, ...(intervalS !== undefined ? { intervalS } : {}),
});
const ap1 = ap('ap-1');
const sample = (p: Point | undefined) => (p ? [p.time, p.fields['up']] : undefined);

describe('StatusTracker', () => {
  it('writes an up sample for every telemetry message, at its time (no thinning: up holds from the last evidence)', () => {
    const t = new StatusTracker();
    // three messages 10 s apart, received 5 ms after their ts
    expect([0, 10_000, 20_000].map((ts) => sample(t.onTelemetry(ap1, ts, ts + 5)))).toEqual([[0, 1], [10_000, 1], [20_000, 1]]);
  });

  it('stamps telemetry from a clock ahead of ours with its receive time, never in the future', () => {
    const t = new StatusTracker();
    expect(sample(t.onTelemetry(ap1, 5_000, 1_000))).toEqual([1_000, 1]);
  });

  it('writes every status message, with the tags of the inventory', () => {
    const t = new StatusTracker();
    const p = t.onStatus(ap1, false, 1000);
    expect([p.time, p.fields]).toEqual([1000, { up: 0 }]);
    expect(p.tags).toEqual({ device: 'ap-1', site: 's', area: 'a', tech: 'wifi', source: 'mqtt' });
    expect(sample(t.onStatus(ap1, false, 2000))).toEqual([2000, 0]);
    expect(sample(t.onStatus(ap1, true, 3000))).toEqual([3000, 1]);
  });

  it('does not write telemetry older than the current state, and lets later telemetry prove the AP up after an offline', () => {
    const t = new StatusTracker();
    t.onStatus(ap1, false, 1000);
    expect(t.onTelemetry(ap1, 500, 1200)).toBeUndefined(); // from before the offline
    expect(sample(t.onTelemetry(ap1, 2000, 2005))).toEqual([2000, 1]);
    expect(t.lastSample('ap-1')).toBe('up');
    t.onStatus(ap1, true, 3000);
    expect(t.onTelemetry(ap1, 2500, 3100)).toBeUndefined(); // older than the online that began this state
  });

  it('never rewrites a down sample with telemetry stamped at its very instant, nor with older telemetry after restatements', () => {
    const t = new StatusTracker();
    t.onStatus(ap1, false, 1000);
    // same series, same time: an up sample at 1000 would replace the down one in the store
    expect(t.onTelemetry(ap1, 1000, 1000)).toBeUndefined();
    expect(t.restateDown(61_000, () => ap1).map((p) => p.time)).toEqual([61_000]);
    // stamped 30 000 (between the offline and its restatement) and received before the restatement
    expect(t.onTelemetry(ap1, 30_000, 60_000)).toBeUndefined();
    expect(t.lastSample('ap-1')).toBe('down');
  });

  it('keeps its floors across a restart: a new tracker given them writes no telemetry stamped at or before them', () => {
    const before = new StatusTracker();
    before.onStatus(ap1, false, 1000);
    before.restateDown(61_000, () => ap1);
    const ap2 = ap('ap-2');
    before.onTelemetry(ap2, 5000, 5000);
    before.onTelemetry(ap2, 15_000, 15_000);
    // ap-1 down: known to its last restatement; ap-2 up: its state began at 5000 (later up samples are evidence only)
    expect(before.floors()).toEqual({ 'ap-1': 61_000, 'ap-2': 5000 });
    const after = new StatusTracker();
    after.restoreFloors(before.floors());
    expect(after.onTelemetry(ap1, 30_000, 70_000)).toBeUndefined();
    expect(after.onTelemetry(ap1, 61_000, 70_000)).toBeUndefined();
    expect(sample(after.onTelemetry(ap1, 62_000, 70_000))).toEqual([62_000, 1]);
    expect(after.onTelemetry(ap2, 4000, 70_000)).toBeUndefined();
    expect(after.downIds()).toEqual([]); // a floor restates nothing
  });

  it('places a status after a later-stamped sample so that it supersedes it', () => {
    const t = new StatusTracker();
    t.onTelemetry(ap1, 5000, 5000);
    // the Will arrives stamped 4999 by a clock that stepped back 1 ms: down must still come last
    expect(sample(t.onStatus(ap1, false, 4999))).toEqual([5001, 0]);
  });

  it('restates only the APs whose last sample is down, at the given time, and never restates up', () => {
    const t = new StatusTracker();
    const ap2 = ap('ap-2');
    const ap3 = ap('ap-3');
    const inv = new Map([ap1, ap2, ap3].map((d) => [d.id, d]));
    t.onStatus(ap1, false, 1000);
    t.onStatus(ap2, true, 1000);
    t.onTelemetry(ap3, 1000, 1000);
    expect(t.restateDown(60_000, (id) => inv.get(id)).map((p) => [p.tags['device'], p.time, p.fields['up']])).toEqual([['ap-1', 60_000, 0]]);
    expect(t.downIds()).toEqual(['ap-1']);
    // telemetry stamped before that restatement (its clock lags) but received after: stamped at its arrival
    expect(sample(t.onTelemetry(ap1, 59_000, 60_010))).toEqual([60_010, 1]);
    expect(t.restateDown(120_000, (id) => inv.get(id))).toEqual([]);
  });

  it('keeps a restated AP to the `select` filter and forgets an AP gone from the inventory', () => {
    const t = new StatusTracker();
    t.onStatus(ap1, false, 0);
    t.onStatus(ap('ap-gone'), false, 0);
    expect(t.restateDown(10_000, (id) => (id === 'ap-1' ? ap1 : undefined), () => false)).toEqual([]);
    expect(t.downIds()).toEqual(['ap-1']);
  });
});

describe('DownRestater', () => {
  afterEach(() => { vi.useRealTimers(); });

  function setUp() {
    vi.useFakeTimers({ now: 0 });
    const tracker = new StatusTracker();
    const devices = new Map<string, Device>([['ap-1', ap('ap-1')], ['ap-2', ap('ap-2', 5)], ['ap-3', ap('ap-3')]]);
    const written: Array<[string, number, number]> = [];
    const restater = new DownRestater({
      tracker,
      lookup: (id) => devices.get(id),
      // the default interval 10 s; ap-2's inventory intervalS 5 s
      intervalMsOf: (d) => 1000 * (d.intervalS ?? 10),
      now: () => Date.now(),
      write: (points) => { for (const p of points) written.push([String(p.tags['device']), p.time, Number(p.fields['up'])]); },
    });
    return { tracker, devices, written, restater };
  }

  it('restates each down AP once per its interval while running, and nothing while paused', () => {
    const { tracker, devices, written, restater } = setUp();
    restater.resume();
    tracker.onStatus(devices.get('ap-1')!, false, 0);
    restater.noteDown(devices.get('ap-1')!);
    tracker.onStatus(devices.get('ap-2')!, false, 0);
    restater.noteDown(devices.get('ap-2')!);
    tracker.onStatus(devices.get('ap-3')!, true, 0);
    expect(restater.intervals()).toEqual([5000, 10_000]);
    vi.advanceTimersByTime(20_000);
    // ap-2 every 5 s (5, 10, 15, 20 s), ap-1 every 10 s (10, 20 s), ap-3 (up) never
    expect(written.filter((w) => w[0] === 'ap-2').map((w) => w[1])).toEqual([5000, 10_000, 15_000, 20_000]);
    expect(written.filter((w) => w[0] === 'ap-1').map((w) => w[1])).toEqual([10_000, 20_000]);
    expect(written.every((w) => w[2] === 0 && w[0] !== 'ap-3')).toBe(true);

    restater.pause();
    written.length = 0;
    vi.advanceTimersByTime(60_000);
    expect(written).toEqual([]);
    expect(restater.intervals()).toEqual([]);

    // a reconnection: the states were kept, so both are restated again
    restater.resume();
    vi.advanceTimersByTime(10_000);
    expect(written.map((w) => w[0]).sort()).toEqual(['ap-1', 'ap-2', 'ap-2']);
  });

  it('drops a timer once no AP of its interval is down', () => {
    const { tracker, devices, written, restater } = setUp();
    restater.resume();
    tracker.onStatus(devices.get('ap-2')!, false, 0);
    restater.noteDown(devices.get('ap-2')!);
    vi.advanceTimersByTime(5000);
    tracker.onStatus(devices.get('ap-2')!, true, 6000);
    vi.advanceTimersByTime(5000);
    expect(written.map((w) => w[1])).toEqual([5000]);
    expect(restater.intervals()).toEqual([]);
  });
});
