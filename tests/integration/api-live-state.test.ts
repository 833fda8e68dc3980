/**
 * The routes read the live state when the service has one (server/api/live-reads.ts) and the store
 * otherwise: on the seeded data set of api-fixture.ts (legacy collector points without heartbeats,
 * an ongoing outage, a silent device, a device never seen), on both stores, every device-state
 * route answers the same JSON both ways. And /api/events, with a live state, sends a change as
 * soon as a point is fed, without waiting for its poll.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import type { Express } from 'express';
import { rollupRange } from '../../server/rollups.js';
import { LiveState } from '../../server/status/live-state.js';
import { PointFeed } from '../../server/status/feed.js';
import { StatusEvents, type StatusEvent } from '../../server/events.js';
import type { MetricStore } from '../../server/store/metric-store.js';
import { fixtureApp, fixtureInventory, fixturePoints, HOUR, NOW, STORES, T0 } from './api-fixture.js';

const ROUTES = [
  '/api/devices', '/api/devices?status=down', '/api/devices/f2', '/api/devices/w1', '/api/map/devices',
  '/api/incidents', '/api/incidents?sort=impact', `/api/incidents?from=${T0}`, '/api/uptime', '/api/uptime?groupBy=area&weight=households',
  `/api/uptime?from=${T0 + 90 * 60_000}&groupBy=tech`, '/api/coverage', '/api/gaps?basis=live',
];

describe.each(STORES)('live state and store give the same answers on $name', (kind) => {
  let store: MetricStore, dispose: () => Promise<void>;
  let live: LiveState;
  let withLive: Express, withoutLive: Express;
  const inv = fixtureInventory();
  const intervals = { fibreS: 600, wifiS: 600 };

  beforeAll(async () => {
    ({ store, dispose } = await kind.open());
    await store.write(fixturePoints(inv));
    // the job's rollups of the whole hours, so 24 h windows read rolled hours on both paths
    await rollupRange(store, inv.all(), T0, Math.floor(NOW / HOUR) * HOUR, intervals);
    live = new LiveState({ store, devices: () => inv.all(), intervals, now: () => NOW, reconcileMs: 0, feed: new PointFeed() });
    await live.start();
    withLive = fixtureApp(store, inv, { live });
    withoutLive = fixtureApp(store, inv);
  });
  afterAll(async () => { live?.stop(); await dispose?.(); });

  it('is restored and covers the last day', () => {
    expect(live.ready).toBe(true);
    expect(live.covers(inv.all(), NOW - 86_400_000)).toBe(true);
  });

  it.each(ROUTES)('GET %s', async (url) => {
    const [a, b] = [await request(withLive).get(url), await request(withoutLive).get(url)];
    expect(a.status).toBe(200);
    expect({ status: b.status, body: b.body as unknown }).toEqual({ status: a.status, body: a.body as unknown });
    for (const h of ['x-netatlas-rollup-ms', 'x-netatlas-raw-ms']) expect(a.headers[h]).toBe(b.headers[h]);
  });
});

describe('status events from the live state', () => {
  it('a fed point changes f1 to down at once, with a poll interval of a minute', async () => {
    const kind = STORES[0]!;
    const { store, dispose } = await kind.open();
    const inv = fixtureInventory();
    const feed = new PointFeed();
    const live = new LiveState({ store, devices: () => inv.all(), intervals: { fibreS: 600, wifiS: 600 }, now: () => NOW, reconcileMs: 0, feed });
    try {
      await store.write(fixturePoints(inv));
      await live.start();
      const events = new StatusEvents({ store, devices: () => inv.all(), now: () => NOW, intervals: { fibreS: 600, wifiS: 600 }, pollMs: 60_000, live });
      const seen: StatusEvent[] = [];
      const stop = events.subscribe((e) => seen.push(e));
      for (let i = 0; i < 100 && !events.primed; i++) await new Promise((r) => setTimeout(r, 10));
      expect(events.primed).toBe(true);
      const started = Date.now();
      // f1 (up all along) answers no more: a down sample 1 s before now, as the pipeline hands it on
      feed.publish([{ measurement: 'device_status', tags: { device: 'f1', site: 's1', area: 'a1', tech: 'fibre', source: 'snmp' }, fields: { up: 0, reason: 'timeout' }, time: NOW - 1000 }]);
      for (let i = 0; i < 100 && seen.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      stop();
      expect(seen.map((e) => ({ device: e.device, status: e.status, previous: e.previous }))).toEqual([{ device: 'f1', status: 'down', previous: 'up' }]);
      expect(Date.now() - started).toBeLessThan(1000);
    } finally {
      live.stop();
      await dispose();
    }
  });
});
