import { describe, expect, it } from 'vitest';
import { alertsSchema } from '../../server/alerts/config.js';
import { emptyDeviceDownState, observe, tick, type DeviceRef } from '../../server/alerts/device-down.js';
import type { AlertEvent } from '../../server/alerts/types.js';

const cfg = alertsSchema.parse({});
const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);
const S = 1000;

interface Sample { device: string; time: number; up: boolean }

/** Feeds samples in time order and ticks every `stepMs` from T0 to `until`, as the engine does. */
function run(devices: DeviceRef[], samples: Sample[], until: number, opts: { stepMs?: number; maintenance?: (d: string, t: number) => boolean } = {}): AlertEvent[] {
  const state = emptyDeviceDownState();
  const sorted = [...samples].sort((a, b) => a.time - b.time);
  const events: AlertEvent[] = [];
  let i = 0;
  for (let now = T0; now <= until; now += opts.stepMs ?? 15 * S) {
    while (i < sorted.length && sorted[i]!.time <= now) {
      const s = sorted[i++]!;
      observe(state, s.device, s, opts.maintenance?.(s.device, s.time) ?? false);
    }
    events.push(...tick(state, { now, devices, rule: cfg.deviceDown, grouping: cfg.grouping }));
  }
  return events;
}

/** A status sample every `everyMs` from `from` to `to`, down inside [downFrom, downTo). */
function polls(device: string, from: number, to: number, everyMs: number, down: (t: number) => boolean): Sample[] {
  const out: Sample[] = [];
  for (let t = from; t < to; t += everyMs) out.push({ device, time: t, up: !down(t) });
  return out;
}

const solo: DeviceRef[] = [{ id: 'olt-1', area: 'a', site: 's1' }];

