/**
 * Service routes: server-sent status events, Prometheus metrics, the OpenAPI document, the admin
 * actions, and the entries for what app.ts serves itself (health, the page), so the document
 * lists every route.
 */
import type { Request, Response } from 'express';
import { z } from 'zod';
import { ApiError } from '../errors.js';
import { STATUS_EVENT, type StatusEvent } from '../events.js';
import type { ApiDeps } from './deps.js';
import { HEALTH, WEB_CONFIG } from './body-schemas.js';
import { parseQuery } from './params.js';
import { COMMON_ERRORS, type RouteSpec } from './route-table.js';
import { WEB_PAGES } from '../../web/pages.js';

const eventsQuery = { devices: z.string().max(10_000).optional() };

export function systemRoutes(deps: ApiDeps, openApi: () => Record<string, unknown>): RouteSpec[] {
  return [
    {
      method: 'get', path: '/', group: 'public', tag: 'service', summary: 'The map (HTML)',
      responses: { '200': { description: 'HTML page', contentType: 'text/html' } },
    },
    // the other web pages (web/pages.ts), served by web-static.ts at their routes
    ...WEB_PAGES.filter((p) => p.route !== '/').map((p): RouteSpec => ({
      method: 'get', path: p.route, group: 'public', tag: 'service', summary: `The ${p.name} view (HTML; its data comes from the API with the caller's token)`,
      responses: { '200': { description: 'HTML page', contentType: 'text/html' } },
    })),
    {
      method: 'get', path: '/web-config.json', group: 'public', tag: 'service', summary: 'The map page\'s settings (tile server, initial view)',
      responses: { '200': { description: '{tileUrl, tileAttribution, center, zoom, alerts}', body: WEB_CONFIG } },
    },
    {
      method: 'get', path: '/api/health', group: 'public', tag: 'service',
      summary: 'Store, broker, pipeline and collector state, and the devices that cannot be read (with their reason); 503 when a part is not ok',
      description: 'Public: without the read token (when one is configured) the answer is only {"status": "ok" | "degraded"} with the same HTTP code; with the read or admin token, or when reads are open, every component\'s details.',
      query: { degradedStatus: z.enum(['200', '503']).optional() },
      paramDocs: { degradedStatus: 'HTTP status of a degraded answer: 503 (default, for load balancers and uptime checks) or 200 (for dashboards that read the body)' },
      responses: { '200': { description: 'everything ok (or degraded, with degradedStatus=200)', body: HEALTH }, '503': { description: 'degraded: the body (with read access) says which part', body: HEALTH }, '400': { description: 'bad_parameter: degradedStatus is not 200 or 503' } },
    },
    {
      method: 'get', path: '/api/events', group: 'read', tag: 'service',
      summary: 'Server-sent events: `status` events {device, status, statusReason, previous, time, lastSeen} when a device changes between up, down and unknown',
      description: 'The server polls the store for the latest status of every device every few seconds and sends the changes; an event `ready` says the baseline is taken. A comment line keeps the connection alive.',
      query: eventsQuery,
      paramDocs: { devices: 'comma-separated device ids to receive events for; default all' },
      responses: { '200': { description: 'text/event-stream; the data of each `status` event is a StatusEvent (JSON)', contentType: 'text/event-stream', body: STATUS_EVENT }, ...COMMON_ERRORS },
      handler: async (req: Request, res: Response) => {
        const q = parseQuery(eventsQuery, req.query);
        if (!deps.events) throw new ApiError('not_found', 'Status events are not enabled in this instance.');
        const only = q.devices ? new Set(q.devices.split(',').filter((s) => s !== '')) : undefined;
        res.status(200).set({ 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
        res.flushHeaders();
        res.write(`retry: ${deps.events.pollMs}\n: netatlas status events\n\n`);
        const send = (e: StatusEvent): void => {
          if (only && !only.has(e.device)) return;
          res.write(`event: status\ndata: ${JSON.stringify(e)}\n\n`);
        };
        const unsubscribe = deps.events.subscribe(send);
        const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), deps.sseKeepAliveMs ?? 15_000);
        // the response's close: fires when either side ends the stream (the request's may fire early)
        res.on('close', () => { clearInterval(keepAlive); unsubscribe(); });
        await deps.events.poll();
        if (!res.writableEnded) res.write(`event: ready\ndata: ${JSON.stringify({ primed: deps.events.primed })}\n\n`);
      },
    },
    {
      method: 'get', path: '/metrics', group: 'read', tag: 'service', summary: 'Prometheus metrics of this process',
      responses: { '200': { description: 'Prometheus text format', contentType: 'text/plain' }, ...COMMON_ERRORS },
      handler: async (req: Request, res: Response) => {
        parseQuery({}, req.query);
        if (!deps.metrics) throw new ApiError('not_found', 'No metrics registry in this instance.');
        res.type(deps.metrics.contentType).send(await deps.metrics.metrics());
      },
    },
    {
      method: 'get', path: '/api/openapi.json', group: 'public', tag: 'service', summary: 'This OpenAPI 3.1 document',
      responses: { '200': { description: 'OpenAPI document' } },
      handler: (_req: Request, res: Response) => { res.json(openApi()); },
    },
    {
      method: 'post', path: '/api/admin/rollups', group: 'admin', tag: 'admin',
      summary: 'Run the hourly rollup job now (catch up to the last whole hour)',
      responses: { '200': { description: '{from, to, hours, points}' }, ...COMMON_ERRORS },
      handler: async (req: Request, res: Response) => {
        parseQuery({}, req.query);
        if (!deps.rollups) throw new ApiError('not_found', 'The rollup job is not running in this instance.');
        const run = await deps.rollups.runOnce();
        res.json({ from: new Date(run.from).toISOString(), to: new Date(run.to).toISOString(), hours: run.hours, points: run.points });
      },
    },
    {
      method: 'post', path: '/api/admin/inventory/reload', group: 'admin', tag: 'admin',
      summary: 'Reload the inventory and areas files now (they also reload when they change)',
      responses: { '200': { description: '{ok, errors?}; an invalid file keeps the last good inventory' }, ...COMMON_ERRORS },
      handler: async (req: Request, res: Response) => {
        parseQuery({}, req.query);
        if (!deps.reloadInventory) throw new ApiError('not_found', 'This instance has no inventory files to reload.');
        res.json(await deps.reloadInventory());
      },
    },
  ];
}
