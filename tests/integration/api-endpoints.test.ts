/**
 * Every endpoint on both stores against the seeded data set of api-fixture.ts, whose answers are
 * computed by hand here (minutes after T0; the window is [T0, T0 + 600 min), now = T0 + 600 min).
 */
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { rollupRange } from '../../server/rollups.js';
import { HOUR, isoAt, MIN, NOW, q, seededApi, STORES, T0 } from './api-fixture.js';

const W = { from: isoAt(0), to: isoAt(600) };
const ms = (minutes: number): number => minutes * MIN;

// Per device over the window (minutes): f1 up 600; f2 up 130 down 470; f3 up 85+400=485, down 20,
// unknown 95; f4 unknown 600; w1 up 540, unknown 60 (collector down 300..360).
const BY_DEVICE = {
  f1: { up: 600, down: 0, unknown: 0 },
  f2: { up: 130, down: 470, unknown: 0 },
  f3: { up: 485, down: 20, unknown: 95 },
  f4: { up: 0, down: 0, unknown: 600 },
  w1: { up: 540, down: 0, unknown: 60 },
} as const;

describe.each(STORES)('HTTP API on $name', (kind) => {
  const fx = seededApi(kind);

  it('places the AP on the a1/a2 border in a1, the area with the smaller id', () => {
    expect(fx.inv.byId('w1')?.area).toBe('a1');
  });

  it('GET /api/uptime?groupBy=device gives each device its up, down and unknown time', async () => {
    const res = await request(fx.app).get(`/api/uptime?${q({ ...W, groupBy: 'device' })}`).expect(200);
    const rows = res.body as Array<Record<string, unknown>>;
    expect(rows.map((r) => r['key'])).toEqual(['f1', 'f2', 'f3', 'f4', 'w1']);
    for (const r of rows) {
      const e = BY_DEVICE[r['key'] as keyof typeof BY_DEVICE];
      expect([r['up_ms'], r['down_ms'], r['unknown_ms'], r['maintenance_ms']], String(r['key'])).toEqual([ms(e.up), ms(e.down), ms(e.unknown), 0]);
      expect(r['uptime'], String(r['key'])).toEqual(e.up + e.down > 0 ? e.up / (e.up + e.down) : null);
    }
    expect(res.headers['x-netatlas-raw-ms']).toBe(String(ms(600)));
  });

  it('GET /api/uptime?groupBy=area sums time over devices and lists the area with no devices', async () => {
    const res = await request(fx.app).get(`/api/uptime?${q({ ...W, groupBy: 'area' })}`).expect(200);
    expect(res.body).toEqual([
      // a1 = f1 + f2 + w1: up 600+130+540 = 1270, down 470, unknown 60
      { key: 'a1', name: 'West', devices: 3, up_ms: ms(1270), down_ms: ms(470), unknown_ms: ms(60), maintenance_ms: 0, uptime: 1270 / 1740 },
      // a2 = f3 + f4: up 485, down 20, unknown 95 + 600
      { key: 'a2', name: 'Middle', devices: 2, up_ms: ms(485), down_ms: ms(20), unknown_ms: ms(695), maintenance_ms: 0, uptime: 485 / 505 },
      { key: 'a3', name: 'East', devices: 0, up_ms: 0, down_ms: 0, unknown_ms: 0, maintenance_ms: 0, uptime: null },
    ]);
  });

  it('GET /api/uptime groups by site and by technology', async () => {
    const site = await request(fx.app).get(`/api/uptime?${q({ ...W, groupBy: 'site' })}`).expect(200);
    expect(site.body.map((r: { key: string; uptime: number }) => [r.key, r.uptime])).toEqual([['s1', 730 / 1200], ['s2', 485 / 505], ['ws', 1]]);
    const tech = await request(fx.app).get(`/api/uptime?${q({ ...W, groupBy: 'tech' })}`).expect(200);
    // fibre: up 600+130+485 = 1215, down 470+20 = 490
    expect(tech.body.map((r: { key: string; uptime: number; devices: number }) => [r.key, r.devices, r.uptime])).toEqual([['fibre', 4, 1215 / 1705], ['wifi', 1, 1]]);
  });

  it('GET /api/uptime&weight=households counts fibre nodes by households passed', async () => {
    const res = await request(fx.app).get(`/api/uptime?${q({ ...W, groupBy: 'area', weight: 'households' })}`).expect(200);
    // a1: (400·600 + 100·130) / (400·600 + 100·600) = 253000 / 300000; w1 and f4 have no households
    expect(res.body.map((r: { key: string; uptime: number | null; devices: number }) => [r.key, r.devices, r.uptime])).toEqual([
      ['a1', 2, 253_000 / 300_000], ['a2', 1, 485 / 505], ['a3', 0, null],
    ]);
  });

  it('GET /api/incidents lists the ongoing outage of f2 and the ended one of f3, by start or by impact', async () => {
    const res = await request(fx.app).get(`/api/incidents?${q(W)}`).expect(200);
    expect(res.body.map((i: Record<string, unknown>) => [i['device'], i['start'], i['end'], i['duration_ms'], i['ongoing']])).toEqual([
      ['f2', isoAt(130), null, ms(470), true],
      ['f3', isoAt(180), isoAt(200), ms(20), false],
    ]);
    // impact: households × hours: f2 100 × 470/60, f3 200 × 20/60
    expect(res.body[0].impact).toEqual({ area: 'a1', tech: 'fibre', households: 100, clients: 0, impact_hours: (100 * 470) / 60 });
    expect(res.body[1].impact.impact_hours).toBeCloseTo((200 * 20) / 60, 9);
    const byImpact = await request(fx.app).get(`/api/incidents?${q({ ...W, sort: 'impact', limit: 1 })}`).expect(200);
    expect(byImpact.body.map((i: { device: string }) => i.device)).toEqual(['f2']);
    const area = await request(fx.app).get(`/api/incidents?${q({ ...W, area: 'a2' })}`).expect(200);
    expect(area.body.map((i: { device: string }) => i.device)).toEqual(['f3']);
    const device = await request(fx.app).get(`/api/incidents?${q({ ...W, device: 'f1' })}`).expect(200);
    expect(device.body).toEqual([]);
  });

  it('GET /api/incidents from mid-outage says the run started before the window', async () => {
    const res = await request(fx.app).get(`/api/incidents?${q({ from: isoAt(300), to: isoAt(600), device: 'f2' })}`).expect(200);
    expect(res.body).toHaveLength(1);
    expect(res.body[0]).toMatchObject({ device: 'f2', start: isoAt(300), end: null, ongoing: true, startsBeforeWindow: true, duration_ms: ms(300) });
  });

  it('GET /api/devices lists devices with current status, filtered by tech, area and status, without SNMP secrets', async () => {
    const all = await request(fx.app).get('/api/devices').expect(200);
    expect(all.body.map((d: { id: string; status: string }) => [d.id, d.status])).toEqual([['f1', 'up'], ['f2', 'down'], ['f3', 'up'], ['f4', 'unknown'], ['w1', 'up']]);
    expect(JSON.stringify(all.body)).not.toContain('community');
    expect(all.body[0].lastSeen).toBe(isoAt(590));
    expect((await request(fx.app).get('/api/devices?tech=wifi').expect(200)).body.map((d: { id: string }) => d.id)).toEqual(['w1']);
    expect((await request(fx.app).get('/api/devices?area=a2').expect(200)).body.map((d: { id: string }) => d.id)).toEqual(['f3', 'f4']);
    expect((await request(fx.app).get('/api/devices?status=down').expect(200)).body.map((d: { id: string }) => d.id)).toEqual(['f2']);
    expect((await request(fx.app).get('/api/devices?area=a3').expect(200)).body).toEqual([]);
  });

  it('GET /api/devices/:id gives one device with its area name, status and 24 h uptime; 404 for an unknown id', async () => {
    const res = await request(fx.app).get('/api/devices/f2').expect(200);
    expect(res.body).toMatchObject({ id: 'f2', tech: 'fibre', area: 'a1', areaName: 'West', status: 'down', lastSeen: isoAt(590), householdsPassed: 100, uptime_24h: 130 / 600 });
    expect(res.body.snmp).toBeUndefined();
    const missing = await request(fx.app).get('/api/devices/nope').expect(404);
    expect(missing.body.error.code).toBe('not_found');
  });

  it('GET /api/devices/:id/series gives hourly means of up computed by the store', async () => {
    const res = await request(fx.app).get(`/api/devices/f2/series?${q({ metric: 'up', from: isoAt(0), to: isoAt(240), step: '1h' })}`).expect(200);
    // hour 2 holds 120 (up) and 130..170 (down): 1/6
    expect(res.body.map((p: { time: string }) => p.time)).toEqual([isoAt(0), isoAt(60), isoAt(120), isoAt(180)]);
    expect(res.body.map((p: { value: number }) => p.value)).toEqual([1, 1, 1 / 6, 0].map((v) => expect.closeTo(v, 9)));
    const clients = await request(fx.app).get(`/api/devices/w1/series?${q({ metric: 'clients', from: isoAt(0), to: isoAt(120), step: '1h' })}`).expect(200);
    expect(clients.body.map((p: { value: number }) => p.value)).toEqual([12, 12]);
  });

  it('GET /api/map/devices gives GeoJSON points with status and 24 h uptime', async () => {
    const res = await request(fx.app).get('/api/map/devices').expect(200);
    expect(res.type).toBe('application/geo+json');
    const props = Object.fromEntries(res.body.features.map((f: { properties: { id: string } }) => [f.properties.id, f.properties]));
    expect(res.body.features[0].geometry).toEqual({ type: 'Point', coordinates: [4.31, 50.85] });
    expect([props.f1.uptime_24h, props.f2.uptime_24h, props.f3.uptime_24h, props.f4.uptime_24h, props.w1.uptime_24h]).toEqual([1, 130 / 600, 485 / 505, null, 1]);
    expect(props.w1).toMatchObject({ status: 'up', radiusM: 50 });
  });

  it('GET /api/coverage gives fibre coverage as built and live per area and for the region', async () => {
    const res = await request(fx.app).get(`/api/coverage?${q(W)}`).expect(200);
    const [a1, a2, a3] = res.body.areas;
    expect([a1.id, a1.households, a1.fibre.householdsPassed, a1.fibre.asBuilt]).toEqual(['a1', 1000, 500, 0.5]);
    // live a1: (400·1 + 100·130/600) / 1000
    expect(a1.fibre.live).toBeCloseTo((400 + (100 * 130) / 600) / 1000, 12);
    expect(a2.fibre.asBuilt).toBe(0.4);
    expect(a2.fibre.live).toBeCloseTo((200 * 485) / 505 / 500, 12);
    // f4 (no households figure, unknown uptime) passes nothing: completeness stays 1
    expect(a2.fibre.liveCompleteness).toBe(1);
    expect([a3.fibre.nodes, a3.fibre.asBuilt, a3.wifi.aps, a3.wifi.areaAsBuilt]).toEqual([0, 0, 0, 0]);
    expect(res.body.region.households).toBe(1800);
    expect(res.body.region.fibre.asBuilt).toBeCloseTo(700 / 1800, 12);
  });

  it('GET /api/coverage splits the border AP\'s disc between the two areas it covers', async () => {
    const res = await request(fx.app).get(`/api/coverage?${q(W)}`).expect(200);
    const [a1, a2] = res.body.areas;
    // half a disc of 50 m each side: π·50²/2 ≈ 3927 m² (a 32-gon is 0.6 % smaller)
    for (const a of [a1, a2]) {
      expect(a.wifi.aps).toBe(1);
      expect(a.wifi.coveredAsBuilt_m2).toBeGreaterThan(3927 * 0.98);
      expect(a.wifi.coveredAsBuilt_m2).toBeLessThan(3927 * 1.001);
      expect(a.wifi.areaAsBuilt).toBeCloseTo(a.wifi.coveredAsBuilt_m2 / a.area_m2, 12);
    }
  });

  it('GET /api/coverage/areas.geojson puts the figures on the area polygons', async () => {
    const res = await request(fx.app).get(`/api/coverage/areas.geojson?${q(W)}`).expect(200);
    expect(res.type).toBe('application/geo+json');
    const props = res.body.features.map((f: { properties: Record<string, unknown> }) => f.properties);
    expect(props.map((p: Record<string, unknown>) => [p['id'], p['fibreCoverage'], p['uptime']])).toEqual([['a1', 0.5, 1270 / 1740], ['a2', 0.4, 485 / 505], ['a3', 0, null]]);
    expect(res.body.features[2].geometry.type).toBe('Polygon');
  });

  it('GET /api/gaps ranks H3 cells by uncovered households, worst first, within the limit', async () => {
    const all = await request(fx.app).get('/api/gaps?limit=5000').expect(200);
    const cells = all.body.features.map((f: { properties: Record<string, number | string> }) => f.properties);
    const sum = (area: string, key: string): number => cells.filter((c: Record<string, unknown>) => c['area'] === area).reduce((s: number, c: Record<string, number>) => s + c[key]!, 0);
    // every area's households are spread over its cells; a3 has no coverage at all
    expect(sum('a1', 'households')).toBeCloseTo(1000, 6);
    expect(sum('a3', 'households')).toBeCloseTo(300, 6);
    expect(sum('a3', 'uncoveredHouseholds')).toBeCloseTo(300, 6);
    // a1 (fibre 0.5): 500 uncovered minus the little the AP covers
    expect(sum('a1', 'uncoveredHouseholds')).toBeLessThan(500);
    expect(sum('a1', 'uncoveredHouseholds')).toBeGreaterThan(498);
    const values = cells.map((c: Record<string, number>) => c['uncoveredHouseholds']);
    expect(values).toEqual([...values].sort((a, b) => b - a));
    const top = await request(fx.app).get('/api/gaps?limit=3').expect(200);
    expect(top.body.features).toHaveLength(3);
    expect(top.body.features[0].properties.cell).toBe(cells[0].cell);
    const none = await request(fx.app).get('/api/gaps?minHouseholds=1000000').expect(200);
    expect(none.body.features).toEqual([]);
  });

  it('GET /api/reports/desi gives FTTP coverage and network availability per area and region, JSON and CSV', async () => {
    const period = String(new Date(T0).getUTCFullYear());
    const res = await request(fx.app).get(`/api/reports/desi?${q({ period })}`).expect(200);
    const scope = (id: string) => res.body.scopes.find((s: { id: string }) => s.id === id);
    const ind = (id: string, code: string) => scope(id).indicators.find((i: { code: string }) => i.code === code);
    expect(ind('', '2b3').value).toBeCloseTo((100 * 700) / 1800, 9);
    expect(ind('', '2b3').completeness).toBe(3 / 4);
    expect(ind('a2', '2b3')).toMatchObject({ value: 40, completeness: 0.5, available: true });
    expect(ind('a3', '2b3').value).toBe(0);
    // availability: up 600+130+485+540 = 1755, down 490; f4 never known
    expect(ind('', 'R-availability').value).toBeCloseTo((100 * 1755) / 2245, 9);
    expect(ind('', 'R-availability').completeness).toBe(4 / 5);
    expect(ind('a3', 'R-availability')).toMatchObject({ available: false, value: null });
    expect(ind('', '2a1')).toMatchObject({ available: false, value: null });
    const csv = await request(fx.app).get(`/api/reports/desi?${q({ period, format: 'csv' })}`).expect(200);
    expect(csv.type).toBe('text/csv');
    expect(csv.text.split('\r\n')[0]).toBe('scope,area_id,area_name,code,name,unit,value,available,reason,period,completeness,households_estimated,avg_household_size,definition,digital_decade_codes,digital_decade_difference');
    expect(csv.text).toContain(`region,,region,2b3,FTTP coverage,% of households,${Number(((100 * 700) / 1800).toFixed(6))},true,,${period},0.75`);
  });

  it('reads whole hours from the hourly rollups once they exist, with the same answers', async () => {
    const run = await rollupRange(fx.store, fx.inv.all(), T0, NOW, { fibreS: 600, wifiS: 600 });
    expect(run).toEqual({ from: T0, to: NOW, hours: 10, points: 50 });
    const res = await request(fx.app).get(`/api/uptime?${q({ ...W, groupBy: 'device' })}`).expect(200);
    expect(res.headers['x-netatlas-rollup-ms']).toBe(String(10 * HOUR));
    expect(res.headers['x-netatlas-raw-ms']).toBe('0');
    for (const r of res.body as Array<Record<string, number | string>>) {
      const e = BY_DEVICE[r['key'] as keyof typeof BY_DEVICE];
      expect([r['up_ms'], r['down_ms'], r['unknown_ms']], String(r['key'])).toEqual([ms(e.up), ms(e.down), ms(e.unknown)]);
    }
    // a window from mid-hour: 30 raw minutes, then 9 rolled-up hours
    const half = await request(fx.app).get(`/api/uptime?${q({ from: isoAt(30), to: isoAt(600), groupBy: 'area' })}`).expect(200);
    expect(half.headers['x-netatlas-raw-ms']).toBe(String(ms(30)));
    expect(half.body[0]).toMatchObject({ key: 'a1', up_ms: ms(1270 - 90), down_ms: ms(470), unknown_ms: ms(60) });
  });
});
