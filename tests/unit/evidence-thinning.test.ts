/**
 * server/status/evidence-thinning.ts: which up samples a write may leave out. Hand cases first
 * (AP interval 60 s: up holds 2.5 × 60 s = 150 s, and a sample goes only when its neighbours are at
 * most one interval, 60 s, apart), then the property the module promises,
 * checked on generated histories: the device's timeline (timeline.ts, with the collector gaps of
 * collector-liveness.ts) is the same from the thinned samples as from all of them.
 */
import { describe, expect, it } from 'vitest';
import type { Point } from '../../core/point.js';
import { collectorStatusPoint, deviceStatusPoint } from '../../core/status-points.js';
import { EvidenceThinner } from '../../server/status/evidence-thinning.js';
import { collectorGaps, deviceTimeline, type CollectorStatusPoint, type EvidenceSample } from '../../server/status/index.js';
import { createRng } from '../../sim/rng.js';

const S = 1000;
const AP = { id: 'ap-1', site: 's', area: 'a', tech: 'wifi' as const };
const up = (t: number, device = AP): Point => deviceStatusPoint(device, 'mqtt', t, { up: true });
const down = (t: number): Point => deviceStatusPoint(AP, 'mqtt', t, { up: false });
const beat = (t: number, instance = 'i1', heartbeatS = 10): Point => collectorStatusPoint('mqtt', instance, t, { connected: true, heartbeatS });
const bye = (t: number, instance = 'i1'): Point => collectorStatusPoint('mqtt', instance, t, { connected: false });
const thinner = (): EvidenceThinner => new EvidenceThinner((id) => (id.startsWith('ap-') ? 60 * S : undefined));
const times = (points: readonly Point[]): number[] => points.filter((p) => p.measurement === 'device_status').map((p) => p.time / S);

describe('EvidenceThinner: hand cases (interval 60 s: neighbours at most 60 s apart)', () => {
  it('a burst keeps its first and last sample: 0, 10, 20, 30 s → 0, 30 s', () => {
    expect(times(thinner().thin([up(0), up(10 * S), up(20 * S), up(30 * S)]))).toEqual([0, 30]);
  });

  it('keeps one sample at least every interval: 0, 20, 40, 60, 80, 100 s → 0, 60, 100 s', () => {
    // 20 s: 40 − 0 = 40 ≤ 60, dropped; 40 s: 60 − 0 = 60 ≤ 60, dropped; 60 s: 80 − 0 = 80 > 60, kept;
    // 80 s: 100 − 60 = 40 ≤ 60, dropped; 100 s is the last
    expect(times(thinner().thin([0, 20, 40, 60, 80, 100].map((t) => up(t * S))))).toEqual([0, 60, 100]);
  });

  it('keeps samples more than an interval apart though within the hold: 0, 50, 100 s (100 − 0 = 100 > 60, < 150)', () => {
    // one sample per interval, the AP's normal pace, is never thinned: a later, shorter interval
    // (down to 60 / 2.5 = 24 s) must still read this history as it reads today
    expect(times(thinner().thin([up(0), up(50 * S), up(100 * S)]))).toEqual([0, 50, 100]);
  });

  it('a down sample breaks the run; order in the batch is kept', () => {
    const batch = [up(0), up(10 * S), down(20 * S), up(30 * S), up(40 * S), up(50 * S)];
    // run 0, 10 has no middle; run 30, 40, 50 drops 40
    expect(times(thinner().thin(batch))).toEqual([0, 10, 20, 30, 50]);
  });

  it('sorts by time within a device: listed 30, 0, 20, 10 → keeps 30 and 0 in their places', () => {
    expect(times(thinner().thin([up(30 * S), up(0), up(20 * S), up(10 * S)]))).toEqual([30, 0]);
  });

  it('never drops a sample with a round trip, nor one of a device it has no interval for', () => {
    const rtt = deviceStatusPoint(AP, 'snmp', 10 * S, { up: true, rttMs: 2 });
    // the rtt sample is another series and a measurement: 0 and 20 s are each next to it, nothing drops
    expect(times(thinner().thin([up(0), rtt, up(20 * S)]))).toEqual([0, 10, 20]);
    const other = { ...AP, id: 'x-1' };
    expect(times(thinner().thin([up(0, other), up(10 * S, other), up(20 * S, other)]))).toEqual([0, 10, 20]);
  });

  it('drops only within one series: another tag value breaks the run, an empty tag is no tag', () => {
    const tagged = (t: number, instance: string): Point => { const p = up(t); return { ...p, tags: { ...p.tags, instance } }; };
    // 10 s has the instance tag i2, its neighbours have none: three series-changes, nothing dropped
    expect(times(thinner().thin([up(0), tagged(10 * S, 'i2'), up(20 * S)]))).toEqual([0, 10, 20]);
    // instance '' is stored as no tag (core/point.ts storedTags): the same series, 10 s dropped
    expect(times(thinner().thin([up(0), tagged(10 * S, ''), up(20 * S)]))).toEqual([0, 20]);
  });

  it('other points pass untouched, and a batch with nothing to drop is returned as is', () => {
    const batch = [up(0), { measurement: 'wifi_ap', tags: { device: 'ap-1' }, fields: { clients: 3 }, time: 5 * S }, up(10 * S)];
    expect(thinner().thin(batch)).toBe(batch);
  });

  it('a collector liveness start is a barrier: first heartbeat at 15 s keeps 10 and 20 s', () => {
    // (0, 20] holds 15: dropping 10 s would hide that the AP was up right after the gap ended at 15 s
    const t = thinner();
    expect(times(t.thin([beat(15 * S), up(0), up(10 * S), up(20 * S), up(30 * S)]))).toEqual([0, 10, 20, 30]);
    // the next heartbeat at 25 s (within 2 × 10 s) starts nothing: 40, 50, 60 s drops 50
    expect(times(t.thin([beat(25 * S), up(40 * S), up(50 * S), up(60 * S)]))).toEqual([40, 60]);
    // a heartbeat after a lapse (65 s > 25 + 20) and one after connected=0 start liveness again
    expect(times(t.thin([beat(65 * S), up(61 * S), up(64 * S), up(66 * S), up(67 * S)]))).toEqual([61, 64, 66, 67]);
    expect(times(t.thin([bye(70 * S), beat(75 * S), up(71 * S), up(74 * S), up(76 * S)]))).toEqual([71, 74, 76]);
    expect(t.dropped).toBe(1);
  });
});

