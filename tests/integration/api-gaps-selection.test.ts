/**
 * GET /api/gaps with an area (the planner's gaps list exports its current selection) and as CSV,
 * on the areas of api-fixture.ts. Gaps read only the inventory (basis=built), so one store serves.
 *   a2 "Middle": 500 households, f3 passes 200 (FTTH), no AP -> uncovered 500 × (1 − 200/500) = 300
 *   a3 "East":   300 households, no device                  -> uncovered 300 × 1 × 1        = 300
 */
import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureApp, fixtureInventory, STORES } from './api-fixture.js';

interface Cell { cell: string; area: string; areaName: string; uncoveredHouseholds: number }

describe('GET /api/gaps: area selection and CSV', () => {
  let app: Express;
  let dispose: () => Promise<void>;

  beforeAll(async () => {
    const opened = await STORES[0]!.open();
    dispose = opened.dispose;
    app = fixtureApp(opened.store, fixtureInventory());
  });
  afterAll(async () => { await dispose(); });

  const cellsOf = (body: { features: { properties: Cell }[] }): Cell[] => body.features.map((f) => f.properties);
  const total = (cells: readonly Cell[]): number => cells.reduce((s, c) => s + c.uncoveredHouseholds, 0);

  it('area= keeps only that area\'s cells, named, and they hold its uncovered households', async () => {
    const a2 = cellsOf((await request(app).get('/api/gaps?area=a2&limit=5000').expect(200)).body);
    expect(a2.length).toBeGreaterThan(1);
    expect(new Set(a2.map((c) => `${c.area} ${c.areaName}`))).toEqual(new Set(['a2 Middle']));
    expect(total(a2)).toBeCloseTo(300, 6);
    const a3 = cellsOf((await request(app).get('/api/gaps?area=a3&limit=5000').expect(200)).body);
    expect(total(a3)).toBeCloseTo(300, 6);
  });

  it('the limit applies within the area: its worst cells, in the region-wide order', async () => {
    const all = cellsOf((await request(app).get('/api/gaps?limit=5000').expect(200)).body);
    const top2 = cellsOf((await request(app).get('/api/gaps?area=a3&limit=2').expect(200)).body);
    expect(top2.map((c) => c.cell)).toEqual(all.filter((c) => c.area === 'a3').slice(0, 2).map((c) => c.cell));
  });

  it('format=csv gives the open-data columns, one row per cell of the selection', async () => {
    const json = cellsOf((await request(app).get('/api/gaps?area=a3&limit=5000').expect(200)).body);
    const res = await request(app).get('/api/gaps?area=a3&limit=5000&format=csv').expect(200);
    expect(res.type).toBe('text/csv');
    expect(res.headers['content-disposition']).toBe('attachment; filename="gaps-a3.csv"');
    const lines = res.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('h3,area,households,fibre_share,wifi_share,uncovered_households');
    const rows = lines.slice(1).map((l) => l.split(','));
    expect(rows.map((r) => r[0])).toEqual(json.map((c) => c.cell));
    expect(rows.reduce((s, r) => s + Number(r[5]), 0)).toBeCloseTo(300, 3);
  });

  it.each([
    ['/api/gaps?area=nowhere', 'area', /no area with id "nowhere"/],
    ['/api/gaps?format=xml', 'format', /geojson|csv/],
  ])('GET %s is a 400 naming %s', async (url, parameter, message) => {
    const res = await request(app).get(url).expect(400);
    expect(res.body.error.parameter).toBe(parameter);
    expect(res.body.error.message).toMatch(message);
  });
});
