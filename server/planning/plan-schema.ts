/**
 * The bodies of POST /api/plan (what-if) and POST /api/plan/siting, strict (an unknown key is an
 * error naming it), with the bounds that keep one request to seconds of work.
 */
import { z } from 'zod';
import { DEFAULT_RADIO } from './propagation.js';

const lat = z.number().min(-90).max(90);
const lon = z.number().min(-180).max(180);

/** AP radio parameters; every key optional (defaults: propagation.ts DEFAULT_RADIO) */
export const radioSchema = z.strictObject({
  eirpDbm: z.number().min(-10).max(40).optional(),
  frequencyGHz: z.number().min(0.8).max(82).optional(),
  thresholdDbm: z.number().min(-110).max(-30).optional(),
  environment: z.enum(['los', 'nlos']).optional(),
  reach: z.enum(['street', 'indoor']).optional(),
  building: z.enum(['traditional', 'thermally-efficient']).optional(),
  entryLossProbability: z.number().gt(0).lt(1).optional(),
});
export type RadioInput = z.infer<typeof radioSchema>;

const radiusM = z.number().gt(0).max(2000);
const id = z.string().min(1).max(200);

export const apSchema = z.strictObject({ id: id.optional(), lat, lon, radiusM: radiusM.optional(), radio: radioSchema.optional() });

export const planBodySchema = z.strictObject({
  aps: z.array(apSchema).max(1000).default([]),
  fibreNodes: z.array(z.strictObject({
    id: id.optional(), lat, lon,
    householdsPassed: z.number().int().min(0).max(10_000_000),
    accessTech: z.enum(['ftth', 'fttb', 'docsis31', 'other']).default('ftth'),
  })).max(1000).default([]),
  /** defaults for every AP without its own radiusM / radio */
  radio: radioSchema.optional(),
  radiusM: radiusM.optional(),
  resolution: z.number().int().min(7).max(12).optional(),
  gapsLimit: z.number().int().min(0).max(1000).default(50),
});
export type PlanBody = z.infer<typeof planBodySchema>;

/** at most this many km² of areas as siting demand (resolution-12 cells of Bruxelles, 33 km², take ~10 s) */
export const MAX_SITING_AREA_KM2 = 40;

export const sitingBodySchema = z.strictObject({
  count: z.number().int().min(1).max(500),
  /** the areas whose uncovered households are the demand; or those under bbox */
  areas: z.array(id).min(1).max(19).optional(),
  /** [west, south, east, north] in degrees: the visible map */
  bbox: z.tuple([lon, lat, lon, lat]).optional(),
  candidates: z.array(z.strictObject({ id: id.optional(), lat, lon })).min(1).max(20_000).optional(),
  /** a square grid of candidates over the bbox (else over the areas), every spacingM */
  gridSpacingM: z.number().min(5).max(5000).optional(),
  radiusM: radiusM.optional(),
  radio: radioSchema.optional(),
  resolution: z.number().int().min(9).max(13).default(12),
  format: z.enum(['json', 'csv', 'geojson']).default('json'),
}).refine((b) => b.areas !== undefined || b.bbox !== undefined, { message: 'give areas (ids) or bbox', path: ['areas'] })
  .refine((b) => b.bbox === undefined || (b.bbox[0] < b.bbox[2] && b.bbox[1] < b.bbox[3]), { message: 'must be [west, south, east, north] with west < east and south < north', path: ['bbox'] });
export type SitingBody = z.infer<typeof sitingBodySchema>;

export const DEFAULTS_DOC = { radio: DEFAULT_RADIO, gridSpacingM: 50, sitingResolution: 12 } as const;
