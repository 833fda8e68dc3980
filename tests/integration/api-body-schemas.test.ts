/**
 * The response body schemas the OpenAPI document (and so web/src/api-types.ts) carries describe
 * what the server really sends: each real answer on the seeded data set of api-fixture.ts parses,
 * and parsing strips nothing (an undocumented field would be dropped, so toEqual would fail).
 * The server never validates its answers at run time; this test is what keeps the schemas honest.
 */
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DESI_REPORT, DEVICE_TIMELINE, INCIDENT_JSON, UPTIME_ROW } from '../../server/analytics/body-schemas.js';
import { AREAS_GEOJSON, GAPS_GEOJSON } from '../../server/analytics/geo-body-schemas.js';
import { ALERTS, DEVICE_DETAIL, DEVICE_ITEM, HEALTH, MAP_DEVICE_COLUMNS, MAP_DEVICES, SERIES_POINT, WEB_CONFIG } from '../../server/api/body-schemas.js';
import { webStatic } from '../../server/web-static.js';
import { alertRoutes } from '../../server/api/alerts.js';
import { AlertHistory } from '../../server/alerts/history.js';
import { eventOf } from '../../server/alerts/types.js';
import { createApp } from '../../server/app.js';
import { STATUS_EVENT, StatusEvents } from '../../server/events.js';
import { PLAN_ANSWER, SITING_ANSWER } from '../../server/planning/plan-body-schemas.js';
import { fixtureApp, HOUR, isoAt, NOW, q, seededApi, STORES } from './api-fixture.js';

const DAY = 24 * HOUR;

const W = { from: isoAt(0), to: isoAt(600) };

