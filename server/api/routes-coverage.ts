/**
 * Coverage (per area and region, as built and live), the same on the area polygons, coverage
 * gaps on H3 cells, and the DESI report. The figures come from server/analytics.
 */
import type { Request, Response } from 'express';
import { z } from 'zod';
import { coverage, type AreaCoverage, type CoverageReport } from '../analytics/coverage.js';
import { gaps } from '../analytics/gaps.js';
import { parsePeriod } from '../analytics/period.js';
import { toCsv } from '../analytics/desi.js';
import { DESI_REPORT } from '../analytics/body-schemas.js';
import { AREAS_GEOJSON, GAPS_GEOJSON, type AreaProperties, type AreasGeoJson, type GapsGeoJson } from '../analytics/geo-body-schemas.js';
import { groupUptimeRatio } from '../analytics/uptime.js';
import { badParameter } from '../errors.js';
import { gapsCsv } from '../public/datasets.js';
import type { ApiDeps } from './deps.js';
import { buildDesiReport } from '../reports/desi-report.js';
import { knownTimesOf, statesOf } from './live-reads.js';
import { intParam, iso, numberParam, parseQuery, resolveWindow, windowShape } from './params.js';
import { COMMON_ERRORS, type RouteSpec } from './route-table.js';
import { MAX_UPTIME_WINDOW_MS } from './routes-uptime.js';

const coverageQuery = { ...windowShape };
const gapQuery = {
  minHouseholds: numberParam(0, 1_000_000).optional(),
  limit: intParam(1, 5000).default(100),
  resolution: intParam(5, 10).default(9),
  basis: z.enum(['built', 'live']).default('built'),
  area: z.string().max(200).optional(),
  format: z.enum(['geojson', 'csv']).default('geojson'),
};
const desiQuery = { period: z.string().max(20), format: z.enum(['json', 'csv']).default('json') };

interface CoverageWithUptime {
  report: CoverageReport;
  /** group uptime of each area's devices over the window */
  uptimeByArea: Map<string, number | null>;
  window: { from: number; to: number };
}

async function coverageFor(deps: ApiDeps, req: Request): Promise<CoverageWithUptime> {
  const q = parseQuery(coverageQuery, req.query);
  const now = deps.now();
  const w = resolveWindow(q, now, MAX_UPTIME_WINDOW_MS, '(the hourly rollups are kept 5 years)');
  const inv = deps.inventory();
  const devices = inv.all();
  const u = await knownTimesOf(deps, devices, w.from, w.to, now);
  const uptimeByDevice = new Map([...u.byDevice].map(([id, r]) => [id, r.uptime]));
  const report = coverage(inv.areas, devices, { uptimeByDevice, cache: deps.coverageCache, density: inv.density });
  const uptimeByArea = new Map(inv.areas.map((a) => [a.id, groupUptimeRatio(devices.filter((d) => d.area === a.id).map((d) => u.byDevice.get(d.id)!))]));
  return { report, uptimeByArea, window: w };
}

function areaProps(c: AreaCoverage, uptime: number | null, population: number): AreaProperties {
  return {
    id: c.id, name: c.name, households: c.households, householdsEstimated: c.householdsEstimated, population,
    fibreCoverage: c.fibre.asBuilt, fibreCoverageLive: c.fibre.live, wifiAreaCoverage: c.wifi.areaAsBuilt, wifiAreaCoverageLive: c.wifi.areaLive,
    wifiPopulationCoverage: c.wifi.populationAsBuilt, wifiPopulationCoverageLive: c.wifi.populationLive, uptime, coverage: c,
  };
}

