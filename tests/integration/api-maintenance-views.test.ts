/**
 * Maintenance windows are excluded from uptime in every view of it, not only /api/uptime: the
 * device page and the map (24 h uptime) and the coverage polygons (area uptime) read the same
 * figures. The seeded data set of api-fixture.ts, with one window on f2 over 130..190 min.
 *
 * Hand-computed, 24 h before NOW = T0 + 600 min (nothing before T0: unknown): f2 is up 0..130,
 * then down until now; the window turns 130..190 into maintenance → up 130 min, down 410 min,
 * maintenance 60 min, uptime 130 / 540 (without the window: 130 / 600).
 */
import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Device } from '../../core/device.js';
import type { MetricStore } from '../../server/store/metric-store.js';
import { MIN, STORES, T0, fixtureApp, fixtureInventory, fixturePoints } from './api-fixture.js';

const window = { start: T0 + 130 * MIN, end: T0 + 190 * MIN };
const maintenance = (d: Device, from: number, to: number): { start: number; end: number }[] =>
  (d.id === 'f2' && window.end > from && window.start < to ? [{ start: Math.max(from, window.start), end: Math.min(to, window.end) }] : []);

let store: MetricStore, dispose: () => Promise<void>, app: Express;

beforeAll(async () => {
  ({ store, dispose } = await STORES[0]!.open());
  const inv = fixtureInventory();
  await store.write(fixturePoints(inv));
  app = fixtureApp(store, inv, { maintenance });
});
afterAll(async () => { await dispose(); });

describe('maintenance windows in the 24 h and coverage views', () => {
  it('GET /api/devices/:id excludes the window from the 24 h uptime', async () => {
    const res = await request(app).get('/api/devices/f2');
    expect(res.status).toBe(200);
    expect(res.body.uptime_24h_detail).toMatchObject({ up_ms: 130 * MIN, down_ms: 410 * MIN, maintenance_ms: 60 * MIN });
    expect(res.body.uptime_24h).toBeCloseTo(130 / 540, 12);
  });

  it('GET /api/map/devices gives the same 24 h uptime', async () => {
    const res = await request(app).get('/api/map/devices');
    const f2 = (res.body.features as { properties: { id: string; uptime_24h: number } }[]).find((f) => f.properties.id === 'f2')!;
    expect(f2.properties.uptime_24h).toBeCloseTo(130 / 540, 12);
  });

  it('GET /api/coverage/areas.geojson gives each area the uptime of /api/uptime?groupBy=area', async () => {
    const [geo, up] = await Promise.all([request(app).get('/api/coverage/areas.geojson'), request(app).get('/api/uptime?groupBy=area')]);
    const a1 = (up.body as { key: string; uptime: number; maintenance_ms: number }[]).find((r) => r.key === 'a1')!;
    expect(a1.maintenance_ms).toBe(60 * MIN);
    const props = (JSON.parse(geo.text) as { features: { properties: { id: string; uptime: number } }[] }).features.find((f) => f.properties.id === 'a1')!.properties;
    expect(props.uptime).toBe(a1.uptime);
  });
});