describe.each(STORES)('response body schemas on $name', (kind) => {
  const fx = seededApi(kind);

  const matches = async (url: string, schema: z.ZodType, on: Express = fx.app): Promise<unknown> => {
    const res = await request(on).get(url);
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

  it('/api/map/devices: 5 points, the fibre nodes with householdsPassed, the AP with radiusM', async () => {
    const body = await matches('/api/map/devices', MAP_DEVICES) as z.infer<typeof MAP_DEVICES>;
    expect(body.features.map((f) => f.properties.id)).toEqual(['f1', 'f2', 'f3', 'f4', 'w1']);
    // f4 passes no households in the fixture, so only f1, f2, f3 carry the field
    expect(body.features.filter((f) => f.properties.householdsPassed !== undefined).map((f) => f.properties.id)).toEqual(['f1', 'f2', 'f3']);
    expect(body.features.find((f) => f.properties.id === 'w1')!.properties.radiusM).toBe(50);
  });

  it('/api/map/devices/columns: the 5 devices of /api/map/devices, in its order, with the same positions and statuses', async () => {
    const body = await matches('/api/map/devices/columns', MAP_DEVICE_COLUMNS) as z.infer<typeof MAP_DEVICE_COLUMNS>;
    // by hand from api-fixture.ts: f1 up, f2 down since minute 130, f3 up again, f4 never seen, w1 up
    expect(body).toEqual({
      count: 5, statuses: ['up', 'down', 'unknown'], techs: ['fibre', 'wifi'],
      id: ['f1', 'f2', 'f3', 'f4', 'w1'],
      lon: [4.31, 4.305, 4.33, 4.335, 4.32], lat: [50.85, 50.845, 50.85, 50.855, 50.85],
      tech: [0, 0, 0, 0, 1],
      householdsPassed: [400, 100, 200, null, null], radiusM: [null, null, null, null, 50],
      status: [0, 1, 0, 2, 0],
    });
    // the object form says the same of every device
    const geo = MAP_DEVICES.parse((await request(fx.app).get('/api/map/devices')).body);
    expect(geo.features.map((f) => [f.properties.id, f.geometry.coordinates, f.properties.tech, f.properties.status, f.properties.householdsPassed ?? null, f.properties.radiusM ?? null]))
      .toEqual(body.id.map((id, i) => [id, [body.lon[i], body.lat[i]], body.techs[body.tech[i]!], body.statuses[body.status[i]!], body.householdsPassed[i], body.radiusM[i]]));
  });

  it('/api/coverage/areas.geojson: the 3 fixture areas, each with its coverage', async () => {
    const body = await matches(`/api/coverage/areas.geojson?${q(W)}`, AREAS_GEOJSON) as z.infer<typeof AREAS_GEOJSON>;
    expect(body.features.map((f) => [f.properties.id, f.geometry.type, f.properties.coverage.id])).toEqual([['a1', 'Polygon', 'a1'], ['a2', 'Polygon', 'a2'], ['a3', 'Polygon', 'a3']]);
  });

  it('/api/gaps: hexagons with their cell and area name', async () => {
    const body = await matches('/api/gaps?limit=5', GAPS_GEOJSON) as z.infer<typeof GAPS_GEOJSON>;
    expect(body.features).toHaveLength(5);
    for (const f of body.features) expect(f.properties.cell).toBe(f.properties.h3);
  });

  it('/api/devices: the 5 fixture devices with their inventory data and state', async () => {
    const body = await matches('/api/devices', z.array(DEVICE_ITEM)) as z.infer<typeof DEVICE_ITEM>[];
    expect(body.map((d) => [d.id, d.area, d.status])).toEqual([['f1', 'a1', 'up'], ['f2', 'a1', 'down'], ['f3', 'a2', 'up'], ['f4', 'a2', 'unknown'], ['w1', 'a1', 'up']]);
  });

  it('/api/devices/:id: f1 with its area name, inventory extras and a 24 h uptime; w1 with its radius', async () => {
    const f1 = await matches('/api/devices/f1', DEVICE_DETAIL) as z.infer<typeof DEVICE_DETAIL>;
    expect([f1.areaName, f1.householdsPassed, f1.accessTech, f1.intervalS, f1.location]).toEqual(['West', 400, 'ftth', 600, { lat: 50.85, lon: 4.31 }]);
    // f1 is up all along and never down, so up / (up + down) = 1
    expect(f1.uptime_24h).toBe(1);
    expect(f1.uptime_24h_detail?.down_ms).toBe(0);
    const w1 = await matches('/api/devices/w1', DEVICE_DETAIL) as z.infer<typeof DEVICE_DETAIL>;
    expect([w1.tech, w1.radiusM, w1.householdsPassed]).toEqual(['wifi', 50, undefined]);
  });

  it('/api/devices/f2/series of up by the hour: 10 buckets, up until minute 120 then down', async () => {
    const body = await matches(`/api/devices/f2/series?${q({ ...W, metric: 'up', step: '1h' })}`, z.array(SERIES_POINT)) as z.infer<typeof SERIES_POINT>[];
    // 600 min / 60 = 10 buckets; hours 0 and 1 have 6 up samples each (mean 1); hour 2 has minute 120
    // up and 130..170 down (1 of 6 = 1/6); hours 3..9 only down samples (0)
    expect(body.map((p) => p.time)).toEqual(Array.from({ length: 10 }, (_v, i) => isoAt(60 * i)));
    expect(body.slice(0, 2).map((p) => p.value)).toEqual([1, 1]);
    expect(body[2]!.value).toBeCloseTo(1 / 6, 9);
    expect(body.slice(3).map((p) => p.value)).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });

  it('/api/events: the data of the status event of f2 going from down to unknown (read from the stream)', async () => {
    // baseline at NOW: f2 is down (its samples say so every 10 min up to minute 590); a day later
    // that down is no longer restated, so f2 turns unknown with reason stale
    let clock = NOW;
    const events = new StatusEvents({ store: fx.store, devices: () => fx.inv.all().filter((d) => d.id === 'f2'), now: () => clock, intervals: { fibreS: 600, wifiS: 600 }, pollMs: 60_000 });
    const server = fixtureApp(fx.store, fx.inv, { events }).listen(0, '127.0.0.1');
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(), 5000);
    try {
      await new Promise((r) => server.once('listening', r));
      expect(await events.poll()).toEqual([]);
      clock = NOW + DAY;
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/events`, { signal: ctl.signal });
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      let text = '';
      // the route polls once a client subscribed, so f2's change comes before `ready`
      while (!text.includes('event: ready')) {
        const { value, done } = await reader.read();
        if (done) break;
        text += value;
      }
      const data = /event: status\ndata: (.*)\n/.exec(text)?.[1];
      expect(data, text).toBeDefined();
      const sent: unknown = JSON.parse(data!);
      const parsed = STATUS_EVENT.safeParse(sent);
      expect(parsed.success ? '' : parsed.error.message).toBe('');
      expect(parsed.data).toEqual(sent);
      expect(sent).toEqual({ device: 'f2', status: 'unknown', statusReason: 'stale', previous: 'down', time: isoAt(600 + 24 * 60), lastSeen: isoAt(590) });
    } finally {
      clearTimeout(timer);
      ctl.abort();
      events.stop();
      await new Promise((r) => server.close(r));
    }
  });

  it('POST /api/plan: an AP of fixed radius 100 m in the empty area a3 (East) changes a3 only', async () => {
    const res = await request(fx.app).post('/api/plan').send({ aps: [{ id: 'p1', lat: 50.85, lon: 4.35, radiusM: 100 }], gapsLimit: 3 });
    expect(res.status).toBe(200);
    const parsed = PLAN_ANSWER.safeParse(res.body);
    expect(parsed.success ? '' : parsed.error.message).toBe('');
    expect(parsed.data).toEqual(res.body);
    const body = parsed.data!;
    expect(body.aps.map((a) => [a.id, a.radiusM, a.radius.source])).toEqual([['p1', 100, 'fixed']]);
    expect(body.areas.map((a) => [a.id, a.changed])).toEqual([['a1', false], ['a2', false], ['a3', true]]);
    expect(body.region.proposed).toEqual({ aps: 1, fibreNodes: 0 });
    expect(body.remainingGaps.length).toBeGreaterThan(0);
    expect(body.remainingGaps.length).toBeLessThanOrEqual(3);
  });

  it('POST /api/plan/siting: two candidates of fixed radius 100 m in the empty area a3, the better first', async () => {
    const res = await request(fx.app).post('/api/plan/siting').send({
      count: 2, areas: ['a3'], radiusM: 100,
      candidates: [{ id: 'c1', lat: 50.85, lon: 4.35 }, { id: 'c2', lat: 50.851, lon: 4.351 }],
    });
    expect(res.status).toBe(200);
    const parsed = SITING_ANSWER.safeParse(res.body);
    expect(parsed.success ? '' : parsed.error.message).toBe('');
    expect(parsed.data).toEqual(res.body);
    const body = parsed.data!;
    expect(body.areas).toEqual(['a3']);
    expect(body.radius.source).toBe('fixed');
    expect(body.picks.map((p) => p.rank)).toEqual([1, 2]);
    expect(body.picks.map((p) => p.id).sort()).toEqual(['c1', 'c2']);
    expect(body.picks[0]!.gainHouseholds).toBeGreaterThan(0);
    // greedy: each pick's gain is at most the one before, and the running total is their sum
    let total = 0;
    for (const [i, p] of body.picks.entries()) {
      if (i > 0) expect(p.gainHouseholds).toBeLessThanOrEqual(body.picks[i - 1]!.gainHouseholds);
      total += p.gainHouseholds;
      expect(p.cumulativeHouseholds).toBeCloseTo(total, 6);
    }
  });

  it('/api/alerts: an open area alert with its members and a resolved device alert with endedAt/endedAs', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netatlas-alerts-'));
    const history = new AlertHistory({ path: path.join(dir, 'alerts.db') });
    try {
      const t = (minute: number): number => NOW - 600 * 60_000 + minute * 60_000;
      const open = { id: 'area_down:a1:1', rule: 'area_down' as const, subject: 'a1', severity: 'critical' as const, summary: 'area a1: 2 devices down', startedAt: t(130), firedAt: t(135), resolvedAt: null, area: 'a1', devices: ['f2', 'w1'], value: 2 };
      const resolved = { id: 'device_down:f3:1', rule: 'device_down' as const, subject: 'f3', severity: 'warning' as const, summary: 'f3 down', startedAt: t(180), firedAt: t(185), resolvedAt: t(205), endedAt: t(200), endedAs: 'up' as const, flapping: false };
      history.commit([eventOf('resolved', resolved, t(205))], [open], {}, 10);
      const app = express();
      for (const r of alertRoutes({ history })) if (r.handler) app.get(r.path, r.handler);
      const body = await matches('/api/alerts', ALERTS, app) as z.infer<typeof ALERTS>;
      expect(body.open.map((a) => [a.id, a.devices, a.resolvedAt])).toEqual([['area_down:a1:1', ['f2', 'w1'], null]]);
      expect(body.recent.map((a) => [a.id, a.endedAt, a.endedAs])).toEqual([['device_down:f3:1', isoAt(200), 'up']]);
      expect(body.deliveries).toEqual({ pending: 0, delivered: 0, failed: 0 });
    } finally {
      history.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('/web-config.json with a configured tile server, view and alerts', async () => {
    const web = express().use(webStatic({ tileUrl: 'http://127.0.0.1:9/{z}/{x}/{y}.png', center: { lat: 50.8, lon: 4.3 }, zoom: 9, alerts: true }));
    const body = await matches('/web-config.json', WEB_CONFIG, web);
    // a tile server other than OpenStreetMap's gets no attribution unless one is configured
    expect(body).toEqual({ tileUrl: 'http://127.0.0.1:9/{z}/{x}/{y}.png', tileAttribution: '', center: { lat: 50.8, lon: 4.3 }, zoom: 9, alerts: true });
  });

  it('/api/health, with a component that adds figures of its own (kept by the schema)', async () => {
    const withParts = createApp({ store: fx.store, components: { broker: async () => ({ ok: true, detail: 'embedded', clients: 3 }) } });
    const body = await matches('/api/health', HEALTH, withParts) as z.infer<typeof HEALTH>;
    expect(body.status).toBe('ok');
    expect(body['broker']).toEqual({ ok: true, detail: 'embedded', clients: 3 });
  });
});
