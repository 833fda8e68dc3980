/**
 * The response body schemas the OpenAPI document (and so web/src/api-types.ts) carries describe
 * what the server really sends: each real answer on the seeded data set of api-fixture.ts parses,
 * and parsing strips nothing (an undocumented field would be dropped, so toEqual would fail).
 * The server never validates its answers at run time; this test is what keeps the schemas honest.
 */
import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { MetricStore } from '../../server/store/metric-store.js';
import { DESI_REPORT, DEVICE_TIMELINE, INCIDENT_JSON, UPTIME_ROW } from '../../server/analytics/body-schemas.js';
import { fixtureApp, fixtureInventory, fixturePoints, isoAt, NOW, q, STORES } from './api-fixture.js';

const W = { from: isoAt(0), to: isoAt(600) };

describe.each(STORES)('response body schemas on $name', (kind) => {
  let store: MetricStore;
  let dispose: () => Promise<void>;
  let app: Express;

  beforeAll(async () => {
    ({ store, dispose } = await kind.open());
    const inv = fixtureInventory();
    await store.write(fixturePoints(inv));
    app = fixtureApp(store, inv);
  });
  afterAll(async () => { await dispose(); });

  const matches = async (url: string, schema: z.ZodType): Promise<unknown> => {
    const res = await request(app).get(url);
    expect(res.status, url).toBe(200);
    const parsed = schema.safeParse(res.body);
    expect(parsed.success ? '' : parsed.error.message, url).toBe('');
    expect(parsed.data, url).toEqual(res.body);
    return res.body;
  };

  it('/api/uptime rows, grouped by device (5 fixture devices) and by tech (fibre, wifi)', async () => {
    expect(await matches(`/api/uptime?${q({ ...W, groupBy: 'device' })}`, z.array(UPTIME_ROW))).toHaveLength(5);
    expect(await matches(`/api/uptime?${q({ ...W, groupBy: 'tech' })}`, z.array(UPTIME_ROW))).toHaveLength(2);
  });

  it('/api/incidents (f2 and f3 are down in the window, so the list is not empty)', async () => {
    const body = await matches(`/api/incidents?${q(W)}`, z.array(INCIDENT_JSON));
    expect((body as unknown[]).length).toBeGreaterThanOrEqual(2);
  });

  it('/api/devices/f3/timeline (up, down and unknown spans, the unknown ones with a reason)', async () => {
    const body = await matches(`/api/devices/f3/timeline?${q(W)}`, DEVICE_TIMELINE) as z.infer<typeof DEVICE_TIMELINE>;
    expect(new Set(body.spans.map((s) => s.state))).toEqual(new Set(['up', 'down', 'unknown']));
  });

  it('/api/reports/desi for the year of the fixture', async () => {
    const body = await matches(`/api/reports/desi?${q({ period: new Date(NOW).getUTCFullYear() })}`, DESI_REPORT) as z.infer<typeof DESI_REPORT>;
    expect(body.scopes.length).toBeGreaterThan(0);
    expect(body.scopes[0]!.indicators.length).toBeGreaterThan(0);
  });
});