export function coverageRoutes(deps: ApiDeps): RouteSpec[] {
  return [
    {
      method: 'get', path: '/api/coverage', group: 'read', tag: 'coverage',
      summary: 'Coverage per area and for the region, as built and live (weighted by uptime in the window)',
      query: coverageQuery,
      paramDocs: { from: 'ISO 8601 or epoch ms; default to − 24 h', to: 'default now' },
      responses: { '200': { description: '{from, to, areas: [...], region}: households, fibre households passed and coverage, wifi area and population coverage' }, ...COMMON_ERRORS },
      handler: async (req: Request, res: Response) => {
        const c = await coverageFor(deps, req);
        res.json({ from: iso(c.window.from), to: iso(c.window.to), areas: c.report.areas, region: c.report.region });
      },
    },
    {
      method: 'get', path: '/api/coverage/areas.geojson', group: 'read', tag: 'coverage',
      summary: 'The coverage figures on the area polygons (GeoJSON)',
      query: coverageQuery,
      paramDocs: { from: 'ISO 8601 or epoch ms; default to − 24 h', to: 'default now' },
      responses: { '200': { description: 'FeatureCollection of the areas with coverage properties', contentType: 'application/geo+json', body: AREAS_GEOJSON }, ...COMMON_ERRORS },
      handler: async (req: Request, res: Response) => {
        const c = await coverageFor(deps, req);
        const inv = deps.inventory();
        const body: AreasGeoJson = {
          type: 'FeatureCollection',
          features: c.report.areas.map((a) => {
            const area = inv.area(a.id)!;
            return { type: 'Feature', geometry: area.geometry, properties: areaProps(a, c.uptimeByArea.get(a.id) ?? null, area.population) };
          }),
        };
        res.type('application/geo+json').send(JSON.stringify(body));
      },
    },
    {
      method: 'get', path: '/api/gaps', group: 'read', tag: 'coverage',
      summary: 'H3 hexagon cells with households that neither fibre nor wifi covers, worst first (GeoJSON)',
      query: gapQuery,
      paramDocs: {
        minHouseholds: 'keep cells with at least this many uncovered households (default: more than 0)', limit: '1..5000, default 100',
        resolution: 'H3 resolution 5..10, default 9 (about 0.1 km²)', basis: 'built (the inventory) | live (only devices up now count)',
        area: 'only the cells of this area id (the limit applies within it)', format: 'geojson (default) | csv (h3, area, households, fibre_share, wifi_share, uncovered_households)',
      },
      responses: { '200': { description: 'FeatureCollection of hexagons: cell (H3 index), area, areaName, households, fibreShare, wifiShare, uncoveredHouseholds; or CSV with format=csv', contentType: 'application/geo+json', body: GAPS_GEOJSON }, ...COMMON_ERRORS },
      handler: async (req: Request, res: Response) => {
        const q = parseQuery(gapQuery, req.query);
        const inv = deps.inventory();
        const area = q.area === undefined ? undefined : inv.area(q.area);
        if (q.area !== undefined && !area) throw badParameter('area', `no area with id "${q.area}" in the inventory`);
        let devices = inv.all();
        if (q.basis === 'live') {
          const states = await statesOf(deps, devices, deps.now());
          devices = devices.filter((d) => states.get(d.id)?.status === 'up');
        }
        const cov = coverage(inv.areas, devices, { cache: deps.coverageCache });
        const fc = gaps(inv.areas, devices, {
          resolution: q.resolution, fibreShareByArea: new Map(cov.areas.map((a) => [a.id, a.fibre.asBuilt])),
          // with an area, rank every cell and keep the limit within that area
          ...(area ? {} : { limit: q.limit }), ...(q.minHouseholds !== undefined ? { minHouseholds: q.minHouseholds } : {}), density: inv.density,
        });
        const kept = area ? fc.features.filter((f) => f.properties.area === area.id).slice(0, q.limit) : fc.features;
        if (q.format === 'csv') {
          // the same columns as the open-data distribution gaps-by-hexagon.csv
          const name = `gaps${area ? `-${area.id.replace(/[^A-Za-z0-9_-]/g, '_')}` : ''}.csv`;
          res.type('text/csv; charset=utf-8').set('Content-Disposition', `attachment; filename="${name}"`).send(gapsCsv(kept.map((f) => f.properties)));
          return;
        }
        const body: GapsGeoJson = {
          type: 'FeatureCollection',
          features: kept.map((f) => ({ ...f, properties: { cell: f.properties.h3, ...f.properties, areaName: inv.area(f.properties.area)?.name ?? f.properties.area } })),
        };
        res.type('application/geo+json').send(JSON.stringify(body));
      },
    },
    {
      method: 'get', path: '/api/reports/desi', group: 'read', tag: 'reports',
      summary: 'The DESI connectivity report for a period, per area and for the region',
      query: desiQuery,
      paramDocs: { period: 'a year (2026), quarter (2026-Q3) or month (2026-05); required', format: 'json (default) | csv' },
      responses: { '200': { description: 'the report (JSON), or one CSV row per scope × indicator', body: DESI_REPORT }, ...COMMON_ERRORS },
      handler: async (req: Request, res: Response) => {
        const q = parseQuery(desiQuery, req.query);
        const p = parsePeriod(q.period);
        if (!p.ok) throw badParameter('period', p.error.replace(/^period: /, ''));
        const report = await buildDesiReport({
          store: deps.store, inventory: deps.inventory(), now: deps.now(), intervals: deps.intervals,
          avgHouseholdSize: deps.avgHouseholdSize, cache: deps.coverageCache, maintenance: deps.maintenance,
        }, p.period);
        if (q.format === 'csv') {
          res.type('text/csv; charset=utf-8').set('Content-Disposition', `attachment; filename="desi-${p.period.label}.csv"`).send(toCsv(report));
        } else {
          res.json(report);
        }
      },
    },
  ];
}
