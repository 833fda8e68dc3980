/**
 * The bounds on what clients may ask of the API, put together from `http.limits` (issue 14):
 * per-client rate limiting of every route mounted from the route table except the event stream,
 * caps on open event streams, and the gate on heavy analytics. mountApi asks, per route, for the
 * middleware that goes before auth and for the handler to mount.
 */
import type { Request, RequestHandler, Response } from 'express';
import type { ApiLimits } from './deps.js';
import { gated, HeavyGate } from './heavy-gate.js';
import { readRateLimit } from './rate-limit.js';
import type { RouteSpec } from './route-table.js';
import { StreamSlots, streamCap } from './stream-slots.js';

export const EVENTS_PATH = '/api/events';

/**
 * The routes whose work grows with the window or the region: uptime and coverage up to 1825 days,
 * incidents up to 93 days of raw samples, gaps over H3 cells, the DESI report over a year.
 */
export const HEAVY_PATHS: ReadonlySet<string> = new Set([
  '/api/uptime', '/api/incidents', '/api/coverage', '/api/coverage/areas.geojson', '/api/gaps', '/api/reports/desi',
]);

export interface RequestLimits {
  /** middleware before the route's auth: the rate limit, or the stream cap for /api/events */
  before(route: RouteSpec): RequestHandler[];
  /** the handler to mount: heavy routes run under the gate */
  handler(route: RouteSpec & { handler: NonNullable<RouteSpec['handler']> }): (req: Request, res: Response) => Promise<void> | void;
  readonly streams: StreamSlots | undefined;
  readonly heavy: HeavyGate | undefined;
}

export function requestLimits(limits: ApiLimits | undefined): RequestLimits {
  if (!limits) return { before: () => [], handler: (r) => r.handler, streams: undefined, heavy: undefined };
  const rate = readRateLimit(limits.readsPerMinute);
  const streams = new StreamSlots(limits.eventStreams, limits.eventStreamsPerClient);
  const cap = streamCap(streams);
  const heavy = new HeavyGate({ concurrency: limits.heavyConcurrency, queueMs: limits.heavyQueueMs, queueLength: limits.heavyQueueLength });
  return {
    before: (r) => (r.path === EVENTS_PATH ? [cap] : [rate]),
    handler: (r) => (HEAVY_PATHS.has(r.path) ? gated(heavy, r.handler) : r.handler),
    streams,
    heavy,
  };
}
