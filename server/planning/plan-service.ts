/**
 * From a validated body to the planning answer, for the API route and the CLI alike: AP radii
 * from the propagation model (or the fixed radius given), the siting demand areas and
 * candidates. A problem with the input throws PlanInputError naming the field.
 */
import { area as turfArea } from '@turf/area';
import { bbox as turfBbox } from '@turf/bbox';
import { bboxPolygon } from '@turf/bbox-polygon';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import { feature, featureCollection } from '@turf/helpers';
import { intersect } from '@turf/intersect';
import type { Area } from '../inventory/areas.js';
import type { Device } from '../../core/device.js';
import { coverage, type CoverageCache } from '../analytics/coverage.js';
import type { HouseholdDensity } from '../inventory/population-grid.js';
import { gridCandidates } from './candidates.js';
import { MAX_SITING_AREA_KM2, type PlanBody, type RadioInput, type SitingBody } from './plan-schema.js';
import { apRadius, type ApRadioParams, type RadiusResult } from './propagation.js';
import { site, type Candidate, type SitingResult } from './siting.js';
import { whatIf } from './whatif.js';
import type { z } from 'zod';
import type { PLAN_ANSWER } from './plan-body-schemas.js';

export class PlanInputError extends Error {
  override readonly name = 'PlanInputError';
  constructor(readonly field: string, readonly problem: string) {
    super(`${field}: ${problem}`);
  }
}

export interface PlanContext {
  areas: readonly Area[];
  devices: readonly Device[];
  avgHouseholdSize: number;
  now: number;
  cache?: CoverageCache | undefined;
  density?: HouseholdDensity | undefined;
}

/** the keys actually given (an explicit undefined must not hide a default) */
const strip = (r: RadioInput | undefined): Partial<ApRadioParams> => Object.fromEntries(Object.entries(r ?? {}).filter(([, v]) => v !== undefined)) as Partial<ApRadioParams>;

/** one AP's radius: its own radiusM, else the body's radiusM, else the model with its radio over the body's */
export function radiusOf(ap: { radiusM?: number | undefined; radio?: RadioInput | undefined }, defaults: { radiusM?: number | undefined; radio?: RadioInput | undefined }): RadiusResult {
  if (ap.radiusM !== undefined) return apRadius({}, ap.radiusM);
  if (ap.radio === undefined && defaults.radiusM !== undefined) return apRadius({}, defaults.radiusM);
  return apRadius({ ...strip(defaults.radio), ...strip(ap.radio) });
}

export type PlanAnswer = z.infer<typeof PLAN_ANSWER>;

export function planWhatIf(body: PlanBody, ctx: PlanContext): PlanAnswer {
  const aps = body.aps.map((a, i) => {
    const radius = radiusOf(a, body);
    return { id: a.id ?? `proposed-ap-${i + 1}`, lat: a.lat, lon: a.lon, radiusM: radius.radiusM, radius };
  });
  const r = whatIf({
    areas: ctx.areas, devices: ctx.devices, aps, fibreNodes: body.fibreNodes.map((n, i) => ({ ...n, id: n.id ?? `proposed-fibre-${i + 1}` })),
    resolution: body.resolution, gapsLimit: body.gapsLimit, avgHouseholdSize: ctx.avgHouseholdSize, now: ctx.now, cache: ctx.cache, density: ctx.density,
  });
  return { ...r, aps };
}

const bboxesMeet = (a: readonly number[], b: readonly number[]): boolean => a[0]! <= b[2]! && b[0]! <= a[2]! && a[1]! <= b[3]! && b[1]! <= a[3]!;

/**
 * An area cut to a box: its part inside, with households and population in proportion to the
 * part's area (households spread evenly, as the gaps assume without a population grid; with one,
 * the part's share is still by area, then spread by the grid inside it). null when nothing is inside.
 */
