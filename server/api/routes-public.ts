/**
 * The public, unauthenticated routes (group 'public'): the status page at /status and the same as
 * JSON at /api/public/status.json. They are open even when reads need a token, so they give
 * aggregates by area and technology only (server/public/status-summary.ts) and are computed at
 * most once per CACHE_MS whatever the request rate: an anonymous caller cannot make the service
 * read 90 days of raw samples per request. The open data (routes-public-data.ts) is mounted with them.
 */
import type { Request, Response } from 'express';
import type { PublicConfig } from '../public/config.js';
import { renderStatusPage } from '../public/status-page.js';
import { publicStatus, type PublicStatus } from '../public/status-summary.js';
import type { ApiDeps } from './deps.js';
import { incidentsOf, statesOf } from './live-reads.js';
import { DAY_MS } from './params.js';
import { publicDataRoutes } from './routes-public-data.js';
import type { RouteSpec } from './route-table.js';

export const PUBLIC_CACHE_MS = 60_000;

/** One computation shared by concurrent callers, reused for CACHE_MS. */
function cachedStatus(deps: ApiDeps, pub: PublicConfig): () => Promise<PublicStatus> {
  let last: { at: number; value: Promise<PublicStatus> } | undefined;
  return () => {
    const now = deps.now();
    if (last && now - last.at < PUBLIC_CACHE_MS && now >= last.at) return last.value;
    const value = computeStatus(deps, pub, now);
    last = { at: now, value };
    // a failed read is not cached: the next request tries again
    value.catch(() => { if (last?.value === value) last = undefined; });
    return value;
  };
}

async function computeStatus(deps: ApiDeps, pub: PublicConfig, now: number): Promise<PublicStatus> {
  const inv = deps.inventory();
  const devices = inv.all();
  const from = now - pub.historyDays * DAY_MS;
  const [states, incidents] = await Promise.all([
    statesOf(deps, devices, now),
    devices.length === 0 ? Promise.resolve([]) : incidentsOf(deps, devices, from, now, now),
  ]);
  return publicStatus({ title: pub.title, devices, areas: inv.areas, states, incidents, from, now, days: pub.historyDays });
}

const STATUS_SCHEMA = {
  type: 'object',
  required: ['page', 'status', 'components', 'incidents', 'history'],
  properties: {
    status: { type: 'object', properties: { indicator: { enum: ['none', 'minor', 'major', 'critical', 'unknown'] }, description: { type: 'string' } } },
    components: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, area: { type: 'string' }, areaName: { type: 'string' }, tech: { enum: ['fibre', 'wifi'] }, status: { enum: ['operational', 'degraded_performance', 'partial_outage', 'major_outage', null] } } } },
    incidents: { type: 'array', items: { type: 'object' } },
  },
};

/** The status page and its JSON (public.statusPage) and the open data (public.datasets). */
export function publicRoutes(deps: ApiDeps, pub: PublicConfig): RouteSpec[] {
  return [...(pub.statusPage ? statusRoutes(deps, pub) : []), ...publicDataRoutes(deps, pub)];
}

function statusRoutes(deps: ApiDeps, pub: PublicConfig): RouteSpec[] {
  const status = cachedStatus(deps, pub);
  return [
    {
      method: 'get', path: '/api/public/status.json', group: 'public', tag: 'public',
      summary: 'Public status by area and technology (Statuspage vocabulary), incidents of the last public.historyDays days',
      description: 'Open even when reads need a token; names no device and no position finer than an area. Recomputed at most once a minute.',
      responses: { '200': { description: 'page, overall status, components, incidents, history window', schema: STATUS_SCHEMA }, '503': { description: 'store_unavailable' } },
      handler: async (_req: Request, res: Response) => {
        res.set('Cache-Control', 'public, max-age=60').json(await status());
      },
    },
    {
      method: 'get', path: '/status', group: 'public', tag: 'public',
      summary: 'Public status page (HTML, no script): the same content as /api/public/status.json',
      responses: { '200': { description: 'HTML page', contentType: 'text/html' }, '503': { description: 'store_unavailable' } },
      handler: async (_req: Request, res: Response) => {
        const page = renderStatusPage(await status(), { json: '/api/public/status.json', ...(pub.datasets ? { datasets: '/api/public/datasets' } : {}) });
        res.set('Cache-Control', 'public, max-age=60').type('html').send(page);
      },
    },
  ];
}
