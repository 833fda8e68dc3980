/**
 * createApp(deps): the Express app and nothing else — no listen, no env, no process — so tests
 * build it around any store (DESIGN.md convention 6). Routers for the other resources are added
 * here as they land.
 */
import express, { type Express, type Request, type Response } from 'express';
import compression from 'compression';
import helmet from 'helmet';
import { mountApi, type ApiDeps } from './api/index.js';
import { mayRead } from './api/auth.js';
import type { ApiAuth } from './api/deps.js';
import type { HealthReport } from './api/body-schemas.js';
import type { Logger } from '../core/log.js';
import { silentLogger } from '../core/log.js';
import type { StoreHealth } from './store/metric-store.js';
import { badParameter, errorHandler, notFoundHandler } from './errors.js';
import { webStatic, type WebOptions } from './web-static.js';

/** One component's state in /api/health (broker, collectors, … are added by their owners). */
export interface ComponentHealth {
  ok: boolean;
  detail: string;
  [extra: string]: unknown;
}

export interface AppDeps {
  /** the metric store, or anything that reports its health the same way */
  store: { health(): Promise<StoreHealth> };
  /** more components for /api/health, by name: `broker`, `collectors`, … */
  components?: Readonly<Record<string, () => Promise<ComponentHealth>>>;
  log?: Logger;
  version?: string;
  /** the clock, for uptime_s; default Date.now */
  now?: () => number;
  /** browser origins allowed by CORS; empty = same origin only */
  corsOrigins?: readonly string[];
  /** the map page: tile URL and initial view (server/web-static.ts) */
  web?: WebOptions;
  /** the API's dependencies (server/api/deps.ts); absent = only /api/health and the page */
  api?: ApiDeps;
  /** tokens for /api/health's details when `api` is absent; default api.auth */
  auth?: ApiAuth;
}

/** The endpoints this build serves, listed on the placeholder page. */
const ENDPOINTS: readonly { path: string; what: string }[] = [
  { path: '/api/health', what: 'store (and later broker, collector) state' },
  { path: '/api/openapi.json', what: 'every endpoint of the API (OpenAPI 3.1)' },
  { path: '/api/devices', what: 'devices with their current status' },
  { path: '/api/uptime?groupBy=area', what: 'uptime per area over the last 24 h' },
  { path: '/api/coverage', what: 'coverage per area and for the region' },
];

async function settle<T extends { ok: boolean; detail: string }>(probe: () => Promise<T>, fallback: Omit<T, 'ok' | 'detail'>): Promise<T> {
  try {
    return await probe();
  } catch (err) {
    // A probe that throws is itself the answer: the component is not healthy.
    return { ...fallback, ok: false, detail: (err as Error).message } as T;
  }
}

export function createApp(deps: AppDeps): Express {
  const log = deps.log ?? silentLogger;
  const now = deps.now ?? Date.now;
  const startedAt = now();
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  // helmet's defaults (strict CSP included); the map page sets its own CSP for its tile server
  app.use(helmet());
  // gzip, except server-sent events, which must reach the client as they are written
  app.use(compression({ filter: (req, res) => !String(res.getHeader('Content-Type') ?? '').startsWith('text/event-stream') && compression.filter(req, res) }));

  if (deps.corsOrigins && deps.corsOrigins.length > 0) {
    const allowed = new Set(deps.corsOrigins);
    app.use((req, res, next) => {
      const origin = req.get('origin');
      if (origin && (allowed.has('*') || allowed.has(origin))) {
        res.set('Access-Control-Allow-Origin', allowed.has('*') ? '*' : origin);
        res.set('Vary', 'Origin');
        res.set('Access-Control-Allow-Headers', 'Authorization, Content-Type');
        // the preflight a browser sends before a request with a bearer token: answer it here,
        // before auth (it carries no token) and the routers (which have no OPTIONS routes)
        if (req.method === 'OPTIONS' && req.get('access-control-request-method')) {
          res.set('Access-Control-Allow-Methods', 'GET, HEAD, POST, PUT, PATCH, DELETE').set('Access-Control-Max-Age', '600').status(204).end();
          return;
        }
      }
      next();
    });
  }

  const healthAuth: ApiAuth = deps.auth ?? deps.api?.auth ?? {};
  app.get('/api/health', async (req: Request, res: Response) => {
    // A dashboard that shows a degraded health (the overview) asks for 200 either way: a 503 it
    // expects would otherwise print a network error in the browser's console.
    const degradedStatus = req.query.degradedStatus;
    if (degradedStatus !== undefined && degradedStatus !== '200' && degradedStatus !== '503') {
      throw badParameter('degradedStatus', 'must be 200 or 503 (the HTTP status of a degraded answer; default 503)');
    }
    const store = await settle(() => deps.store.health(), { kind: 'unknown' as StoreHealth['kind'] });
    const report: HealthReport = {
      status: 'ok',
      version: deps.version ?? 'dev',
      uptime_s: Math.round((now() - startedAt) / 1000),
      store: { kind: store.kind, ok: store.ok, detail: store.detail },
    };
    let ok = store.ok;
    for (const [name, probe] of Object.entries(deps.components ?? {})) {
      const part = await settle(probe, {});
      report[name] = part;
      ok &&= part.ok;
    }
    report.status = ok ? 'ok' : 'degraded';
    // debug, not warn: uptime checkers poll this every few seconds.
    if (!ok) log.debug({ health: report }, 'health check degraded');
    // 503 when degraded, so that load balancers and uptime checks see it without parsing JSON.
    // The details (store path, broker, collectors, device names) are for those who may read:
    // without the read token, only the overall status.
    res.status(ok || degradedStatus === '200' ? 200 : 503).json(mayRead(req.get('authorization'), healthAuth) ? report : { status: report.status });
  });

  // The map (web/): its bundle is built at start-up when stale; `/` below is the fallback page.
  // The page asks for the alerts badge only when the alert routes are mounted (no 404 in its console).
  app.use(webStatic({ alerts: deps.api?.operations !== undefined, ...deps.web }, log));

  if (deps.api) mountApi(app, deps.api, deps.version ?? 'dev');

  app.get('/', (_req: Request, res: Response) => {
    const items = ENDPOINTS.map((e) => `<li><a href="${e.path}"><code>GET ${e.path}</code></a> — ${e.what}</li>`).join('\n      ');
    res.type('html').send(`<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><title>netatlas</title></head>
  <body>
    <h1>netatlas — map coming</h1>
    <p>The map is not built yet. The API answers at:</p>
    <ul>
      ${items}
    </ul>
  </body>
</html>
`);
  });

  app.use('/api', notFoundHandler);
  app.use(errorHandler(log));
  return app;
}