function clipArea(a: Area, box: readonly [number, number, number, number]): Area | null {
  const part = intersect(featureCollection([bboxPolygon([...box] as [number, number, number, number]), feature(a.geometry)]));
  if (!part) return null;
  const m2 = turfArea(part);
  const share = a.areaM2 > 0 ? m2 / a.areaM2 : 0;
  const [x0, y0, x1, y1] = turfBbox(part);
  return { ...a, geometry: part.geometry, areaM2: m2, bbox: [x0, y0, x1, y1], households: a.households * share, population: a.population * share };
}

/** The demand areas of a siting body: its area ids, or the areas under its bbox — cut to the bbox when one is given. */
export function sitingAreas(body: Pick<SitingBody, 'areas' | 'bbox'>, all: readonly Area[]): Area[] {
  let areas: Area[];
  if (body.areas) {
    areas = body.areas.map((id, i) => {
      const a = all.find((x) => x.id === id);
      if (!a) throw new PlanInputError(`areas[${i}]`, `no area "${id}"; known: ${all.map((x) => x.id).slice(0, 30).join(', ')}`);
      return a;
    });
  } else {
    const box = body.bbox!;
    areas = all.filter((a) => bboxesMeet(a.bbox, box));
  }
  if (body.bbox) {
    const box = body.bbox;
    areas = areas.map((a) => clipArea(a, box)).filter((a): a is Area => a !== null);
    if (areas.length === 0) throw new PlanInputError('bbox', 'no area of the region lies under it');
  }
  const km2 = areas.reduce((s, a) => s + a.areaM2, 0) / 1e6;
  if (km2 > MAX_SITING_AREA_KM2) {
    throw new PlanInputError(body.areas ? 'areas' : 'bbox', `${areas.length} areas of ${km2.toFixed(1)} km² in all; at most ${MAX_SITING_AREA_KM2} km² per siting run (zoom in, or fewer areas)`);
  }
  return areas;
}

export function planSiting(body: SitingBody, ctx: PlanContext, given?: readonly Candidate[], onProgress?: (text: string) => void): SitingResult & { radius: RadiusResult } {
  const areas = sitingAreas(body, ctx.areas);
  let candidates: Candidate[];
  if (given) candidates = [...given];
  else if (body.candidates) candidates = body.candidates.map((c, i) => ({ id: c.id ?? `site-${i + 1}`, lat: c.lat, lon: c.lon }));
  else {
    const spacing = body.gridSpacingM ?? 50;
    const grid = body.bbox ? gridCandidates(body.bbox, spacing) : gridCandidates(unionBbox(areas), spacing);
    if (!grid.ok) throw new PlanInputError('gridSpacingM', grid.error);
    candidates = body.bbox ? grid.candidates : grid.candidates.filter((c) => areas.some((a) => booleanPointInPolygon([c.lon, c.lat], a.geometry)));
    if (candidates.length > 20_000) throw new PlanInputError('gridSpacingM', `the grid has ${candidates.length} sites; at most 20 000 (use a larger spacing)`);
  }
  const radius = radiusOf({}, body);
  // fibre shares of the whole areas (a clipped area would count all its nodes against part of its households)
  const fibreShareByArea = new Map(coverage(ctx.areas, ctx.devices.filter((d) => d.tech === 'fibre'), { cache: ctx.cache }).areas.map((a) => [a.id, a.fibre.asBuilt]));
  const r = site({ areas, allAreas: ctx.areas, devices: ctx.devices, candidates, count: body.count, radiusM: radius.radiusM, resolution: body.resolution, fibreShareByArea, density: ctx.density, onProgress });
  return { ...r, radius };
}

function unionBbox(areas: readonly Area[]): [number, number, number, number] {
  return [Math.min(...areas.map((a) => a.bbox[0])), Math.min(...areas.map((a) => a.bbox[1])), Math.max(...areas.map((a) => a.bbox[2])), Math.max(...areas.map((a) => a.bbox[3]))];
}
