/**
 * Planning (issue 16): POST /api/plan — what-if of proposed APs and fibre nodes on the coverage,
 * gap and DESI figures; POST /api/plan/siting — the N best of candidate sites (greedy maximum
 * coverage), as JSON, CSV or GeoJSON. Both compute from the inventory as built and write nothing.
 * The maths are in server/planning/.
 */
import type { Request, Response } from 'express';
import type { z } from 'zod';
import { badParameter } from '../errors.js';
import { formatPath } from '../inventory/issues.js';
import { planBodySchema, sitingBodySchema } from '../planning/plan-schema.js';
import { PlanInputError, planSiting, planWhatIf, type PlanContext } from '../planning/plan-service.js';
import { PLAN_ANSWER, SITING_ANSWER } from '../planning/plan-body-schemas.js';
import { sitingCsv, sitingGeoJson } from '../planning/plan-output.js';
import type { ApiDeps } from './deps.js';
import { COMMON_ERRORS, type RouteSpec } from './route-table.js';

function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const r = schema.safeParse(body ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') throw badParameter(formatPath([...issue.path, String(issue.keys[0] ?? '')], 'body'), 'unknown field');
  const value = issue.path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined), body);
  throw badParameter(formatPath(issue.path, 'body'), issue.code === 'invalid_type' && value === undefined ? 'required' : issue.message);
}

function run<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof PlanInputError) throw badParameter(`body.${err.field}`, err.problem);
    throw err;
  }
}

export function planRoutes(deps: ApiDeps): RouteSpec[] {
  const ctx = (): PlanContext => {
    const inv = deps.inventory();
    return { areas: inv.areas, devices: inv.all(), avgHouseholdSize: deps.avgHouseholdSize, now: deps.now(), cache: deps.coverageCache, density: inv.density };
  };
  return [
    {
      method: 'post', path: '/api/plan', group: 'read', tag: 'planning',
      summary: 'What-if: proposed APs and fibre nodes → newly covered households and population, coverage and DESI changes, remaining gaps',
      description: 'Body: {aps: [{lat, lon, radiusM? | radio?}], fibreNodes: [{lat, lon, householdsPassed, accessTech?}], radio?, radiusM?, resolution?, gapsLimit?}. '
        + 'AP radius: radiusM when given, else ITU-R P.1411 §4.1.1 (street) with P.2109 building entry loss (indoor); see README "Planning". Nothing is stored.',
      responses: { '200': { description: '{resolution, region, areas: [...], remainingGaps: [GeoJSON features], aps: [radius of each]}', body: PLAN_ANSWER }, ...COMMON_ERRORS },
      handler: (req: Request, res: Response) => {
        const body = parseBody(planBodySchema, req.body);
        res.json(run(() => planWhatIf(body, ctx())));
      },
    },
    {
      method: 'post', path: '/api/plan/siting', group: 'read', tag: 'planning',
      summary: 'Siting: the N candidate sites that reach the most uncovered households (greedy, lazy evaluation), with each pick\'s marginal gain',
      description: 'Body: {count, areas? | bbox?, candidates? | gridSpacingM?, radiusM? | radio?, resolution?, format?: json|csv|geojson}.',
      responses: { '200': { description: 'JSON (summary and picks, the body below), CSV (one row per pick) or GeoJSON (one Point per pick)', body: SITING_ANSWER }, ...COMMON_ERRORS },
      handler: (req: Request, res: Response) => {
        const body = parseBody(sitingBodySchema, req.body);
        const r = run(() => planSiting(body, ctx()));
        if (body.format === 'csv') res.type('text/csv; charset=utf-8').set('Content-Disposition', 'attachment; filename="siting.csv"').send(sitingCsv(r));
        else if (body.format === 'geojson') res.type('application/geo+json').send(JSON.stringify(sitingGeoJson(r)));
        else res.json(r);
      },
    },
  ];
}
