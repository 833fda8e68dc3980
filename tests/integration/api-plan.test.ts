/**
 * POST /api/plan and POST /api/plan/siting on the API fixture (api-fixture.ts: three 0.02° squares;
 * a3 "East", lon 4.34..4.36, lat 50.84..50.86, 300 households, no devices), through the real app
 * (createApp, SQLite store — the planner reads only the inventory).
 */
import request from 'supertest';
import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORES, fixtureApp, fixtureInventory } from './api-fixture.js';

let app: Express;
let dispose: () => Promise<void>;

beforeAll(async () => {
  const s = await STORES[0]!.open();
  dispose = s.dispose;
  app = fixtureApp(s.store, fixtureInventory());
});
afterAll(async () => { await dispose?.(); });

describe('POST /api/plan', () => {
  it('a fibre node passing 150 of a3\'s 300 households covers 150 of them, and nothing is written to the inventory', async () => {
    // a3 has no device: uncovered before = 300; fibre share after = 150 / 300 = 0.5 → uncovered after = 150, newly 150
    // population: a3 has round(300 × 2.14) = 642 persons → 150 × 642 / 300 = 321
    const res = await request(app).post('/api/plan').send({ fibreNodes: [{ lat: 50.85, lon: 4.35, householdsPassed: 150, accessTech: 'ftth' }] }).expect(200);
    const a3 = res.body.areas.find((a: { id: string }) => a.id === 'a3');
    expect(a3.newlyCoveredHouseholds).toBeCloseTo(150, 6);
    expect(a3.newlyCoveredPopulation).toBeCloseTo(321, 6);
    expect(a3.uncoveredHouseholds.before).toBeCloseTo(300, 6);
    expect(a3.coverage.fibre).toEqual({ before: 0, after: 0.5, change: 0.5 });
    // FTTP 2b3 of a3: 0 % → 50 %
    expect(a3.desi.find((d: { code: string }) => d.code === '2b3')).toMatchObject({ before: 0, after: 50, change: 50 });
    expect(res.body.region.newlyCoveredHouseholds).toBeCloseTo(150, 6);
    const devices = await request(app).get('/api/devices').expect(200);
    expect(devices.body.map((d: { id: string }) => d.id)).not.toContain('proposed-fibre-1');
  });

  it('gives each AP the model radius (78.6 m street NLoS by default) or its fixed radius', async () => {
    const res = await request(app).post('/api/plan').send({ aps: [{ lat: 50.85, lon: 4.35 }, { lat: 50.85, lon: 4.355, radiusM: 30 }, { lat: 50.85, lon: 4.345, radio: { reach: 'indoor' } }] }).expect(200);
    expect(res.body.aps.map((a: { radiusM: number }) => Number(a.radiusM.toFixed(1)))).toEqual([78.6, 30, 32.8]);
    expect(res.body.resolution).toBe(11);
    expect(res.body.region.newlyCoveredHouseholds).toBeGreaterThan(0);
    expect(res.body.remainingGaps.length).toBeGreaterThan(0);
  });

  it('answers bad input with 400 bad_parameter naming the body field', async () => {
    const cases: [unknown, string][] = [
      [{ aps: [{ lat: 95, lon: 4.35 }] }, 'body.aps[0].lat'],
      [{ aps: [{ lon: 4.35 }] }, 'body.aps[0].lat'],
      [{ aps: [{ lat: 50.85, lon: 4.35, radio: { frequencyGHz: 0.1 } }] }, 'body.aps[0].radio.frequencyGHz'],
      [{ fibreNodes: [{ lat: 50.85, lon: 4.35, householdsPassed: -1 }] }, 'body.fibreNodes[0].householdsPassed'],
      [{ aps: [], colour: 'red' }, 'body.colour'],
    ];
    for (const [body, parameter] of cases) {
      const res = await request(app).post('/api/plan').send(body as object).expect(400);
      expect(res.body.error).toMatchObject({ code: 'bad_parameter', parameter });
    }
    const broken = await request(app).post('/api/plan').set('content-type', 'application/json').send('{"aps": [').expect(400);
    expect(broken.body.error.parameter).toBe('body');
  });
});

