/**
 * Per-client rate limiting of the API routes (issue 14 item 2), with express-rate-limit: a fixed
 * one-minute window per remote address (its in-memory store: one process serves the API). The
 * default, 600 a minute, is far above what the map on a wall screen and a few operators ask (the
 * map loads a handful of routes a minute per page); a client above it gets a 429 `rate_limited`
 * with Retry-After (the seconds until its window resets) and RateLimit headers.
 * /api/health (served by app.ts) and /api/events (its own stream caps) are not counted.
 */
import type { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { ApiError } from '../errors.js';
import { clientOf } from './stream-slots.js';

export function readRateLimit(readsPerMinute: number): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: readsPerMinute,
    // RateLimit and RateLimit-Policy headers (IETF draft 8) and Retry-After on a refusal
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    // the remote address as the event stream caps count it; a request whose socket is already
    // gone has no req.ip (the library's own key would be undefined and its headers throw).
    // ipKeyGenerator counts an IPv6 client by its /56, as the library does by default.
    keyGenerator: (req) => ipKeyGenerator(clientOf(req)),
    handler: (_req, _res, next) => {
      next(new ApiError('rate_limited', `Too many requests from this client: more than ${readsPerMinute} in a minute (http.limits.readsPerMinute); try again after Retry-After seconds.`));
    },
  });
}
