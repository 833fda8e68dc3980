/**
 * Open data (group 'public'): the DCAT-AP catalogue at /api/public/datasets and its distributions
 * at stable URLs below it (server/public/datasets.ts). Open even when reads need a token, so every
 * table is an aggregate (AP positions only when public.wifiApLocations is on) and each is computed
 * at most once per PUBLIC_DATA_CACHE_MS, DESI reports for at most DESI_CACHE_ENTRIES periods:
 * anonymous callers cannot make the service recompute rasters or reread quarters per request.
 */
import type { Request, Response } from 'express';
import { coverage } from '../analytics/coverage.js';
import { toCsv } from '../analytics/desi.js';
import { gaps } from '../analytics/gaps.js';
import { parsePeriod, type Period } from '../analytics/period.js';
import { ApiError, badParameter } from '../errors.js';
import type { PublicConfig } from '../public/config.js';
import { apsCsv, apsGeoJson, coverageCsv, coverageProps, datasetSpecs, dcatCatalog, DATASETS_PATH, gapsCsv } from '../public/datasets.js';
import type { ApiDeps } from './deps.js';
import { buildDesiReport } from '../reports/desi-report.js';
import type { RouteSpec } from './route-table.js';

export const PUBLIC_DATA_CACHE_MS = 10 * 60_000;
const DESI_CACHE_ENTRIES = 16;
const GAPS_LIMIT = 5000;

/** The last four complete quarters and the last complete year before `now`, newest first. */
export function listedDesiPeriods(now: number): Period[] {
  const d = new Date(now);
  const year = d.getUTCFullYear();
  let q = Math.floor(d.getUTCMonth() / 3); // the current quarter, 0-based: the last complete is q - 1
  let y = year;
  const out: Period[] = [];
  for (let k = 0; k < 4; k++) {
    if (--q < 0) { q = 3; y--; }
    const p = parsePeriod(`${y}-Q${q + 1}`);
    if (p.ok) out.push(p.period);
  }
  const lastYear = parsePeriod(String(year - 1));
  if (lastYear.ok) out.push(lastYear.period);
  return out;
}

function memo<T>(deps: ApiDeps, compute: () => T): () => T {
  let last: { at: number; value: T } | undefined;
  return () => {
    const now = deps.now();
    if (!last || now - last.at >= PUBLIC_DATA_CACHE_MS || now < last.at) last = { at: now, value: compute() };
    return last.value;
  };
}

function origin(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

export function publicDataRoutes(deps: ApiDeps, pub: PublicConfig): RouteSpec[] {
  if (!pub.datasets) return [];
  const cov = memo(deps, () => {
    const inv = deps.inventory();
    return coverage(inv.areas, inv.all(), { cache: deps.coverageCache, density: inv.density });
  });
  const gapCells = memo(deps, () => {
    const inv = deps.inventory();
    const fibreShareByArea = new Map(cov().areas.map((a) => [a.id, a.fibre.asBuilt]));
    return gaps(inv.areas, inv.all(), { resolution: 9, fibreShareByArea, limit: GAPS_LIMIT, density: inv.density });
  });
  const desi = new Map<string, { at: number; value: ReturnType<typeof buildDesiReport> }>();
  const desiFor = (period: Period): ReturnType<typeof buildDesiReport> => {
    const now = deps.now();
    const hit = desi.get(period.label);
    if (hit && now - hit.at < PUBLIC_DATA_CACHE_MS && now >= hit.at) return hit.value;
    if (desi.size >= DESI_CACHE_ENTRIES) desi.delete(desi.keys().next().value!);
    const value = buildDesiReport({ store: deps.store, inventory: deps.inventory(), now, intervals: deps.intervals, avgHouseholdSize: deps.avgHouseholdSize, cache: deps.coverageCache, maintenance: deps.maintenance }, period);
    desi.set(period.label, { at: now, value });
    value.catch(() => desi.delete(period.label));
    return value;
  };
  const send = (res: Response, type: string, body: string): void => { res.set('Cache-Control', 'public, max-age=600').type(type).send(body); };
  const route = (path: string, summary: string, type: string, handler: (req: Request, res: Response) => Promise<void> | void): RouteSpec => ({
    method: 'get', path, group: 'public', tag: 'open data', summary,
    responses: { '200': { description: summary, contentType: type }, '404': { description: 'not_found' } }, handler,
  });

  const routes: RouteSpec[] = [
    route(DATASETS_PATH, 'DCAT-AP catalogue (JSON-LD) of the open datasets, with licence, publisher, update frequency, temporal coverage and distribution URLs', 'application/ld+json', (req, res) => {
      const specs = datasetSpecs(pub, deps.now(), listedDesiPeriods(deps.now()));
      send(res, 'application/ld+json', JSON.stringify(dcatCatalog(pub, specs, origin(req))));
    }),
    route(`${DATASETS_PATH}/coverage-by-area.csv`, 'Coverage by area, as built (CSV)', 'text/csv', (_req, res) => send(res, 'text/csv; charset=utf-8', coverageCsv(cov().areas))),
    route(`${DATASETS_PATH}/coverage-by-area.geojson`, 'Coverage by area, as built, on the area polygons (GeoJSON)', 'application/geo+json', (_req, res) => {
      const inv = deps.inventory();
      const features = cov().areas.map((a) => ({ type: 'Feature', geometry: inv.area(a.id)?.geometry ?? null, properties: coverageProps(a) }));
      send(res, 'application/geo+json', JSON.stringify({ type: 'FeatureCollection', features }));
    }),
    route(`${DATASETS_PATH}/gaps-by-hexagon.csv`, 'Coverage gaps by H3 hexagon, worst first (CSV)', 'text/csv', (_req, res) => send(res, 'text/csv; charset=utf-8', gapsCsv(gapCells().features.map((f) => f.properties)))),
    route(`${DATASETS_PATH}/gaps-by-hexagon.geojson`, 'Coverage gaps by H3 hexagon, worst first (GeoJSON)', 'application/geo+json', (_req, res) => send(res, 'application/geo+json', JSON.stringify(gapCells()))),
    route(`${DATASETS_PATH}/desi/:file`, 'DESI connectivity indicators of a period: desi/2026-Q1.csv or .json (YYYY, YYYY-Qn or YYYY-MM)', 'text/csv', async (req, res) => {
      const m = /^(.+)\.(csv|json)$/.exec(String(req.params['file'] ?? ''));
      if (!m) throw new ApiError('not_found', 'Expected desi/<period>.csv or desi/<period>.json.');
      const p = parsePeriod(m[1]!);
      if (!p.ok) throw badParameter('period', p.error.replace(/^period: /, ''));
      const report = await desiFor(p.period);
      if (m[2] === 'csv') send(res, 'text/csv; charset=utf-8', toCsv(report));
      else send(res, 'application/json', JSON.stringify(report));
    }),
  ];
  if (pub.wifiApLocations) {
    const aps = (): ReturnType<ApiDeps['inventory']>['devices'] => deps.inventory().all().filter((d) => d.tech === 'wifi');
    routes.push(
      route(`${DATASETS_PATH}/wifi-ap-locations.csv`, 'Public wifi AP positions, no device ids (CSV)', 'text/csv', (_req, res) => send(res, 'text/csv; charset=utf-8', apsCsv(aps()))),
      route(`${DATASETS_PATH}/wifi-ap-locations.geojson`, 'Public wifi AP positions, no device ids (GeoJSON)', 'application/geo+json', (_req, res) => send(res, 'application/geo+json', JSON.stringify(apsGeoJson(aps())))),
    );
  }
  return routes;
}
