/**
 * What the Incidents view asks of the API, on both stores, against the seeded data set of
 * api-fixture.ts (minutes after T0; window [T0, T0 + 600 min), now = T0 + 600 min): incidents
 * filtered by technology and ongoing, sorted by duration either way, as CSV; and a device's
 * timeline as spans (GET /api/devices/:id/timeline). Every expected figure is worked out below
 * from the fixture's samples.
 *
 * Incidents over the window: f2 (fibre, a1 West, 100 households) down from 130, ongoing, 470 min;
 * f3 (fibre, a2 Middle, 200 households) down 180..200, 20 min. w1 (wifi) has no incident.
 */
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { isoAt, q, seededApi, STORES } from './api-fixture.js';

const W = { from: isoAt(0), to: isoAt(600) };
const devicesOf = (body: unknown): string[] => (body as { device: string }[]).map((i) => i.device);

describe.each(STORES)('incidents and timelines for the views on $name', (kind) => {
  const fx = seededApi(kind);

  it('GET /api/incidents filters by technology and by ongoing', async () => {
    expect(devicesOf((await request(fx.app).get(`/api/incidents?${q({ ...W, tech: 'fibre' })}`).expect(200)).body)).toEqual(['f2', 'f3']);
    expect((await request(fx.app).get(`/api/incidents?${q({ ...W, tech: 'wifi' })}`).expect(200)).body).toEqual([]);
    expect(devicesOf((await request(fx.app).get(`/api/incidents?${q({ ...W, ongoing: 'true' })}`).expect(200)).body)).toEqual(['f2']);
    expect(devicesOf((await request(fx.app).get(`/api/incidents?${q({ ...W, ongoing: 'false' })}`).expect(200)).body)).toEqual(['f3']);
    expect(devicesOf((await request(fx.app).get(`/api/incidents?${q({ ...W, ongoing: 'false', area: 'a1' })}`).expect(200)).body)).toEqual([]);
  });

  it('GET /api/incidents sorts by duration (longest first) and reverses a sort with order', async () => {
    const get = async (p: Record<string, string>): Promise<string[]> => devicesOf((await request(fx.app).get(`/api/incidents?${q({ ...W, ...p })}`).expect(200)).body);
    // durations: f2 470 min, f3 20 min; starts: f2 130, f3 180; impact: f2 100 × 470/60 ≈ 783, f3 200 × 20/60 ≈ 67
    expect(await get({ sort: 'duration' })).toEqual(['f2', 'f3']);
    expect(await get({ sort: 'duration', order: 'asc' })).toEqual(['f3', 'f2']);
    expect(await get({ sort: 'duration', order: 'desc' })).toEqual(['f2', 'f3']);
    expect(await get({ sort: 'start', order: 'desc' })).toEqual(['f3', 'f2']);
    expect(await get({ sort: 'impact', order: 'asc' })).toEqual(['f3', 'f2']);
    // the limit applies after sorting: the one shortest incident
    expect(await get({ sort: 'duration', order: 'asc', limit: '1' })).toEqual(['f3']);
  });

  it('GET /api/incidents?format=csv gives the same rows, in order, with area names', async () => {
    const res = await request(fx.app).get(`/api/incidents?${q({ ...W, sort: 'duration', format: 'csv' })}`).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="incidents-.*\.csv"$/);
    // f2: 470 min = 28 200 s, impact 100 × 470 / 60 = 783.333333 (6 decimals);
    // f3: 20 min = 1200 s, impact 200 × 20 / 60 = 66.666667
    expect(res.text).toBe([
      'device,tech,area,area_name,start,end,duration_s,ongoing,households,clients,impact_hours,starts_before_window,ends_after_window',
      `f2,fibre,a1,West,${isoAt(130)},,28200,true,100,0,783.333333,false,false`,
      `f3,fibre,a2,Middle,${isoAt(180)},${isoAt(200)},1200,false,200,0,66.666667,false,false`,
      '',
    ].join('\r\n'));
    const ongoing = await request(fx.app).get(`/api/incidents?${q({ ...W, ongoing: 'true', format: 'csv' })}`).expect(200);
    expect(ongoing.text.trim().split('\r\n')).toHaveLength(2);
  });

  it('GET /api/incidents names a bad filter', async () => {
    const bad = await request(fx.app).get(`/api/incidents?${q({ ...W, ongoing: 'yes' })}`).expect(400);
    expect(bad.body.error).toMatchObject({ code: 'bad_parameter', parameter: 'ongoing' });
    const sort = await request(fx.app).get(`/api/incidents?${q({ ...W, sort: 'area' })}`).expect(400);
    expect(sort.body.error).toMatchObject({ code: 'bad_parameter', parameter: 'sort' });
    const fmt = await request(fx.app).get(`/api/incidents?${q({ ...W, format: 'xlsx' })}`).expect(400);
    expect(fmt.body.error).toMatchObject({ code: 'bad_parameter', parameter: 'format' });
  });

  it('GET /api/devices/:id/timeline tiles the window with the device\'s states', async () => {
    const spans = async (id: string): Promise<unknown> => {
      const res = await request(fx.app).get(`/api/devices/${id}/timeline?${q(W)}`).expect(200);
      expect(res.body).toMatchObject({ device: id, from: isoAt(0), to: isoAt(600) });
      return res.body.spans;
    };
    // f3: up samples 0..60 hold 2.5 × 10 min past the last one (60 + 25 = 85), silent until the
    // down samples at 180 and 190, up again from 200
    expect(await spans('f3')).toEqual([
      { state: 'up', start: isoAt(0), end: isoAt(85) },
      { state: 'unknown', reason: 'no-evidence', start: isoAt(85), end: isoAt(180) },
      { state: 'down', start: isoAt(180), end: isoAt(200) },
      { state: 'up', start: isoAt(200), end: isoAt(600) },
    ]);
    // w1: up, but the MQTT collector was disconnected 300..360
    expect(await spans('w1')).toEqual([
      { state: 'up', start: isoAt(0), end: isoAt(300) },
      { state: 'unknown', reason: 'collector-down', start: isoAt(300), end: isoAt(360) },
      { state: 'up', start: isoAt(360), end: isoAt(600) },
    ]);
    // f2: up until its first down sample at 130, down since (the ongoing incident)
    expect(await spans('f2')).toEqual([
      { state: 'up', start: isoAt(0), end: isoAt(130) },
      { state: 'down', start: isoAt(130), end: isoAt(600) },
    ]);
    expect(await spans('f4')).toEqual([{ state: 'unknown', reason: 'no-evidence', start: isoAt(0), end: isoAt(600) }]);
  });

  it('GET /api/devices/:id/timeline answers 404 for an unknown device and 400 for a bad window', async () => {
    const missing = await request(fx.app).get(`/api/devices/nope/timeline?${q(W)}`).expect(404);
    expect(missing.body.error.code).toBe('not_found');
    const backwards = await request(fx.app).get(`/api/devices/f1/timeline?${q({ from: isoAt(600), to: isoAt(0) })}`).expect(400);
    expect(backwards.body.error).toMatchObject({ code: 'bad_parameter', parameter: 'from' });
  });
});
