/**
 * Mounts the API on an Express app from the one route table: per route, its auth group's
 * middleware, then its handler (async errors reach the catalogue error handler through
 * Express 5). Also times every request into the metrics registry.
 */
import type { ErrorRequestHandler, Express, Request, Response, NextFunction } from 'express';
import { badParameter } from '../errors.js';
import { Histogram } from 'prom-client';
import { registered } from '../../core/self-metrics.js';
import type { ApiDeps } from './deps.js';
import express from 'express';
import { authFor } from './auth.js';
import { requestLimits } from './request-limits.js';

const jsonBody = express.json({ limit: '1mb' });
import { buildOpenApi } from './openapi.js';
import type { RouteSpec } from './route-table.js';
import { deviceRoutes } from './routes-devices.js';
import { uptimeRoutes } from './routes-uptime.js';
import { coverageRoutes } from './routes-coverage.js';
import { planRoutes } from './routes-plan.js';
import { systemRoutes } from './routes-system.js';
import { alertRoutes } from './alerts.js';
import { maintenanceRoutes } from './maintenance.js';
import { reportListRoutes } from './reports-list.js';
import { publicRoutes } from './routes-public.js';

export type { ApiDeps } from './deps.js';

export function apiRoutes(deps: ApiDeps, version: string): RouteSpec[] {
  let doc: Record<string, unknown> | undefined;
  const routes: RouteSpec[] = [];
  routes.push(...systemRoutes(deps, () => (doc ??= buildOpenApi(routes, version))), ...deviceRoutes(deps), ...uptimeRoutes(deps), ...coverageRoutes(deps), ...planRoutes(deps), ...operationsRoutes(deps), ...(deps.public ? publicRoutes(deps, deps.public) : []));
  return routes;
}

/** The alert, maintenance and report routers, when the operations were built (ApiDeps.operations). */
function operationsRoutes(deps: ApiDeps): RouteSpec[] {
  const ops = deps.operations;
  if (!ops) return [];
  const { windows, ...maintenance } = ops.maintenance;
  return [...alertRoutes(ops.alerts), ...maintenanceRoutes(windows, maintenance), ...reportListRoutes(ops.reportsDir)];
}

function requestTimer(deps: ApiDeps): ((req: Request, res: Response, next: NextFunction) => void) | undefined {
  if (!deps.metrics) return undefined;
  const registry = deps.metrics;
  const histogram = registered(registry, 'netatlas_http_request_duration_seconds', () => new Histogram({
    name: 'netatlas_http_request_duration_seconds', help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'] as const, buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  }));
  return (req, res, next) => {
    const end = histogram.startTimer();
    res.on('finish', () => {
      // the route pattern, not the URL, so ids and query strings do not explode the label set
      const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
      end({ method: req.method, route: typeof route === 'string' ? route : 'unmatched', status: String(res.statusCode) });
    });
    next();
  };
}

/** Mount every route that has a handler. Call before the 404 and error handlers. */
export function mountApi(app: Express, deps: ApiDeps, version: string): RouteSpec[] {
  const routes = apiRoutes(deps, version);
  const timer = requestTimer(deps);
  if (timer) app.use(timer);
  // rate limit and stream caps before auth (guessing tokens is limited too); heavy work gated
  const limits = requestLimits(deps.limits);
  for (const r of routes) {
    if (!r.handler) continue;
    // bodies are parsed after auth: a caller without the token learns nothing from a 400 about
    // its body, and an unauthenticated request costs no parsing
    app[r.method](r.path, ...limits.before(r), authFor(r.group, deps.auth), jsonBody, limits.handler({ ...r, handler: r.handler }));
  }
  app.use(pathDecodeErrors);
  return routes;
}

/** A path parameter with broken percent-encoding (`/api/devices/%E0%A4%A`) is the client's error. */
const pathDecodeErrors: ErrorRequestHandler = (err, _req, _res, next) => {
  if (err instanceof URIError || (err as { status?: unknown } | null)?.status === 400 && /decode/i.test(String((err as Error).message))) {
    next(badParameter('path', 'not valid percent-encoding'));
    return;
  }
  next(err);
};
