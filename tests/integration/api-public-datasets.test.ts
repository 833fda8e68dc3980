/**
 * /api/public/datasets (DCAT-AP) and its distributions through createApp on the API fixture
 * (api-fixture.ts), SQLite, with a read token configured: the catalogue and every distribution
 * answer without the token, and equal what the read routes give with it. Fibre coverage by hand:
 *   a1 "West":   f1 400 + f2 100 = 500 households passed of 1000 -> 0.5, 2 nodes, 1 AP (w1)
 *   a2 "Middle": f3 200 (f4 has no figure) of 500             -> 0.4, 2 nodes, 1 AP (w1 sits on the
 *                 a1/a2 border at lon 4.32: its 50 m disc reaches both areas, and coverage counts it in both)
 *   a3 "East":   no device                                      -> 0,   0 nodes
 */
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { listedDesiPeriods } from '../../server/api/routes-public-data.js';
import { DEFAULT_PUBLIC, publicSchema, type PublicConfig } from '../../server/public/config.js';
import { NOW, STORES, fixtureDeps, seededApi } from './api-fixture.js';

const TOKEN = 'secret-read';
interface Distribution { '@id': string; 'dcat:mediaType': string; 'dct:license': { '@id': string } }
interface Dataset { 'dct:identifier': string; 'dct:license': { '@id': string }; 'dct:accrualPeriodicity': { '@id': string }; 'dct:temporal': Record<string, { '@value': string }>; 'dcat:distribution': Distribution[] }

describe('public datasets (SQLite)', () => {
  const fx = seededApi(STORES[0]!);
  const appWith = (pub: PublicConfig = DEFAULT_PUBLIC): ReturnType<typeof createApp> =>
    createApp({ store: fx.store, api: { ...fixtureDeps(fx.store, fx.inv, { auth: { readToken: TOKEN } }), public: pub }, now: () => NOW });

  it('lists DCAT-AP datasets under CC BY 4.0 by default, every distribution answering without the token', async () => {
    const app = appWith();
    const res = await request(app).get('/api/public/datasets');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/ld\+json/);
    expect(res.body['@type']).toBe('dcat:Catalog');
    expect(res.body['dct:license']['@id']).toBe('https://creativecommons.org/licenses/by/4.0/');
    const sets = res.body['dcat:dataset'] as Dataset[];
    // coverage, gaps, 4 quarters + 1 year of DESI; no AP locations by default
    const desi = listedDesiPeriods(NOW).map((p) => `desi-${p.label}`);
    expect(desi).toHaveLength(5);
    expect(sets.map((s) => s['dct:identifier'])).toEqual(['coverage-by-area', 'gaps-by-hexagon', ...desi]);
    for (const s of sets) {
      expect(s['dct:license']['@id']).toBe('https://creativecommons.org/licenses/by/4.0/');
      expect(s['dct:accrualPeriodicity']['@id']).toMatch(/^http:\/\/publications\.europa\.eu\/resource\/authority\/frequency\/(IRREG|QUARTERLY)$/);
      expect(s['dct:temporal']['dcat:startDate']!['@value']).toMatch(/^\d{4}-\d\d-\d\d$/);
      for (const d of s['dcat:distribution']) {
        const url = new URL(d['@id']);
        const got = await request(app).get(url.pathname);
        expect(got.status, url.pathname).toBe(200);
        expect(got.headers['content-type'], url.pathname).toContain(d['dcat:mediaType']);
      }
    }
  });

  it('gives coverage by area equal to the read API, with the hand-computed fibre shares', async () => {
    const app = appWith();
    const csv = (await request(app).get('/api/public/datasets/coverage-by-area.csv')).text.trim().split('\r\n');
    expect(csv[0]).toBe('area,name,households,fibre_nodes,fibre_households_passed,fibre_coverage,wifi_aps,wifi_area_coverage,wifi_population_coverage');
    const rows = csv.slice(1).map((l) => l.split(','));
    expect(rows.map((r) => r.slice(0, 7))).toEqual([
      ['a1', 'West', '1000', '2', '500', '0.5', '1'],
      ['a2', 'Middle', '500', '2', '200', '0.4', '1'],
      ['a3', 'East', '300', '0', '0', '0', '0'],
    ]);
    const api = (await request(app).get('/api/coverage').set('authorization', `Bearer ${TOKEN}`)).body as { areas: { id: string; wifi: { areaAsBuilt: number | null } }[] };
    for (const [i, a] of api.areas.entries()) expect(rows[i]![7]).toBe(a.wifi.areaAsBuilt === null ? '' : String(Number(a.wifi.areaAsBuilt.toFixed(6))));
    const geo = (await request(app).get('/api/public/datasets/coverage-by-area.geojson')).body as { features: { geometry: { type: string }; properties: Record<string, unknown> }[] };
    expect(geo.features.map((f) => [f.geometry.type, f.properties['area'], f.properties['fibre_coverage']])).toEqual([['Polygon', 'a1', 0.5], ['Polygon', 'a2', 0.4], ['Polygon', 'a3', 0]]);
  });

  it('gives the gaps and the DESI report equal to the read API', async () => {
    const app = appWith();
    const auth = { authorization: `Bearer ${TOKEN}` };
    const gaps = (await request(app).get('/api/public/datasets/gaps-by-hexagon.geojson')).body as { features: { properties: { h3: string; uncoveredHouseholds: number } }[] };
    const apiGaps = (await request(app).get('/api/gaps?limit=5000').set(auth)).body as typeof gaps;
    expect(gaps.features.map((f) => [f.properties.h3, f.properties.uncoveredHouseholds])).toEqual(apiGaps.features.map((f) => [f.properties.h3, f.properties.uncoveredHouseholds]));
    const period = listedDesiPeriods(NOW)[0]!.label;
    const csv = await request(app).get(`/api/public/datasets/desi/${period}.csv`);
    expect(csv.status).toBe(200);
    expect(csv.text).toBe((await request(app).get(`/api/reports/desi?period=${period}&format=csv`).set(auth)).text);
    const bad = await request(app).get('/api/public/datasets/desi/2026-Q5.csv');
    expect(bad.status).toBe(400);
    expect(bad.body.error.parameter).toBe('period');
    expect((await request(app).get('/api/public/datasets/desi/2026-Q1.xls')).status).toBe(404);
  });

  it('publishes AP positions only when public.wifiApLocations is on, without device ids', async () => {
    expect((await request(appWith()).get('/api/public/datasets/wifi-ap-locations.csv')).status).toBe(404);
    const pub = publicSchema.parse({ wifiApLocations: true, licence: { title: 'Licence Ouverte 2.0', url: 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/' }, publisher: { name: 'Brussels Region' } });
    const app = appWith(pub);
    expect((await request(app).get('/api/public/datasets/wifi-ap-locations.csv')).text).toBe('site,area,lat,lon,radius_m\r\nws,a1,50.85,4.32,50\r\n');
    const cat = (await request(app).get('/api/public/datasets')).body;
    expect(cat['dct:license']['@id']).toBe('https://www.etalab.gouv.fr/licence-ouverte-open-licence/');
    expect(cat['dct:publisher']['foaf:name']).toBe('Brussels Region');
    expect((cat['dcat:dataset'] as Dataset[]).map((s) => s['dct:identifier'])).toContain('wifi-ap-locations');
    expect(JSON.stringify((await request(app).get('/api/public/datasets/wifi-ap-locations.geojson')).body)).not.toContain('w1');
  });

  it('is absent when public.datasets is false', async () => {
    expect((await request(appWith(publicSchema.parse({ datasets: false }))).get('/api/public/datasets')).status).toBe(404);
  });
});
