/**
 * deviceUptimes looks up which hours have rollups once per hour: hours found are remembered per
 * store, hours without rollups are asked again (the job may roll them up later). The store is a
 * real SQLite store; a recording wrapper only lists the hour-count queries it receives.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceUptimes } from '../../server/status/device-uptimes.js';
import { rollupRange } from '../../server/rollups.js';
import type { AggregateQuery, MetricStore } from '../../server/store/metric-store.js';
import { HOUR, NOW, STORES, T0, fixtureInventory, fixturePoints } from './api-fixture.js';

let store: MetricStore, dispose: () => Promise<void>;
const inv = fixtureInventory();
const intervals = { fibreS: 600, wifiS: 600 };

beforeAll(async () => {
  ({ store, dispose } = await STORES[0]!.open());
  await store.write(fixturePoints(inv));
});
afterAll(async () => { await dispose(); });

/** the same store, recording the [from, to) of each hour-count query on the rollups */
function recording(inner: MetricStore): { store: MetricStore; counts: [number, number][] } {
  const counts: [number, number][] = [];
  const store = Object.create(inner) as MetricStore;
  store.queryAggregate = (q: AggregateQuery) => {
    if (q.retention === 'long' && q.fn === 'count') counts.push([(q.from - T0) / HOUR, (q.to - T0) / HOUR]);
    return inner.queryAggregate(q);
  };
  return { store, counts };
}

describe('the rolled-up hours of a window', () => {
  it('are looked up once, and hours rolled up later are found on the next request', async () => {
    const r = recording(store);
    const w = { devices: inv.all(), from: T0, to: NOW, now: NOW, intervals };
    const raw = await deviceUptimes(r.store, w);
    expect(raw.sources).toEqual({ rollup_ms: 0, raw_ms: 10 * HOUR });

    await rollupRange(store, inv.all(), T0, T0 + 6 * HOUR, intervals);
    const part = await deviceUptimes(r.store, w);
    expect(part.sources).toEqual({ rollup_ms: 6 * HOUR, raw_ms: 4 * HOUR });

    await rollupRange(store, inv.all(), T0 + 6 * HOUR, NOW, intervals);
    const all = await deviceUptimes(r.store, w);
    const again = await deviceUptimes(r.store, w);
    expect(all.sources).toEqual({ rollup_ms: 10 * HOUR, raw_ms: 0 });
    expect(again.sources).toEqual({ rollup_ms: 10 * HOUR, raw_ms: 0 });
    // nothing counted while nothing was rolled (the read of the first rollup finds none), then
    // the hours from the first rollup on, then only the hours not known yet, then nothing
    expect(r.counts).toEqual([[0, 10], [6, 10]]);
    // and the answers are the raw computation's (uptime is additive over adjacent windows)
    for (const d of inv.all()) {
      const a = raw.byDevice.get(d.id)!, b = again.byDevice.get(d.id)!;
      expect([b.up_ms, b.down_ms, b.unknown_ms, b.maintenance_ms], d.id).toEqual([a.up_ms, a.down_ms, a.unknown_ms, a.maintenance_ms]);
    }
  });
});
