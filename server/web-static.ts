/**
 * Serves the map (web/dist, built from web/src by esbuild) at `/`, and `/web-config.json` with the
 * deployment's tile settings. The bundle is (re)built at start-up when missing or older than its
 * sources, so `npm start` and `npm test` work on a fresh clone without a separate build step;
 * requests wait for that build (about a second) rather than seeing a half-written bundle.
 */
import path from 'node:path';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { Logger } from '../core/log.js';
import { silentLogger } from '../core/log.js';
import { WEB_DIST, ensureWebBundle } from '../web/build.js';
import { WEB_PAGES } from '../web/pages.js';
import type { WebConfigJson } from './api/body-schemas.js';

export interface WebOptions {
  /** Leaflet tile URL template; '' for no base map. Default: OpenStreetMap's tile server. */
  tileUrl?: string;
  tileAttribution?: string;
  /** initial view before the areas are fitted */
  center?: { lat: number; lon: number };
  zoom?: number;
  /** the alert routes are mounted: the page shows the open-alerts badge */
  alerts?: boolean;
}

export const DEFAULT_TILE_URL = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';
const OSM_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors';

/** the origin images may come from, for the page's Content-Security-Policy ('' when none) */
function tileOrigin(tileUrl: string): string {
  try {
    // `{s}` subdomain placeholders become a wildcard, which CSP understands.
    const u = new URL(tileUrl.replace('{s}', 'subdomain').replace(/\{[^}]+\}/g, '0'));
    return `${u.protocol}//${u.host.replace(/^subdomain\./, '*.')}`;
  } catch {
    return '';
  }
}

export function webStatic(opts: WebOptions = {}, log: Logger = silentLogger): Router {
  const tileUrl = opts.tileUrl ?? DEFAULT_TILE_URL;
  const config: WebConfigJson = {
    tileUrl,
    tileAttribution: opts.tileAttribution ?? (tileUrl === DEFAULT_TILE_URL ? OSM_ATTRIBUTION : ''),
    center: opts.center ?? { lat: 50.85, lon: 4.35 },
    zoom: opts.zoom ?? 11,
    alerts: opts.alerts ?? false,
  };
  // The page sets its own policy so that a stricter app-wide one (helmet's img-src 'self') does not
  // block the tiles, and a looser one does not leave the page without any.
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'", // Leaflet positions every marker and tile with inline styles
    `img-src 'self' data: ${tileOrigin(tileUrl)}`.trim(),
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'self'",
  ].join('; ');

  const ready = ensureWebBundle().then(
    (built) => {
      if (built) log.info({ files: built.files.length, elapsed_ms: built.elapsed_ms }, 'map bundle built');
      return null;
    },
    (err: Error) => {
      log.error({ err }, 'map bundle could not be built');
      return err;
    },
  );

  const pagePaths = new Set(WEB_PAGES.flatMap((p) => [p.route, `/${p.html}`]));
  const router = express.Router();
  router.get('/web-config.json', (_req: Request, res: Response) => {
    res.set('Cache-Control', 'no-cache').json(config);
  });
  router.use(async (req: Request, res: Response, next: NextFunction) => {
    // API paths never wait for, or fail with, the bundle: they fall through to the API's 404.
    if ((req.method !== 'GET' && req.method !== 'HEAD') || req.path === '/api' || req.path.startsWith('/api/') || req.path === '/metrics') return next();
    const err = await ready;
    if (err) {
      res.status(503).type('text').send(`The map is unavailable: its bundle could not be built (${err.message}). The API still answers under /api.`);
      return;
    }
    if (pagePaths.has(req.path)) res.set('Content-Security-Policy', csp);
    next();
  });
  // every page but the map (served as the static index) answers at its route, e.g. /desi
  for (const page of WEB_PAGES.filter((p) => p.route !== '/')) {
    router.get(page.route, (_req: Request, res: Response) => {
      res.set('Cache-Control', 'no-cache').sendFile(path.join(WEB_DIST, page.html));
    });
  }
  // no-cache = revalidate by ETag: file names are stable, so a rebuilt bundle must not be served stale.
  router.use(express.static(WEB_DIST, { index: 'index.html', cacheControl: true, maxAge: 0, setHeaders: (res) => res.set('Cache-Control', 'no-cache') }));
  return router;
}

