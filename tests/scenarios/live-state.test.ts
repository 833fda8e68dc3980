/**
 * Issue 20 item 1, acceptance: the live state (server/status/live-state.ts) gives the same answers
 * as the full recomputation from the store, on every scenario of the suite and on both stores.
 *
 * The scenario's points are written in time order to a real SQLite store and a real InfluxDB
 * through the write path the service uses (each accepted batch goes on to the feed, feed.ts), on a
 * simulated clock; the hourly rollups are run at each clock hour as the job does. At checkpoints
 * every 30 s of scenario time (5 min for the 3-hour scenario), 7 ms past the round instant, and at
 * the window's end, the live state and the store are read at the same `now`:
 * - current states: live.states vs currentStates (status, reason, lastSeen, rtt);
 * - uptime of the last 24 h and of the scenario window: live.uptimes vs deviceUptimes (the API's
 *   store path: rolled hours from the rollups, the rest raw), every field and the sources;
 * - incidents of the last 24 h and of the scenario window: live.incidents vs windowIncidents.
 * At the end a second live state restored from the store (start-up) answers the same, and the
 * scenario window's incidents are the hand-computed ones of the scenario.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentStates, DAY_MS, windowIncidents, type Incident } from '../../server/status/index.js';
import { LiveState } from '../../server/status/live-state.js';
import { feedAfterWrite, PointFeed } from '../../server/status/feed.js';
import { onRollupsWritten, rollupRange } from '../../server/rollups.js';
import { deviceUptimes } from '../../server/status/device-uptimes.js';
import type { MetricStore } from '../../server/store/metric-store.js';
import { SCENARIOS } from './cases/index.js';
import { relativeIncidents } from './compute.js';
import { record, type Recording } from './recorder.js';
import { maintenanceLookup, STORE_KINDS, type OpenStore } from './stores.js';
import { HOUR, MIN, S, type Scenario } from './types.js';

/** a clock-hour start far enough in the past that every rolled hour is over, within raw retention */
const T0 = Math.floor(Date.now() / HOUR) * HOUR - 8 * HOUR;

const byStart = (a: Incident, b: Incident): number => a.start - b.start || a.device.localeCompare(b.device);

function checkpoints(s: Scenario): number[] {
  const step = s.window.to - s.window.from > 15 * MIN ? 5 * MIN : 30 * S;
  const out: number[] = [];
  for (let t = s.window.from + step; t < s.window.to; t += step) out.push(T0 + t + 7);
  out.push(T0 + s.window.to);
  return out;
}

const cases = STORE_KINDS.flatMap((kind) => SCENARIOS.map((s) => [`${kind.name}: ${s.name}`, kind, s] as const));

describe.each(cases)('live state = store (%s)', (_name, kind, s: Scenario) => {
  let open: OpenStore, store: MetricStore, rec: Recording;
  let clock = T0 - 1;
  let live: LiveState;
  const maintenance = (): ReturnType<typeof maintenanceLookup> => maintenanceLookup(rec.maintenance);
  const liveOn = (feed?: PointFeed): LiveState => new LiveState({
    store, devices: () => rec.devices, intervals: rec.intervals, now: () => clock, maintenance: maintenance(), feed,
    rollupsWritten: (l) => onRollupsWritten(store, l), reconcileMs: 0,
  });

  /** Both reads at `now`; `from` of the second window is the scenario's. */
  async function compare(l: LiveState, now: number, where: string): Promise<void> {
    const devices = rec.devices;
    const opts = { devices, to: now, now, intervals: rec.intervals, maintenance: maintenance() };
    expect(Object.fromEntries(l.states(devices, now)), `${where}: states`).toEqual(Object.fromEntries(await currentStates(store, devices, now, rec.intervals)));
    for (const from of [now - DAY_MS, T0 + s.window.from]) {
      const want = await deviceUptimes(store, { ...opts, from });
      const got = l.uptimes(devices, from, now, now);
      expect({ sources: got.sources, byDevice: Object.fromEntries(got.byDevice) }, `${where}: uptime from ${from - T0}`).toEqual({ sources: want.sources, byDevice: Object.fromEntries(want.byDevice) });
      const incidents = (await windowIncidents(store, { ...opts, from })).sort(byStart);
      expect(l.incidents(devices, from, now).sort(byStart), `${where}: incidents from ${from - T0}`).toEqual(incidents);
    }
  }

  beforeAll(async () => {
    open = await kind.open();
    store = open.store;
    rec = record(s, T0);
  });
  afterAll(async () => {
    live?.stop();
    await open?.dispose();
  });

  it('fed point by point: the same states, 24 h and window uptime, and incidents at every checkpoint', async () => {
    const feed = new PointFeed();
    live = liveOn(feed);
    await live.start();
    expect(live.ready).toBe(true);
    const pipeline = feedAfterWrite(store, feed);
    const points = [...rec.points].sort((a, b) => a.time - b.time);
    let next = 0;
    let rolledTo = T0;
    for (const at of checkpoints(s)) {
      const batch = [];
      while (next < points.length && points[next]!.time <= at) batch.push(points[next++]!);
      for (let i = 0; i < batch.length; i += 500) await pipeline.write(batch.slice(i, i + 500));
      clock = at;
      // the job: the hours that are over, as soon as they are
      const lastWhole = Math.floor(at / HOUR) * HOUR;
      if (lastWhole > rolledTo) {
        await rollupRange(store, rec.devices, rolledTo, lastWhole, rec.intervals, maintenance());
        rolledTo = lastWhole;
      }
      await live.refresh();
      await compare(live, at, `at ${at - T0} ms`);
    }
    expect(next).toBe(points.length);
  });

  it('restored from the store at the end: the same answers, and the scenario\'s hand-computed incidents', async () => {
    clock = T0 + s.window.to;
    const restored = liveOn();
    await restored.start();
    try {
      expect(restored.ready).toBe(true);
      await compare(restored, clock, 'restored');
      const got = restored.incidents(rec.devices, T0 + s.window.from, clock);
      for (const [id, e] of Object.entries(s.expected)) {
        expect({ id, incidents: relativeIncidents(got.filter((i) => i.device === id).sort(byStart), T0) }).toEqual({ id, incidents: e.incidents });
      }
    } finally {
      restored.stop();
    }
  });
});
