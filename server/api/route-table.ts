/**
 * The one route table: every endpoint's method, path, auth group, parameters and responses.
 * Express routes are mounted from it and the OpenAPI document is generated from it, so the two
 * cannot drift apart (a test checks every Express route is in the document).
 */
import type { Request, Response } from 'express';
import type { z } from 'zod';

/** public: always open; read: open unless a read token is configured; admin: never open. */
export type RouteGroup = 'public' | 'read' | 'admin';

export interface ResponseSpec {
  description: string;
  /** default application/json */
  contentType?: string;
  /** JSON Schema of the body, for the OpenAPI document (may $ref '#/components/schemas/…' of openapi.ts) */
  schema?: Readonly<Record<string, unknown>>;
  /** the body as a zod schema (server/analytics/body-schemas.ts), whose z.infer is the server's type;
   *  converted to JSON Schema for the document; never used to validate a response at run time */
  body?: z.ZodType;
}

export interface RouteSpec {
  method: 'get' | 'post' | 'delete';
  /** Express path syntax: /api/devices/:id */
  path: string;
  group: RouteGroup;
  tag: string;
  summary: string;
  description?: string;
  /** query parameters (validated by the handler with parseQuery on the same shape) */
  query?: z.ZodRawShape;
  /** path parameters: name -> description */
  pathParams?: Readonly<Record<string, string>>;
  /** query parameter descriptions for the document */
  paramDocs?: Readonly<Record<string, string>>;
  responses: Readonly<Record<string, ResponseSpec>>;
  /** absent for routes that app.ts serves itself (/api/health, /) */
  handler?: (req: Request, res: Response) => Promise<void> | void;
}

/** The responses every validated route may give besides its own. */
export const COMMON_ERRORS: Readonly<Record<string, ResponseSpec>> = {
  '400': { description: 'bad_parameter: a parameter is invalid; error.parameter names it' },
  '401': { description: 'unauthorized: a valid bearer token is required' },
  '429': { description: 'rate_limited: more than http.limits.readsPerMinute requests from this client in a minute; Retry-After says when to try again' },
  '503': { description: 'store_unavailable: the metric store is not reachable; busy: heavy analytics are all taken (Retry-After); too_many_streams: /api/events caps reached' },
};
