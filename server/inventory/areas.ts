/**
 * Areas (municipalities): a GeoJSON FeatureCollection of Polygon / MultiPolygon features with
 * properties `id`, `name`, `population` and optional `households`. When `households` is absent it
 * is estimated as population / average household size (a configuration value), and the area
 * records that it was estimated so every report can say so.
 */
import { area as turfArea } from '@turf/area';
import { bbox as turfBbox } from '@turf/bbox';
import type { MultiPolygon, Polygon } from 'geojson';
import { z } from 'zod';
import { formatIssues } from './issues.js';
import type { ParseResult } from './devices-schema.js';

export interface Area {
  id: string;
  name: string;
  population: number;
  households: number;
  /** true when `households` was estimated from population / avgHouseholdSize */
  householdsEstimated: boolean;
  geometry: Polygon | MultiPolygon;
  /** geodesic area of the geometry in m² (turf) */
  areaM2: number;
  /** [minLon, minLat, maxLon, maxLat] */
  bbox: [number, number, number, number];
  /** every property of the feature, for display (e.g. `approximate`, `area_km2_official`) */
  properties: Record<string, unknown>;
}

export interface AreaSet {
  areas: Area[];
  /** true when at least one area's households were estimated */
  householdsEstimated: boolean;
  /** the average household size used for estimates */
  avgHouseholdSize: number;
}

export interface AreaOptions {
  /** persons per household, used when an area has no `households` */
  avgHouseholdSize: number;
}

const position = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]).rest(z.number());
const ring = z.array(position).min(4).refine((r) => r[0]![0] === r[r.length - 1]![0] && r[0]![1] === r[r.length - 1]![1], 'a linear ring must end where it starts');
const polygon = z.object({ type: z.literal('Polygon'), coordinates: z.array(ring).min(1) });
const multiPolygon = z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(ring).min(1)).min(1) });

const feature = z.object({
  type: z.literal('Feature'),
  geometry: z.discriminatedUnion('type', [polygon, multiPolygon], { error: 'must be a Polygon or MultiPolygon' }),
  properties: z.looseObject({
    id: z.union([z.string().min(1), z.number().int()]).transform(String),
    name: z.string().min(1),
    population: z.number().int().min(0),
    households: z.number().int().min(0).optional(),
  }),
});

const collection = z
  .object({ type: z.literal('FeatureCollection'), features: z.array(feature) })
  .superRefine((fc, ctx) => {
    const seen = new Map<string, number>();
    fc.features.forEach((f, i) => {
      const first = seen.get(f.properties.id);
      if (first !== undefined) ctx.addIssue({ code: 'custom', path: ['features', i, 'properties', 'id'], message: `duplicate id "${f.properties.id}" (first at features[${first}])` });
      else seen.set(f.properties.id, i);
    });
  });

/** Validates an areas document and derives households, area and bbox of each area. */
export function parseAreas(raw: unknown, opts: AreaOptions): { ok: true; areas: Area[]; householdsEstimated: boolean; avgHouseholdSize: number } | { ok: false; errors: string[] } {
  if (!(opts.avgHouseholdSize > 0)) return { ok: false, errors: [`avgHouseholdSize: must be > 0 (got ${opts.avgHouseholdSize})`] };
  const r = collection.safeParse(raw);
  if (!r.success) return { ok: false, errors: formatIssues(r.error) };
  const areas = r.data.features.map((f): Area => {
    const p = f.properties;
    const estimated = p.households === undefined;
    const geometry = f.geometry as Polygon | MultiPolygon;
    const [minLon, minLat, maxLon, maxLat] = turfBbox(geometry);
    return {
      id: p.id,
      name: p.name,
      population: p.population,
      households: estimated ? Math.round(p.population / opts.avgHouseholdSize) : p.households!,
      householdsEstimated: estimated,
      geometry,
      areaM2: turfArea(geometry),
      bbox: [minLon, minLat, maxLon, maxLat],
      properties: { ...p },
    };
  });
  return { ok: true, areas, householdsEstimated: areas.some((a) => a.householdsEstimated), avgHouseholdSize: opts.avgHouseholdSize };
}

/** Parses the text of an areas file (GeoJSON). */
export function parseAreasText(text: string, fileName: string, opts: AreaOptions): ParseResult<AreaSet> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { ok: false, errors: [`not valid JSON: ${(err as Error).message}`] };
  }
  const r = parseAreas(raw, opts);
  return r.ok ? { ok: true, value: { areas: r.areas, householdsEstimated: r.householdsEstimated, avgHouseholdSize: r.avgHouseholdSize } } : r;
}
