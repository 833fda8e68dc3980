/**
 * Telemetry payload validation. An AP's payload is untrusted input from the network: it may be
 * anything (random bytes, huge, deeply nested, hostile keys). Every rejection has a reason from a
 * closed list so that it can be counted per reason and the collector goes on.
 */
import { z } from 'zod';
import type { FieldMapping } from './config.js';

export const REJECT_REASONS = [
  'too_large',
  'not_json',
  'wrong_type',
  'out_of_range',
  'future_timestamp',
  'too_old',
  'bad_timestamp',
  'unknown_device',
  'unknown_topic',
  'bad_status',
  // the collectd preset (preset-collectd.ts): not "<epoch>:<value>" text, or a value collectd did not have
  'not_collectd',
  'no_value',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export interface Telemetry {
  /** epoch ms: the payload's ts, or the receive time */
  time: number;
  fields: {
    clients?: number;
    rssi_dbm?: number;
    channel_util?: number;
    tx_bytes?: number;
    rx_bytes?: number;
    uptime_s?: number;
    /** the collectd preset's iwinfo signal_noise and bitrate (floats: not in the store schema) */
    noise_dbm?: number;
    bitrate_bps?: number;
  };
}

export type ParseResult =
  | { ok: true; value: Telemetry }
  | { ok: false; reason: RejectReason; detail: string };

const counter = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
/** Each metric: a type check first (wrong_type), then a range check (out_of_range). */
const METRICS = {
  clients: z.number().int().min(0).max(100_000),
  rssi_dbm: z.number().min(-150).max(30),
  channel_util: z.number().min(0).max(1),
  tx_bytes: counter,
  rx_bytes: counter,
  uptime_s: counter,
} as const;
type MetricName = keyof typeof METRICS;
const METRIC_NAMES = Object.keys(METRICS) as MetricName[];
/**
 * The same bounds read off the schemas above, for the accepting path: a drain parses tens of
 * thousands of messages a second, and six zod safeParse calls per message were a tenth of the
 * collector's CPU. A value outside them goes through zod, which gives the reason and message.
 */
const BOUNDS = METRIC_NAMES.map((name) => {
  const s = METRICS[name];
  return { name, int: s.isInt === true, min: s.minValue ?? -Infinity, max: s.maxValue ?? Infinity };
});
/** fatal: invalid UTF-8 is not JSON either. One decoder: decode() without `stream` keeps no state. */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** the configured paths split once (a handful per config: the cache stays that small) */
const SPLIT_PATHS = new Map<string, readonly string[]>();
function splitPath(path: string): readonly string[] {
  let keys = SPLIT_PATHS.get(path);
  if (!keys) {
    keys = path.split('.');
    if (SPLIT_PATHS.size < 1000) SPLIT_PATHS.set(path, keys);
  }
  return keys;
}

/** Reads a dotted path through own properties only, so `__proto__` and friends never resolve. */
function readPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const key of splitPath(path)) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    if (!Object.prototype.hasOwnProperty.call(cur, key)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
/** before 2000-01-01 a timestamp is a unit mistake (seconds instead of ms) or garbage */
const MIN_TS_MS = 946_684_800_000;

function parseTs(raw: unknown): number | { reason: RejectReason; detail: string } {
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw) || !Number.isInteger(raw)) return { reason: 'wrong_type', detail: 'ts: not an integer epoch ms' };
    if (raw < MIN_TS_MS) return { reason: 'bad_timestamp', detail: 'ts: before 2000 (seconds instead of ms?)' };
    return raw;
  }
  if (typeof raw === 'string') {
    if (raw.length > 40 || !ISO_8601.test(raw)) return { reason: 'bad_timestamp', detail: 'ts: not ISO 8601 with zone' };
    const ms = Date.parse(raw);
    if (!Number.isFinite(ms) || ms < MIN_TS_MS) return { reason: 'bad_timestamp', detail: 'ts: not a valid date' };
    return ms;
  }
  return { reason: 'wrong_type', detail: 'ts: must be epoch ms or an ISO 8601 string' };
}

export interface ParseOptions {
  mapping: FieldMapping;
  maxPayloadBytes: number;
  maxFutureSkewMs: number;
  /** a `ts` older than this before `now` is rejected (`too_old`) */
  maxPastSkewMs: number;
  /** receive time, epoch ms */
  now: number;
}

export function parseTelemetry(payload: Buffer, opts: ParseOptions): ParseResult {
  if (payload.length > opts.maxPayloadBytes) {
    return { ok: false, reason: 'too_large', detail: `${payload.length} bytes > ${opts.maxPayloadBytes}` };
  }
  let doc: unknown;
  try {
    doc = JSON.parse(UTF8.decode(payload));
  } catch {
    return { ok: false, reason: 'not_json', detail: 'not valid UTF-8 JSON' };
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    return { ok: false, reason: 'wrong_type', detail: 'payload: must be a JSON object' };
  }

  let time = opts.now;
  const rawTs = readPath(doc, opts.mapping.ts);
  if (rawTs !== undefined && rawTs !== null) {
    const ts = parseTs(rawTs);
    if (typeof ts !== 'number') return { ok: false, ...ts };
    if (ts > opts.now + opts.maxFutureSkewMs) {
      return { ok: false, reason: 'future_timestamp', detail: `ts: ${ts - opts.now} ms in the future` };
    }
    if (ts < opts.now - opts.maxPastSkewMs) {
      return { ok: false, reason: 'too_old', detail: `ts: ${Math.round((opts.now - ts) / 1000)} s in the past (more than ${Math.round(opts.maxPastSkewMs / 1000)} s)` };
    }
    time = ts;
  }

  const fields: Telemetry['fields'] = {};
  for (const { name, int, min, max } of BOUNDS) {
    const raw = readPath(doc, opts.mapping[name]);
    if (raw === undefined || raw === null) continue;
    if (typeof raw !== 'number') return { ok: false, reason: 'wrong_type', detail: `${name}: expected a number` };
    // JSON has no NaN, but 1e400 parses to Infinity
    if (!Number.isFinite(raw)) return { ok: false, reason: 'out_of_range', detail: `${name}: not finite` };
    if (raw >= min && raw <= max && (!int || Number.isSafeInteger(raw))) {
      fields[name] = raw;
      continue;
    }
    const checked = METRICS[name].safeParse(raw);
    if (!checked.success) {
      const isTypeIssue = checked.error.issues.some((i) => i.code === 'invalid_type');
      return {
        ok: false,
        reason: isTypeIssue ? 'wrong_type' : 'out_of_range',
        detail: `${name}: ${checked.error.issues[0]?.message ?? 'invalid'}`,
      };
    }
    fields[name] = checked.data;
  }
  return { ok: true, value: { time, fields } };
}

export type StatusValue = 'online' | 'offline';

export function parseStatus(payload: Buffer, statusPayloads: { online: string[]; offline: string[] }): StatusValue | undefined {
  if (payload.length > 64) return undefined;
  const text = payload.toString('utf8').trim();
  if (statusPayloads.online.includes(text)) return 'online';
  if (statusPayloads.offline.includes(text)) return 'offline';
  return undefined;
}