/** a seeded generator (the simulator's mulberry32), so a failing history can be replayed */
function rng(seed: number): () => number {
  return createRng(seed).next;
}

/** a history in arrival (time) order: samples of two APs and the collector's heartbeats with lapses and restarts */
function history(seed: number): Point[] {
  const r = rng(seed);
  const out: Point[] = [];
  const ap2 = { ...AP, id: 'ap-2' };
  let t = 0;
  let nextBeat = r() < 0.5 ? 0 : 30 * S;
  let alive = true;
  for (let i = 0; i < 120; i++) {
    t += Math.floor(r() * (r() < 0.4 ? 160 : 40)) * S + (r() < 0.1 ? 0 : 1);
    while (nextBeat <= t) {
      if (alive) out.push(beat(nextBeat, r() < 0.8 ? 'i1' : 'i2'));
      const roll = r();
      if (roll < 0.05) { out.push(bye(nextBeat + 1, 'i1')); alive = false; }
      else if (roll < 0.08) alive = !alive; // a lapse: no heartbeat for a while
      else alive = true;
      nextBeat += (r() < 0.1 ? 35 : 10) * S;
    }
    const roll = r();
    const device = r() < 0.7 ? AP : ap2;
    if (roll < 0.08) out.push(deviceStatusPoint(device, 'mqtt', t, { up: false }));
    else if (roll < 0.1) out.push(deviceStatusPoint(device, 'mqtt', t, { up: true, rttMs: 1 }));
    else out.push(up(t, device));
  }
  return out;
}

function timelineOf(points: readonly Point[], deviceId: string, from: number, to: number, intervalMs: number): ReturnType<typeof deviceTimeline> {
  const beats: CollectorStatusPoint[] = points.filter((p) => p.measurement === 'collector_status').map((p) => ({
    time: p.time, collector: p.tags['collector']!, instance: p.tags['instance']!, connected: p.fields['connected'] === 1,
    ...(p.fields['heartbeat_s'] !== undefined ? { heartbeatS: Number(p.fields['heartbeat_s']) } : {}),
  }));
  const samples: EvidenceSample[] = points.filter((p) => p.measurement === 'device_status' && p.tags['device'] === deviceId)
    .map((p) => ({ time: p.time, up: p.fields['up'] === 1 }));
  return deviceTimeline({ samples, from, to, now: to, intervalMs, collectorDown: collectorGaps(beats, from, to).get('mqtt') ?? [] });
}

describe('EvidenceThinner: the timelines are unchanged (generated histories)', () => {
  it('300 histories, thinned in batches of 1 to 40 points: same up, down and collector-down spans for each AP, read with the interval of today and with a 2.5 times shorter one', () => {
    let droppedSomewhere = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const all = history(seed);
      const r = rng(seed * 7919);
      const t = thinner();
      const kept: Point[] = [];
      for (let i = 0; i < all.length;) {
        const n = 1 + Math.floor(r() * 40);
        kept.push(...t.thin(all.slice(i, i + n)));
        i += n;
      }
      droppedSomewhere += all.length - kept.length;
      const to = all[all.length - 1]!.time + 400 * S;
      // read with today's interval (60 s), and with one shortened later to 60 / 2.5 = 24 s
      for (const intervalMs of [60 * S, 24 * S]) {
        for (const id of ['ap-1', 'ap-2']) {
          const want = timelineOf(all, id, 0, to, intervalMs);
          const got = timelineOf(kept, id, 0, to, intervalMs);
          expect({ seed, id, intervalMs, up: got.up, down: got.down, collectorDown: got.collectorDown }).toEqual({ seed, id, intervalMs, up: want.up, down: want.down, collectorDown: want.collectorDown });
        }
      }
    }
    // the property would hold trivially if nothing were dropped
    expect(droppedSomewhere).toBeGreaterThan(1000);
  });
});
