/**
 * Issue 14 item 2 (b): a 1825-day uptime read from raw samples on a store holding 10 hours of
 * them does not walk the five years a day at a time. On both stores with the seeded data set
 * (api-fixture.ts: samples in [T0, NOW), NOW = T0 + 600 min); a recording wrapper counts the
 * statusSamples reads it receives.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawUptimes } from '../../server/status/reader.js';
import type { MetricStore, StatusQuery } from '../../server/store/metric-store.js';
import { MIN, NOW, STORES, T0, fixtureInventory, fixturePoints } from './api-fixture.js';

const DAY = 86_400_000;
const intervals = { fibreS: 600, wifiS: 600 };

function recording(inner: MetricStore): { store: MetricStore; reads: StatusQuery[] } {
  const reads: StatusQuery[] = [];
  const store = new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === 'statusSamples') return (q: StatusQuery) => { reads.push(q); return target.statusSamples(q); };
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  return { store, reads };
}

describe.each(STORES)('a 1825-day raw uptime read on $name', (kind) => {
  let store: MetricStore;
  let dispose: () => Promise<void>;
  const inv = fixtureInventory();
  beforeAll(async () => {
    ({ store, dispose } = await kind.open());
    await store.write(fixturePoints(inv));
  });
  afterAll(async () => { await dispose(); });

  it('reads the years before the first sample in one piece and gives the same answers as the short window plus unknown time', async () => {
    const from = NOW - 1825 * DAY;
    const r = recording(store);
    const long = await rawUptimes(r.store, { devices: inv.all(), from, to: NOW, now: NOW, intervals });
    // chunks start at from + k days: the first sample is at T0 = NOW − 600 min, so the first chunk
    // is [from, from + 1824 d) = [from, NOW − 1 d) (floor((1825 d − 600 min) / 1 d) = 1824), the
    // second [NOW − 1 d, NOW): 2 reads where a day at a time made 1825
    expect(r.reads.map((q) => [q.from, q.to])).toEqual([[from, NOW - DAY], [NOW - DAY, NOW]]);

    const short = await rawUptimes(store, { devices: inv.all(), from: T0, to: NOW, now: NOW, intervals });
    // the years before T0 hold no sample: unknown, 1825 d − 600 min = 157 644 000 000 ms more
    const extraMs = 1825 * DAY - 600 * MIN;
    expect(extraMs).toBe(157_644_000_000);
    for (const d of inv.all()) {
      const a = short.get(d.id)!, b = long.get(d.id)!;
      expect([b.up_ms, b.down_ms, b.maintenance_ms, b.unknown_ms], d.id).toEqual([a.up_ms, a.down_ms, a.maintenance_ms, a.unknown_ms + extraMs]);
    }
  });
});
