/**
 * Bearer-token auth per route group. Read routes are public unless a read token is configured
 * (then the read or the admin token opens them); admin routes need the admin token and are
 * closed to everyone when none is configured: never public.
 */
import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { ApiError } from '../errors.js';
import type { ApiAuth } from './deps.js';
import type { RouteGroup } from './route-table.js';

function same(a: string, b: string): boolean {
  const x = Buffer.from(a), y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function bearer(header: string | undefined): string | undefined {
  const m = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return m ? m[1] : undefined;
}

/**
 * Whether a request with this Authorization header may see what read routes show: no read
 * token configured (reads are open), or the read or the admin token. /api/health gives its
 * details only then (its public answer is the overall status).
 */
export function mayRead(authorization: string | undefined, auth: ApiAuth): boolean {
  if (auth.readToken === undefined) return true;
  const token = bearer(authorization);
  if (token === undefined) return false;
  return same(token, auth.readToken) || (auth.adminToken !== undefined && same(token, auth.adminToken));
}

export function authFor(group: RouteGroup, auth: ApiAuth): RequestHandler {
  return (req, _res, next) => {
    if (group === 'public') return next();
    const token = bearer(req.get('authorization'));
    const isAdmin = auth.adminToken !== undefined && token !== undefined && same(token, auth.adminToken);
    if (group === 'admin') {
      if (isAdmin) return next();
      return next(new ApiError('unauthorized', auth.adminToken === undefined
        ? 'Admin routes are closed: no admin token is configured (http.auth.adminToken).'
        : 'A valid admin bearer token is required (Authorization: Bearer <token>).'));
    }
    if (auth.readToken === undefined || isAdmin || (token !== undefined && same(token, auth.readToken))) return next();
    return next(new ApiError('unauthorized', 'A valid read bearer token is required (Authorization: Bearer <token>).'));
  };
}