describe('POST /api/plan/siting', () => {
  // three candidates in a3: its centre, and two in a corner 10 m apart; one AP of r = 50 m each.
  // a3 is settled evenly, so every disc wholly inside it weighs the same; the corner ones hang
  // outside (the corner is at 4.34, 50.84): the centre is the best single pick.
  const candidates = [{ id: 'corner-1', lat: 50.8401, lon: 4.3401 }, { id: 'centre', lat: 50.85, lon: 4.35 }, { id: 'corner-2', lat: 50.8401, lon: 4.3402 }];

  it('picks the site reaching the most uncovered households first, with its marginal gain', async () => {
    const res = await request(app).post('/api/plan/siting').send({ count: 2, areas: ['a3'], candidates, radiusM: 50 }).expect(200);
    // then a corner: the two corner discs overlap almost wholly, so whichever goes second adds far less
    expect(res.body.picks[0].id).toBe('centre');
    expect(res.body.picks[1].id).toMatch(/^corner-/);
    // disc share of a3: 7 853.98 m² / (1 404.0 m × 2 223.9 m = 3 122 400 m²) × 300 = 0.7546 households (res 12 cell centres: ±10 %)
    expect(res.body.picks[0].gainHouseholds).toBeGreaterThan(0.68);
    expect(res.body.picks[0].gainHouseholds).toBeLessThan(0.83);
    expect(res.body.picks[1].gainHouseholds).toBeLessThan(res.body.picks[0].gainHouseholds);
    expect(res.body.uncoveredHouseholdsBefore).toBeCloseTo(300, 3);
  });

  it('writes the picks as CSV and GeoJSON', async () => {
    const csv = await request(app).post('/api/plan/siting').send({ count: 1, areas: ['a3'], candidates, radiusM: 50, format: 'csv' }).expect(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe('rank,id,lat,lon,area,radius_m,gain_households,cumulative_households,cumulative_share');
    expect(lines[1]).toMatch(/^1,centre,50\.85,4\.35,a3,50,/);
    const geo = await request(app).post('/api/plan/siting').send({ count: 1, areas: ['a3'], candidates, radiusM: 50, format: 'geojson' }).expect(200);
    const fc = JSON.parse(geo.text);
    expect(fc.features[0].geometry).toEqual({ type: 'Point', coordinates: [4.35, 50.85] });
  });

  it('sites on a grid over a bounding box', async () => {
    const res = await request(app).post('/api/plan/siting').send({ count: 3, bbox: [4.345, 50.845, 4.355, 50.855], gridSpacingM: 100, radiusM: 40 }).expect(200);
    expect(res.body.areas).toEqual(['a3']);
    expect(res.body.picks).toHaveLength(3);
    // the demand is the part of a3 under the box: 0.01° × 0.01° of its 0.02° × 0.02° = 1/4 → 300 / 4 = 75 households
    expect(res.body.households).toBeCloseTo(75, 0);
    expect(res.body.uncoveredHouseholdsBefore).toBeCloseTo(75, 0);
  });

  it('names the field of bad input', async () => {
    const cases: [unknown, string][] = [
      [{ areas: ['a3'] }, 'body.count'],
      [{ count: 1 }, 'body.areas'],
      [{ count: 1, areas: ['nowhere'] }, 'body.areas[0]'],
      [{ count: 1, bbox: [4.36, 50.84, 4.34, 50.86] }, 'body.bbox'],
      [{ count: 1, areas: ['a3'], format: 'xml' }, 'body.format'],
    ];
    for (const [body, parameter] of cases) {
      const res = await request(app).post('/api/plan/siting').send(body as object).expect(400);
      expect(res.body.error).toMatchObject({ code: 'bad_parameter', parameter });
    }
  });
});
