import type { FieldValue, Point } from '../../core/point.js';
import { isIntegerField } from '../../core/schema.js';
import { validatePoint } from './validate-point.js';

/**
 * InfluxDB 1.x line protocol, written with precision=ms.
 *
 * Escaping (InfluxDB docs, "line protocol"):
 * - measurement: `,` and space
 * - tag keys, tag values, field keys: `,`, `=` and space
 * - string field values: `"` and `\` (newlines are allowed inside the quotes)
 *
 * Tag values cannot carry a newline in line protocol, and a backslash before an escaped character
 * would change its meaning. So tag values are percent-encoded reversibly before escaping: `%`, `\`,
 * CR and LF become `%25`, `%5C`, `%0D`, `%0A`. Every other character is stored as is, so ordinary
 * ids look the same in InfluxDB as in netatlas. The InfluxDB store encodes tag values in queries and
 * decodes them in results, so any id round-trips unchanged. The embedded store keeps tags as JSON
 * and needs no encoding.
 */

export function encodeTagValue(value: string): string {
  return value.replace(/[%\\\r\n]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

export function decodeTagValue(stored: string): string {
  return stored.replace(/%(25|5C|0D|0A)/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

export function escapeMeasurement(name: string): string {
  return name.replace(/[, ]/g, (c) => `\\${c}`);
}

/** Tag keys, tag values (already percent-encoded) and field keys. */
export function escapeKey(key: string): string {
  return key.replace(/[,= ]/g, (c) => `\\${c}`);
}

export function escapeStringField(value: string): string {
  return `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

export function encodeFieldValue(measurement: string, field: string, value: FieldValue): string {
  if (typeof value === 'string') return escapeStringField(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (isIntegerField(measurement, field)) return `${value.toFixed(0)}i`;
  // String(n) never uses exponent notation for |n| in [1e-7, 1e21); outside it InfluxDB's parser
  // accepts the exponent form (strconv.ParseFloat), so String() is fine everywhere.
  return String(value);
}

/**
 * Escaped names (measurements, tag keys, field keys) are few and come back on every point: kept
 * once escaped. Bounded, for a store fed names it has never seen.
 */
const escapedMeasurements = new Map<string, string>();
const escapedKeys = new Map<string, string>();
const MAX_ESCAPED_NAMES = 10_000;
function cached(cache: Map<string, string>, name: string, escape: (n: string) => string): string {
  let out = cache.get(name);
  if (out === undefined) {
    out = escape(name);
    if (cache.size < MAX_ESCAPED_NAMES) cache.set(name, out);
  }
  return out;
}
const measurementKey = (m: string): string => cached(escapedMeasurements, m, escapeMeasurement);
const nameKey = (k: string): string => cached(escapedKeys, k, escapeKey);

/** a tag value with nothing to percent-encode or escape (nearly every id) is written as it is */
const TAG_VALUE_SPECIAL = /[%\\\r\n,= ]/;

/**
 * One line, no trailing newline. Throws StoreRejectedError for points InfluxDB cannot store.
 * Tags sorted by key, as InfluxDB prefers, empty values dropped (storedTags' rules); fields sorted.
 * Written without intermediate arrays: a drain encodes tens of thousands of points a second.
 */
export function encodePoint(p: Point): string {
  validatePoint(p);
  let line = seriesPrefix(p.measurement, p.tags);
  let sep = ' ';
  for (const k of Object.keys(p.fields).sort()) {
    line += `${sep}${nameKey(k)}=${encodeFieldValue(p.measurement, k, p.fields[k] as FieldValue)}`;
    sep = ',';
  }
  return `${line} ${p.time}`;
}

function encodeSeries(measurement: string, tags: Point['tags']): string {
  let line = measurementKey(measurement);
  for (const k of Object.keys(tags).sort()) {
    const v = tags[k];
    if (v === undefined || v === '') continue;
    line += `,${nameKey(k)}=${TAG_VALUE_SPECIAL.test(v) ? escapeKey(encodeTagValue(v)) : v}`;
  }
  return line;
}

/**
 * The encoded measurement and tags of a frozen tags object (the collectors build one per device and
 * reuse it: core/status-points.ts, collectors/mqtt): a drain writes the same few hundred series
 * tens of thousands of times a second. Only frozen objects are remembered, since a tags object that
 * can change could not be answered from memory; weakly, so a device gone from the inventory goes.
 */
const seriesPrefixes = new WeakMap<object, { measurement: string; prefix: string }>();
function seriesPrefix(measurement: string, tags: Point['tags']): string {
  const hit = seriesPrefixes.get(tags);
  if (hit !== undefined && hit.measurement === measurement) return hit.prefix;
  const prefix = encodeSeries(measurement, tags);
  if (Object.isFrozen(tags)) seriesPrefixes.set(tags, { measurement, prefix });
  return prefix;
}

export function encodePoints(points: readonly Point[]): string {
  let body = '';
  for (let i = 0; i < points.length; i++) body += i === 0 ? encodePoint(points[i]!) : `\n${encodePoint(points[i]!)}`;
  return body;
}
