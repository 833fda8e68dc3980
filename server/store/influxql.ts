/**
 * InfluxQL quoting. Every query the InfluxDB store sends is built from these, so no value taken
 * from a request or a device id can change a query's meaning.
 *
 * InfluxQL's scanner accepts `\\`, `\"`, `\'` and `\n` escapes inside quoted tokens; we escape the
 * backslash and the quote character, and tag values never hold a raw newline (they are
 * percent-encoded on write, see line-protocol.ts).
 */
import { encodeTagValue } from './line-protocol.js';

export function quoteIdent(name: string): string {
  return `"${name.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

export function quoteString(value: string): string {
  return `'${value.replace(/['\\]/g, (c) => `\\${c}`)}'`;
}

/** A tag value as stored by the InfluxDB store (percent-encoded), quoted as a literal. */
export function quoteTagValue(value: string): string {
  return quoteString(encodeTagValue(value));
}

/** `"db"."rp"."measurement"` */
export function qualifiedMeasurement(retentionPolicy: string, measurement: string): string {
  return `${quoteIdent(retentionPolicy)}.${quoteIdent(measurement)}`;
}

/** Half-open range in ms: `time >= 1700000000000ms AND time < 1700000060000ms`. */
export function timeRange(fromMs: number, toMs: number): string {
  return `time >= ${msLiteral(fromMs)} AND time < ${msLiteral(toMs)}`;
}

export function msLiteral(ms: number): string {
  if (!Number.isSafeInteger(ms)) throw new RangeError(`time must be an integer epoch ms, got ${String(ms)}`);
  return `${ms}ms`;
}

export function durationMs(ms: number): string {
  if (!Number.isSafeInteger(ms) || ms <= 0) throw new RangeError(`stepMs must be a positive integer, got ${String(ms)}`);
  return `${ms}ms`;
}

/** Tag equality filters ANDed; a filter for '' matches points lacking the tag (InfluxDB semantics). */
export function tagConditions(where: Readonly<Record<string, string>> | undefined): string[] {
  if (!where) return [];
  return Object.keys(where).sort().map((k) => `${quoteIdent(k)} = ${quoteTagValue(where[k] ?? '')}`);
}

/** `("device" = 'a' OR "device" = 'b')`, or null for no restriction. Callers handle an empty list (no rows). */
export function anyOf(tag: string, values: readonly string[] | undefined): string | null {
  if (values === undefined) return null;
  if (values.length === 0) throw new RangeError(`anyOf(${tag}): empty list`);
  return `(${values.map((v) => `${quoteIdent(tag)} = ${quoteTagValue(v)}`).join(' OR ')})`;
}