describe('device-down alerts', () => {
  it('a device down for 3 min raises one alert after 2 min and one resolved notification after 1 min up', () => {
    // polled every 10 s; down in [T0+60 s, T0+240 s)
    const samples = polls('olt-1', T0, T0 + 600 * S, 10 * S, (t) => t >= T0 + 60 * S && t < T0 + 240 * S);
    const events = run(solo, samples, T0 + 600 * S);
    expect(events.map((e) => [e.kind, e.alert.rule, e.at - T0])).toEqual([
      // down accumulates from 60 s; 2 min reached at 180 s; group wait 30 s: fired at 210 s
      ['fired', 'device_down', 210 * S],
      // up since 240 s; clear 60 s: resolved at 300 s
      ['resolved', 'device_down', 300 * S],
    ]);
    expect(events[0]!.alert.startedAt).toBe(T0 + 60 * S);
    expect(events[0]!.alert.flapping).toBe(false);
    expect(events[1]!.id).toBe(`device_down:olt-1:${T0 + 60 * S}:resolved`);
  });

  it('a ten-second blip raises nothing', () => {
    const samples = polls('olt-1', T0, T0 + 600 * S, 10 * S, (t) => t === T0 + 100 * S);
    expect(run(solo, samples, T0 + 600 * S)).toEqual([]);
  });

  it('a link flapping every 20 s for 10 min raises one alert, labelled flapping, and one resolved', () => {
    // 20 s down, 20 s up, from 0 to 600 s, then up
    const samples = polls('olt-1', T0, T0 + 1200 * S, 20 * S, (t) => t < T0 + 600 * S && ((t - T0) / (20 * S)) % 2 === 0);
    const events = run(solo, samples, T0 + 1200 * S);
    expect(events.map((e) => e.kind)).toEqual(['fired', 'resolved']);
    // 6 down spells of 20 s = 120 s of down time at 220 s; first tick at or after: 225 s; +30 s wait
    expect(events[0]!.at - T0).toBe(255 * S);
    expect(events[0]!.alert.flapping).toBe(true);
    // down at even multiples of 20 s: the last down sample is at 560 s, up from 580 s;
    // clear at 640 s, the first tick at or after it is 645 s
    expect(events[1]!.at - T0).toBe(645 * S);
  });

  it('a whole area down raises one grouped alert naming the area and the count', () => {
    const devices: DeviceRef[] = ['n1', 'n2', 'n3', 'n4'].map((id) => ({ id, area: 'ixelles', site: id }));
    devices.push({ id: 'other', area: 'uccle', site: 'x' });
    const samples = devices.flatMap((d) => polls(d.id, T0, T0 + 900 * S, 10 * S, (t) => d.area === 'ixelles' && t >= T0 + 60 * S + (d.id === 'n4' ? 20 * S : 0) && t < T0 + 400 * S));
    const events = run(devices, samples, T0 + 900 * S);
    expect(events.map((e) => [e.kind, e.alert.rule, e.alert.subject])).toEqual([
      ['fired', 'area_down', 'ixelles'],
      ['resolved', 'area_down', 'ixelles'],
    ]);
    // n1..n3 cross at 180 s: 3 of 4 is below the 0.8 ratio, so they wait (group wait 30 s);
    // n4 (down from 80 s) crosses at 200 s, seen at the 210 s tick, when 4 of 4 are down
    expect(events[0]!.at - T0).toBe(210 * S);
    expect(events[0]!.alert.summary).toBe('area ixelles: 4 of 4 devices with known status down');
    expect(events[1]!.alert.devices).toEqual(['n1', 'n2', 'n3', 'n4']);
    expect(events[1]!.alert.value).toBe(4);
    // all up from 400 s; clear 60 s: 460 s, the first tick at or after it is 465 s
    expect(events[1]!.at - T0).toBe(465 * S);
  });

  it('devices of the area never heard from do not count in its size: 3 nodes down of 3 known is the whole area', () => {
    const devices: DeviceRef[] = ['n1', 'n2', 'n3', 'ap1', 'ap2', 'ap3', 'ap4'].map((id) => ({ id, area: 'ixelles', site: id }));
    // the APs never report (unknown); the nodes are down from 60 s to 400 s
    const samples = ['n1', 'n2', 'n3'].flatMap((id) => polls(id, T0, T0 + 900 * S, 10 * S, (t) => t >= T0 + 60 * S && t < T0 + 400 * S));
    const events = run(devices, samples, T0 + 900 * S);
    // 3 crossed at 180 s, 3 ≥ minDevices and 3 ≥ 0.8 × 3 known: grouped at once
    expect(events.map((e) => [e.kind, e.alert.rule, e.alert.summary, e.at - T0])).toEqual([
      ['fired', 'area_down', 'area ixelles: 3 of 3 devices with known status down', 180 * S],
      ['resolved', 'area_down', 'area ixelles: 3 of 3 devices with known status down', 465 * S],
    ]);
  });

  it('an outage inside a maintenance window raises nothing', () => {
    const samples = polls('olt-1', T0, T0 + 600 * S, 10 * S, (t) => t >= T0 + 60 * S && t < T0 + 240 * S);
    const inWindow = (_d: string, t: number): boolean => t >= T0 + 30 * S && t < T0 + 300 * S;
    expect(run(solo, samples, T0 + 600 * S, { maintenance: inWindow })).toEqual([]);
  });

  it('an alert open when a maintenance window starts still resolves when the device recovers inside it', () => {
    const samples = polls('olt-1', T0, T0 + 600 * S, 10 * S, (t) => t >= T0 + 60 * S && t < T0 + 300 * S);
    const inWindow = (_d: string, t: number): boolean => t >= T0 + 250 * S && t < T0 + 500 * S;
    // fired at 210 s as without a window; up from 300 s, clear 60 s: resolved at 360 s
    expect(run(solo, samples, T0 + 600 * S, { maintenance: inWindow }).map((e) => [e.kind, e.at - T0])).toEqual([['fired', 210 * S], ['resolved', 360 * S]]);
  });

  it('a device still down when its maintenance window ends alerts 2 min + group wait after the end', () => {
    const samples = polls('olt-1', T0, T0 + 600 * S, 10 * S, (t) => t >= T0 + 60 * S && t < T0 + 500 * S);
    const inWindow = (_d: string, t: number): boolean => t < T0 + 200 * S;
    const events = run(solo, samples, T0 + 600 * S, { maintenance: inWindow });
    // first down sample outside the window at 200 s; 2 min down at 320 s, seen at the 330 s
    // tick; +30 s group wait = 360 s. Up from 500 s, clear at 560 s, the tick after is 570 s.
    expect(events.map((e) => [e.kind, e.at - T0])).toEqual([['fired', 360 * S], ['resolved', 570 * S]]);
  });
});
