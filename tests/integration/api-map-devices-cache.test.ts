/**
 * GET /api/map/devices keeps its body while nothing it says can have changed
 * (server/api/map-devices-body.ts): on the seeded data set of api-fixture.ts, with a live state
 * and a clock the test moves, the kept body is sent again (same ETag, a 304 for If-None-Match),
 * and it is rebuilt — equal to the store path's answer at that instant — after a fed point, at the
 * live state's nextChange() (f1's up turning stale with time alone), past half a minute (in the
 * background, served meanwhile), after a minute without readers and after a
 * reconciliation that read a new sample from the store (not after one that read nothing new). A
 * body rebuilt for a change reuses the 24 h uptimes of the minute (its states are read again). The bytes
 * are JSON.stringify's of the FeatureCollection, gzip and identity bodies the same. The columns of
 * /api/map/devices/columns are kept by the same mechanism: same ETag and 304 while nothing changed,
 * rebuilt after a fed point, their statuses those of the GeoJSON; with no uptime in them, the
 * minute does not age them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import type { Express } from 'express';
import { rollupRange } from '../../server/rollups.js';
import { LiveState } from '../../server/status/live-state.js';
import { PointFeed } from '../../server/status/feed.js';
import { createApp } from '../../server/app.js';
import type { MetricStore } from '../../server/store/metric-store.js';
import { UPTIME_MAX_AGE_MS } from '../../server/api/map-devices-body.js';
import { fixtureDeps, fixtureInventory, fixturePoints, HOUR, NOW, STORES } from './api-fixture.js';

interface Feature { properties: Record<string, unknown> }
const statusOf = (body: unknown, id: string): unknown =>
  (body as { features: Feature[] }).features.find((f) => f.properties['id'] === id)?.properties['status'];

describe('GET /api/map/devices kept between changes', () => {
  const kind = STORES[0]!;
  const inv = fixtureInventory();
  const intervals = { fibreS: 600, wifiS: 600 };
  let store: MetricStore, dispose: () => Promise<void>;
  let live: LiveState, withLive: Express, withoutLive: Express;
  const feed = new PointFeed();
  let now = NOW;
  const clock = (): number => now;

  beforeAll(async () => {
    ({ store, dispose } = await kind.open());
    await store.write(fixturePoints(inv));
    await rollupRange(store, inv.all(), NOW - 86_400_000, Math.floor(NOW / HOUR) * HOUR, intervals);
    live = new LiveState({ store, devices: () => inv.all(), intervals, now: clock, reconcileMs: 0, feed });
    await live.start();
    withLive = createApp({ store, api: fixtureDeps(store, inv, { live, now: clock }), now: clock });
    withoutLive = createApp({ store, api: fixtureDeps(store, inv, { now: clock }), now: clock });
  });
  afterAll(async () => { live?.stop(); await dispose?.(); });

  const get = (app: Express, headers: Record<string, string> = {}) => request(app).get('/api/map/devices').set(headers);
  const sameAsStore = async (): Promise<request.Response> => {
    const [a, b] = [await get(withLive), await get(withoutLive)];
    expect(a.status).toBe(200);
    expect(a.body).toEqual(b.body);
    return a;
  };

  it('sends JSON.stringify\'s bytes, gzipped when asked, in the schema\'s key order', async () => {
    const plain = await get(withLive, { 'Accept-Encoding': 'identity' }).buffer(true).parse((res, cb) => {
      let s = ''; res.on('data', (c: Buffer) => { s += c.toString('utf8'); }); res.on('end', () => cb(null, s));
    });
    expect(plain.headers['content-encoding']).toBeUndefined();
    const text = plain.body as string;
    expect(JSON.stringify(JSON.parse(text))).toBe(text);
    const w1 = (JSON.parse(text) as { features: Feature[] }).features.find((f) => f.properties['id'] === 'w1')!;
    expect(Object.keys(w1.properties)).toEqual(['id', 'tech', 'site', 'area', 'status', 'statusReason', 'lastSeen', 'rtt_ms', 'uptime_24h', 'radiusM']);
    const zipped = await get(withLive, { 'Accept-Encoding': 'gzip' }).buffer(true).parse((res, cb) => {
      const parts: Buffer[] = []; res.on('data', (c: Buffer) => parts.push(c)); res.on('end', () => cb(null, Buffer.concat(parts)));
    });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers['vary']).toContain('Accept-Encoding');
    // supertest gunzips a body sent with Content-Encoding: gzip (and fails on one that is not)
    expect((zipped.body as Buffer).toString('utf8')).toBe(text);
  });

  it('is kept while nothing changed: same ETag, 304 for If-None-Match', async () => {
    const a = await sameAsStore();
    const b = await get(withLive);
    expect(b.headers['etag']).toBe(a.headers['etag']);
    const c = await get(withLive, { 'If-None-Match': String(a.headers['etag']) });
    expect(c.status).toBe(304);
  });

  it('is rebuilt at the live state\'s next change: f1 up at NOW turns unknown (stale) with time alone', async () => {
    const a = await sameAsStore();
    expect(statusOf(a.body, 'f1')).toBe('up');
    const next = live.nextChange();
    // f1's last sample is at NOW − 10 min; it holds a few intervals of 10 min, so the change is within the next hour
    expect(next).toBeGreaterThan(now);
    expect(next).toBeLessThan(NOW + HOUR);
    now = next;
    const b = await sameAsStore();
    expect(b.headers['etag']).not.toBe(a.headers['etag']);
    expect(statusOf(b.body, 'f1')).toBe('unknown');
  });

  it('is rebuilt after a fed point: f1 answers again, up', async () => {
    const a = await sameAsStore();
    const point = { measurement: 'device_status', tags: { device: 'f1', site: 's1', area: 'a1', tech: 'fibre', source: 'snmp' }, fields: { up: 1, rtt_ms: 3 }, time: now - 1000 };
    await store.write([point]);
    feed.publish([point]);
    const b = await sameAsStore();
    expect(b.headers['etag']).not.toBe(a.headers['etag']);
    expect(statusOf(a.body, 'f1')).toBe('unknown');
    expect(statusOf(b.body, 'f1')).toBe('up');
    // the reconciliation reads the fed sample again from the store (its overlap): nothing changed, the body stays
    const before = live.changes;
    await live.refresh();
    expect(live.changes).toBe(before);
    expect((await get(withLive)).headers['etag']).toBe(b.headers['etag']);
  });

  it('is rebuilt in the background past half its age of a minute, and never served older', async () => {
    now += UPTIME_MAX_AGE_MS;
    const a = await sameAsStore();
    now += 20_000;
    const b = await get(withLive);
    // 35 s old: served, and its successor built once that answer went out
    now += 15_000;
    const c = await get(withLive);
    await new Promise((r) => setImmediate(r));
    const d = await sameAsStore();
    // f1's fresh sample holds for longer than these minutes, so only the age rebuilds
    expect(live.nextChange()).toBeGreaterThan(now + UPTIME_MAX_AGE_MS);
    expect([b.headers['etag'], c.headers['etag']]).toEqual([a.headers['etag'], a.headers['etag']]);
    expect(d.headers['etag']).not.toBe(a.headers['etag']);
    // no reader for a minute: the next one gets a body built for it
    now += UPTIME_MAX_AGE_MS;
    const e = await sameAsStore();
    expect(e.headers['etag']).not.toBe(d.headers['etag']);
  });

  it('stays kept over a reconciliation that finds nothing new, not over one that finds a sample', async () => {
    // f1's sample of the previous test is 61 s old and holds 2.5 × 10 min: two minutes on, the
    // reconciliation's overlap (it reads again from 2 min before its last look) no longer reaches it
    now += 2 * 60_000;
    await live.refresh();
    await live.refresh();
    const a = await sameAsStore();
    const before = live.changes;
    await live.refresh();
    expect(live.changes).toBe(before);
    const b = await get(withLive);
    expect(b.headers['etag']).toBe(a.headers['etag']);
    // a sample written to the store without the feed (another process wrote it): found by the next look
    const point = { measurement: 'device_status', tags: { device: 'w1', site: 'ws', area: 'a1', tech: 'wifi', source: 'mqtt' }, fields: { up: 0, reason: 'timeout' }, time: now - 1000 };
    await store.write([point]);
    await live.refresh();
    // the statuses are read again; the uptimes of the body it replaces are reused within their minute
    const c = await get(withLive);
    const fromStore = await get(withoutLive);
    expect(c.headers['etag']).not.toBe(a.headers['etag']);
    const statuses = (body: unknown): unknown[] => (body as { features: Feature[] }).features.map((f) => [f.properties['id'], f.properties['status'], f.properties['statusReason'], f.properties['lastSeen']]);
    expect(statuses(c.body)).toEqual(statuses(fromStore.body));
    // w1's last fixture sample (NOW − 10 min) is stale by now
    expect([statusOf(a.body, 'w1'), statusOf(c.body, 'w1')]).toEqual(['unknown', 'down']);
    // a minute on, the uptimes are read again too: all as the store path says
    now += UPTIME_MAX_AGE_MS;
    await sameAsStore();
  });
  it('keeps /api/map/devices/columns the same way, its statuses those of the GeoJSON at each instant', async () => {
    const columns = () => request(withLive).get('/api/map/devices/columns');
    const same = async (): Promise<request.Response> => {
      // the GeoJSON of the same live state (its uptimes reused within the minute: only the statuses are compared)
      const [c, geo] = [await columns(), await get(withLive)];
      expect(c.status).toBe(200);
      const body = c.body as { id: string[]; statuses: string[]; status: number[] };
      expect(body.id.map((id, i) => [id, body.statuses[body.status[i]!]])).toEqual((geo.body as { features: Feature[] }).features.map((f) => [f.properties['id'], f.properties['status']]));
      return c;
    };
    const a = await same();
    const b = await columns();
    expect(b.headers['etag']).toBe(a.headers['etag']);
    expect((await request(withLive).get('/api/map/devices/columns').set('If-None-Match', String(a.headers['etag']))).status).toBe(304);
    // w1 answers up: the kept columns are rebuilt, as the GeoJSON is
    const point = { measurement: 'device_status', tags: { device: 'w1', site: 'ws', area: 'a1', tech: 'wifi', source: 'mqtt' }, fields: { up: 1 }, time: now - 1000 };
    await store.write([point]);
    feed.publish([point]);
    const c = await same();
    expect(c.headers['etag']).not.toBe(a.headers['etag']);
    const w1 = (r: request.Response): string => { const body = r.body as { id: string[]; statuses: string[]; status: number[] }; return body.statuses[body.status[body.id.indexOf('w1')]!]!; };
    expect([w1(a), w1(c)]).toEqual(['down', 'up']);
    // past the minute, before the next change: the GeoJSON is rebuilt (its 24 h uptimes slid), the
    // columns carry no uptime and stay as they are
    const geoBefore = await get(withLive);
    expect(live.nextChange()).toBeGreaterThan(now + UPTIME_MAX_AGE_MS + 1000);
    now += UPTIME_MAX_AGE_MS + 1000;
    expect((await get(withLive)).headers['etag']).not.toBe(geoBefore.headers['etag']);
    expect((await columns()).headers['etag']).toBe(c.headers['etag']);
  });
});
