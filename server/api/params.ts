/**
 * Query-parameter validation for every route: zod schemas whose failures become `bad_parameter`
 * errors naming the parameter (`from: not an ISO 8601 time`). Objects are strict, so a misspelt
 * or unexpected parameter is a 400 that names it rather than being silently ignored.
 */
import { z } from 'zod';
import { badParameter } from '../errors.js';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
/** the default window of every from/to endpoint: the last 24 h (DESIGN.md) */
export const DEFAULT_WINDOW_MS = DAY_MS;

const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** An ISO 8601 time (date, or date and time with optional zone; no zone = UTC) or epoch ms digits. */
export const timeParam = z
  .string()
  .max(40, 'too long for a time')
  .transform((text, ctx) => {
    let ms: number;
    if (/^\d{1,15}$/.test(text)) ms = Number(text);
    else if (ISO.test(text)) ms = Date.parse(/T/.test(text) && !/(Z|[+-]\d{2}:?\d{2})$/.test(text) ? `${text}Z` : text);
    else ms = NaN;
    if (!Number.isSafeInteger(ms) || ms < 0 || ms > Date.UTC(9999, 11, 31)) {
      ctx.addIssue({ code: 'custom', message: `expected an ISO 8601 time (2026-05-01T00:00:00Z) or epoch milliseconds, got ${JSON.stringify(text.slice(0, 40))}` });
      return z.NEVER;
    }
    return ms;
  });

/** A bounded non-negative integer given as decimal digits. */
export function intParam(min: number, max: number): z.ZodType<number, string> {
  return z
    .string()
    .regex(/^\d{1,12}$/, 'expected a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));
}

/** A bounded non-negative decimal number. */
export function numberParam(min: number, max: number): z.ZodType<number, string> {
  return z
    .string()
    .regex(/^\d{1,12}(\.\d{1,6})?$/, 'expected a number')
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));
}

const DURATION_UNITS_MS: Record<string, number> = { s: 1000, m: 60_000, h: HOUR_MS, d: DAY_MS };

/** A step such as `30s`, `5m`, `1h`, `1d`, or plain seconds (`300`). */
export const durationParam = z
  .string()
  .regex(/^\d{1,9}(s|m|h|d)?$/, 'expected a duration such as 30s, 5m, 1h or 1d')
  .transform((text) => {
    const m = /^(\d+)(s|m|h|d)?$/.exec(text)!;
    return Number(m[1]) * DURATION_UNITS_MS[m[2] ?? 's']!;
  })
  .pipe(z.number().int().min(1000, 'must be at least 1s'));

/** The window parameters most endpoints share. */
export const windowShape = { from: timeParam.optional(), to: timeParam.optional() };

/** Validate `query` with a strict object schema; the first problem becomes a 400 naming its parameter. */
export function parseQuery<S extends z.ZodRawShape>(shape: S, query: unknown): z.output<z.ZodObject<S>> {
  const schema = z.strictObject(shape);
  const r = schema.safeParse(query ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    const key = String(issue.keys[0] ?? '');
    const known = Object.keys(shape);
    throw badParameter(key.slice(0, 64), `unknown parameter${known.length > 0 ? `; this endpoint takes ${known.join(', ')}` : '; this endpoint takes none'}`);
  }
  const name = issue.path.length > 0 ? String(issue.path[0]) : '(query)';
  // A repeated parameter arrives as an array: say so instead of zod's type message.
  const value = (query as Record<string, unknown> | undefined)?.[name];
  if (Array.isArray(value)) throw badParameter(name, 'given more than once');
  const message = issue.code === 'invalid_type' && value === undefined ? 'required' : issue.message;
  throw badParameter(name, message);
}

export interface Window {
  from: number;
  to: number;
}

/**
 * from/to with defaults (`to` = now, `from` = 24 h before `to`), checked:
 * from < to, and the window at most `maxMs` long (naming `from` when it is too long).
 */
export function resolveWindow(q: { from?: number | undefined; to?: number | undefined }, now: number, maxMs: number, why: string): Window {
  const to = q.to ?? now;
  const from = q.from ?? to - DEFAULT_WINDOW_MS;
  if (from >= to) throw badParameter('from', `must be before to (from ${new Date(from).toISOString()}, to ${new Date(to).toISOString()})`);
  if (to - from > maxMs) throw badParameter('from', `the window is ${Math.round((to - from) / DAY_MS)} days long; at most ${Math.round(maxMs / DAY_MS)} days ${why}`);
  return { from, to };
}

export const iso = (ms: number): string => new Date(ms).toISOString();
