/**
 * The one catalogue of API errors: a stable code (clients switch on it), the HTTP status and a
 * default message. README's "HTTP API" section documents the same table; a test keeps them in
 * sync. Every error response has the body `{ "error": { "code", "message", "parameter"? } }` and
 * never a stack trace.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../core/log.js';
import { silentLogger } from '../core/log.js';

export const API_ERRORS = {
  bad_parameter: { status: 400, message: 'A request parameter is missing or invalid.' },
  unauthorized: { status: 401, message: 'A valid bearer token is required.' },
  not_found: { status: 404, message: 'No such resource.' },
  rate_limited: { status: 429, message: 'Too many requests from this client; try again after Retry-After seconds.' },
  store_unavailable: { status: 503, message: 'The metric store is not reachable; try again shortly.' },
  busy: { status: 503, message: 'The server is busy with other heavy requests; try again after Retry-After seconds.' },
  too_many_streams: { status: 503, message: 'Too many open event streams; close one or try again later.' },
  internal: { status: 500, message: 'Internal error; the server log has the details.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ApiErrorCode = keyof typeof API_ERRORS;

export interface ApiErrorBody {
  error: { code: ApiErrorCode; message: string; parameter?: string };
}

/** Throw (or pass to next()) from a route; the error handler turns it into the catalogue response. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly code: ApiErrorCode;
  readonly status: number;
  /** the query/path/body parameter at fault, for bad_parameter */
  readonly parameter: string | undefined;

  constructor(code: ApiErrorCode, message?: string, options: { parameter?: string; cause?: unknown } = {}) {
    super(message ?? API_ERRORS[code].message, { cause: options.cause });
    this.code = code;
    this.status = API_ERRORS[code].status;
    this.parameter = options.parameter;
  }
}

/** `bad_parameter` naming the parameter and what was wrong with it: `from: must be ISO 8601`. */
export function badParameter(parameter: string, problem: string): ApiError {
  return new ApiError('bad_parameter', `${parameter}: ${problem}`, { parameter });
}

export function errorBody(code: ApiErrorCode, message?: string, parameter?: string): ApiErrorBody {
  const error: ApiErrorBody['error'] = { code, message: message ?? API_ERRORS[code].message };
  if (parameter !== undefined) error.parameter = parameter;
  return { error };
}

/** Map anything thrown to a catalogue entry. Unknown errors become `internal` with the generic message. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof Error && err.name === 'StoreUnavailableError') return new ApiError('store_unavailable', undefined, { cause: err });
  // body-parser errors (malformed JSON, body too large) carry an HTTP status and `expose`.
  const e = err as { status?: unknown; statusCode?: unknown; type?: unknown; expose?: unknown } | null;
  const status = typeof e?.status === 'number' ? e.status : typeof e?.statusCode === 'number' ? e.statusCode : undefined;
  if (status !== undefined && status >= 400 && status < 500 && e?.expose === true) {
    const problem = e.type === 'entity.parse.failed' ? 'not valid JSON' : (err as Error).message;
    return new ApiError('bad_parameter', `body: ${problem}`, { parameter: 'body', cause: err });
  }
  return new ApiError('internal', undefined, { cause: err });
}

/** 404 in the catalogue's shape for any route nobody answered. Mount after all routers. */
export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new ApiError('not_found', `No route for ${req.method} ${req.originalUrl.split('?')[0]}.`));
};

/** The last middleware: catalogue JSON, the cause logged (with its stack) but never sent. */
export function errorHandler(log: Logger = silentLogger): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const apiError = toApiError(err);
    if (apiError.status >= 500) log.error({ err: apiError.cause ?? err, method: req.method, url: req.originalUrl }, 'request failed');
    else log.debug({ code: apiError.code, method: req.method, url: req.originalUrl }, apiError.message);
    res.status(apiError.status).json(errorBody(apiError.code, apiError.message, apiError.parameter));
  };
}
