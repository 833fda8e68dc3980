/**
 * /api/public/status.json and /status through createApp on the seeded API fixture
 * (api-fixture.ts), SQLite store. A read token is configured: the public routes answer without
 * it, the read routes do not. Expected values, from the fixture's table at NOW = T0 + 600 min:
 *   a1/fibre: f1 up, f2 down since 130 (restated to 590)  -> up 1, down 1: down share 1/2 = 0.5 -> major_outage
 *   a1/wifi:  w1 up (its collector gap 300..360 is over)   -> up 1: share 0 -> operational
 *   a2/fibre: f3 up (last sample 590), f4 never seen       -> up 1, unknown 1: share 0/1 -> operational
 *   a3 has no device: no component.
 *   worst component major_outage -> indicator critical, "Major System Outage".
 * Incidents (last 90 days), newest first: a2/fibre 180..200 (f3, 200 households), resolved;
 *   a1/fibre 130..now (f2, 100 households), ongoing.
 */
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { DEFAULT_PUBLIC, publicSchema } from '../../server/public/config.js';
import { DEVICES, MIN, NOW, STORES, T0, fixtureDeps, seededApi } from './api-fixture.js';

const iso = (minute: number): string => new Date(T0 + minute * MIN).toISOString();

describe('public status (SQLite)', () => {
  const fx = seededApi(STORES[0]!);
  const appWith = (pub = DEFAULT_PUBLIC): ReturnType<typeof createApp> =>
    createApp({ store: fx.store, api: { ...fixtureDeps(fx.store, fx.inv, { auth: { readToken: 'secret-read' } }), public: pub }, now: () => NOW });

  it('answers without the read token, aggregated by area and technology', async () => {
    const app = appWith();
    expect((await request(app).get('/api/devices')).status).toBe(401);
    const res = await request(app).get('/api/public/status.json');
    expect(res.status).toBe(200);
    expect(res.body.status).toEqual({ indicator: 'critical', description: 'Major System Outage' });
    expect(res.body.components).toEqual([
      { id: 'a1/fibre', area: 'a1', areaName: 'West', tech: 'fibre', status: 'major_outage', devices: { total: 2, up: 1, down: 1, unknown: 0 } },
      { id: 'a1/wifi', area: 'a1', areaName: 'West', tech: 'wifi', status: 'operational', devices: { total: 1, up: 1, down: 0, unknown: 0 } },
      { id: 'a2/fibre', area: 'a2', areaName: 'Middle', tech: 'fibre', status: 'operational', devices: { total: 2, up: 1, down: 0, unknown: 1 } },
    ]);
    expect(res.body.incidents).toEqual([
      { area: 'a2', areaName: 'Middle', tech: 'fibre', start: iso(180), end: iso(200), ongoing: false, status: 'resolved', outages: 1, households: 200 },
      { area: 'a1', areaName: 'West', tech: 'fibre', start: iso(130), end: null, ongoing: true, status: 'investigating', outages: 1, households: 100 },
    ]);
    // 90 days back from NOW
    expect(res.body.history).toEqual({ from: new Date(NOW - 90 * 86_400_000).toISOString(), to: new Date(NOW).toISOString(), days: 90 });
  });

  it('serves the same as an HTML page that names no device', async () => {
    const res = await request(appWith()).get('/status');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('Major System Outage');
    expect(res.text).toContain('data-component="a1/fibre"');
    const json = JSON.stringify((await request(appWith()).get('/api/public/status.json')).body);
    for (const d of DEVICES) {
      // ids quoted or delimited as the page and JSON would carry them
      expect(res.text).not.toMatch(new RegExp(`[>"'\\s/]${d.id}[<"'\\s/,]`));
      expect(json).not.toContain(`"${d.id}"`);
      expect(res.text + json).not.toContain(String(d.location.lat));
    }
  });

  it('is absent when public.statusPage is false', async () => {
    const app = appWith(publicSchema.parse({ statusPage: false }));
    expect((await request(app).get('/api/public/status.json')).status).toBe(404);
  });

  it('shows the configured number of days of history', async () => {
    // 7 days still hold both incidents (they are 7 h and 8 h before NOW)
    const res = await request(appWith(publicSchema.parse({ historyDays: 7, title: 'Brussels fibre and wifi' }))).get('/api/public/status.json');
    expect(res.body.history.days).toBe(7);
    expect(res.body.page.title).toBe('Brussels fibre and wifi');
    expect(res.body.incidents).toHaveLength(2);
  });

  it('refuses a config that asks for more than 90 days', () => {
    expect(() => publicSchema.parse({ historyDays: 365 })).toThrow(/90/);
  });
});
