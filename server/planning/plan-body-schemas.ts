/**
 * The JSON bodies of POST /api/plan (the what-if) and POST /api/plan/siting as zod schemas, for the same reason as
 * server/analytics/body-schemas.ts: whatif.ts, propagation.ts and plan-service.ts type their
 * results as z.infer of these, the route table carries them into the OpenAPI document, and the
 * web's type is generated from it. For documentation and types only: never validated at run time.
 */
import { z } from 'zod';
import { GAP_PROPERTIES, GEO_POLYGON } from '../analytics/geo-body-schemas.js';

/** a figure before and after the proposals, and after − before (null when either is null) */
export const CHANGE = z.object({ before: z.number().nullable(), after: z.number().nullable(), change: z.number().nullable() });

export const DESI_CHANGE = CHANGE.extend({ code: z.string(), name: z.string(), unit: z.string() });

/** an area's what-if figures; the region's are the same without id and name */
const SCOPE_FIGURES = z.object({
  households: z.number(),
  population: z.number(),
  changed: z.boolean().describe('whether a proposal changes the area\'s coverage'),
  proposed: z.object({ aps: z.number().int(), fibreNodes: z.number().int() }),
  newlyCoveredHouseholds: z.number(),
  newlyCoveredPopulation: z.number(),
  uncoveredHouseholds: z.object({ before: z.number(), after: z.number() }),
  coverage: z.object({ fibre: CHANGE, wifiArea: CHANGE, wifiPopulation: CHANGE }),
  desi: z.array(DESI_CHANGE).describe('the coverage indicators 2b3, 2b2, DD-gigabit, R-wifi-population'),
});

export const SCOPE_RESULT = z.object({ id: z.string(), name: z.string() }).extend(SCOPE_FIGURES.shape);

/** server/planning/whatif.ts whatIf */
export const WHAT_IF_RESULT = z.object({
  resolution: z.number().int().describe('H3 resolution of the gaps in the changed areas'),
  region: SCOPE_FIGURES,
  areas: z.array(SCOPE_RESULT),
  remainingGaps: z.array(z.object({ type: z.literal('Feature'), geometry: GEO_POLYGON, properties: GAP_PROPERTIES })).describe('the worst cells after the proposals, in the changed areas'),
});

/** an AP's covered radius (propagation.ts apRadius) */
export const RADIUS_RESULT = z.object({
  radiusM: z.number(),
  source: z.enum(['P.1411+P.2109', 'P.1411', 'fixed']).describe('the model, or the planner\'s fixed radius'),
  budgetDb: z.number().nullable().describe('the loss budget EIRP − threshold, dB (null for a fixed radius)'),
  entryLossDb: z.number().nullable(),
  withinModelRange: z.boolean().nullable().describe('false when the radius lies outside the distances P.1411 Table 4 was fitted on'),
});

/** POST /api/plan */
export const PLAN_ANSWER = WHAT_IF_RESULT.extend({
  aps: z.array(z.object({ id: z.string(), lat: z.number(), lon: z.number(), radiusM: z.number(), radius: RADIUS_RESULT })),
});

/** one pick of the siting (siting.ts site) */
export const SITING_PICK = z.object({
  rank: z.number().int(),
  id: z.string(),
  lat: z.number(),
  lon: z.number(),
  area: z.string(),
  radiusM: z.number(),
  gainHouseholds: z.number().describe('uncovered households this site newly reaches, given the sites picked before it'),
  cumulativeHouseholds: z.number(),
  cumulativeShare: z.number().nullable().describe('cumulative / uncovered households before any pick'),
});

/** server/planning/siting.ts site */
export const SITING_RESULT = z.object({
  areas: z.array(z.string()),
  resolution: z.number().int(),
  candidates: z.number().int(),
  count: z.number().int(),
  radiusM: z.number(),
  households: z.number(),
  uncoveredHouseholdsBefore: z.number(),
  uncoveredHouseholdsAfter: z.number(),
  picks: z.array(SITING_PICK),
  evaluations: z.number().int(),
  elapsed_ms: z.number(),
});

/** POST /api/plan/siting, format json */
export const SITING_ANSWER = SITING_RESULT.extend({ radius: RADIUS_RESULT });
