/**
 * The GeoJSON bodies of the coverage and gaps routes (and the geometries the map's devices body
 * uses), as zod schemas for the same reason as body-schemas.ts: the server's types are z.infer of
 * these, the OpenAPI document carries them, and web/src/api-types.ts is generated from it. Here in
 * analytics because coverage.ts and gaps.ts build the figures these bodies carry.
 * For documentation and types only: responses are not validated at run time.
 */
import { z } from 'zod';

/** GeoJSON's order: longitude first. An array (not a pair) so that it is GeoJSON's Position type. */
const POSITION = z.array(z.number()).describe('[longitude, latitude]');
const RING = z.array(POSITION).describe('a closed ring: the first position repeated last');

export const GEO_POINT = z.object({ type: z.literal('Point'), coordinates: POSITION });
/** named (an OpenAPI component): the areas and the gaps bodies both refer to it */
export const GEO_POLYGON = z.object({ type: z.literal('Polygon'), coordinates: z.array(RING).describe('the outer ring, then holes') }).meta({ id: 'GeoPolygon' });
export const GEO_MULTI_POLYGON = z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(RING)) });

/** A GeoJSON FeatureCollection of one geometry and one properties schema. */
export function featureCollection<G extends z.ZodType, P extends z.ZodType>(geometry: G, properties: P) {
  return z.object({
    type: z.literal('FeatureCollection'),
    features: z.array(z.object({ type: z.literal('Feature'), geometry, properties })),
  });
}

const SPREAD = z.enum(['grid', 'even']);
const share = (what: string) => z.number().nullable().describe(`${what} (0..1); null when the denominator is 0`);

/** one area's coverage (server/analytics/coverage.ts); the region's totals are the same without id and name */
export const AREA_COVERAGE = z.object({
  id: z.string(),
  name: z.string(),
  households: z.number(),
  householdsEstimated: z.boolean().describe('households estimated from population / avgHouseholdSize'),
  area_m2: z.number().describe('geodesic area of the polygon'),
  fibre: z.object({
    nodes: z.number().int(),
    householdsPassed: z.number(),
    asBuilt: share('Σ households passed / households, capped at 1'),
    live: share('Σ households passed × the node\'s uptime / households, capped at 1'),
    liveCompleteness: share('the share of the households passed whose node had a known uptime'),
    capped: z.boolean().describe('the households passed exceeded the households, so asBuilt was capped at 1'),
  }),
  wifi: z.object({
    aps: z.number().int().describe('APs whose disc covers part of the area'),
    coveredAsBuilt_m2: z.number(),
    areaAsBuilt: share('covered area / area'),
    areaLive: share('the expected covered area / area, each AP up its uptime share of the window'),
    populationAsBuilt: share('covered households / households'),
    populationLive: share('the expected covered households / households'),
    householdsCoveredAsBuilt: z.number().describe('for totals'),
    householdsCoveredLive: z.number(),
    populationSpread: SPREAD.describe('grid when the population figures used the population grid, even when households were spread evenly'),
  }),
});
export type AreaCoverage = z.infer<typeof AREA_COVERAGE>;

/** the properties of an area of /api/coverage/areas.geojson: the headline figures flat, then the whole coverage */
export const AREA_PROPERTIES = z.object({
  id: z.string(),
  name: z.string(),
  households: z.number(),
  householdsEstimated: z.boolean(),
  population: z.number(),
  fibreCoverage: z.number().nullable(),
  fibreCoverageLive: z.number().nullable(),
  wifiAreaCoverage: z.number().nullable(),
  wifiAreaCoverageLive: z.number().nullable(),
  wifiPopulationCoverage: z.number().nullable(),
  wifiPopulationCoverageLive: z.number().nullable(),
  uptime: z.number().nullable().describe('group uptime of the area\'s devices over the window; null when never up or down'),
  coverage: AREA_COVERAGE,
});
export type AreaProperties = z.infer<typeof AREA_PROPERTIES>;

/** /api/coverage/areas.geojson */
export const AREAS_GEOJSON = featureCollection(z.union([GEO_POLYGON, GEO_MULTI_POLYGON]), AREA_PROPERTIES);
export type AreasGeoJson = z.infer<typeof AREAS_GEOJSON>;

/** one H3 cell of the gaps (server/analytics/gaps.ts) */
export const GAP_PROPERTIES = z.object({
  h3: z.string().describe('H3 index'),
  area: z.string().describe('area id'),
  households: z.number(),
  fibreShare: z.number().describe('fibre coverage of the cell\'s area (0..1)'),
  wifiShare: z.number().describe('the part of the hexagon inside the discs of the APs considered up (0..1)'),
  uncoveredHouseholds: z.number().describe('households × (1 − fibreShare) × (1 − wifiShare)'),
  householdsSpread: SPREAD.describe('grid when the cell\'s households come from the population grid, else even'),
});
export type GapProperties = z.infer<typeof GAP_PROPERTIES>;

/** /api/gaps (GeoJSON): the cells worst first, each with its H3 index again as `cell` and its area's name */
export const GAPS_GEOJSON = featureCollection(GEO_POLYGON, GAP_PROPERTIES.extend({ cell: z.string().describe('H3 index (= h3)'), areaName: z.string() }));
export type GapsGeoJson = z.infer<typeof GAPS_GEOJSON>;
