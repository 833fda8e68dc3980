import type { Point } from '../../core/point.js';
import { isIntegerField } from '../../core/schema.js';
import { StoreRejectedError } from '../../core/point-writer.js';

/**
 * The checks both stores apply before persisting a point, so that a point one store refuses is
 * refused by the other too (the contract suite relies on identical behaviour).
 *
 * Names (measurement, tag keys, field keys) may hold commas, spaces and equals signs (escaped in
 * line protocol) but no newline and no backslash: line protocol has no escape for a newline, and a
 * backslash before an escaped character would change its meaning. Schema names never need either.
 * Tag *values* may hold anything: the InfluxDB store encodes them reversibly (see line-protocol.ts).
 */
const FORBIDDEN_IN_NAMES = /[\n\r\\]/;

function checkName(kind: string, name: string, where: () => string): void {
  if (name.length === 0) throw new StoreRejectedError(`${where()}: empty ${kind}`);
  if (FORBIDDEN_IN_NAMES.test(name)) {
    throw new StoreRejectedError(`${where()}: ${kind} ${JSON.stringify(name)} contains a newline or backslash`);
  }
}

export function validatePoint(p: Point): void {
  // the message's prefix is built only when there is something wrong to report (hot path)
  const where = (): string => `point ${JSON.stringify(p.measurement)}`;
  checkName('measurement', p.measurement, () => 'point');
  if (!Number.isSafeInteger(p.time)) {
    throw new StoreRejectedError(`${where()}: time must be an integer epoch ms, got ${String(p.time)}`);
  }
  for (const key of Object.keys(p.tags)) checkName('tag key', key, where);
  const fieldKeys = Object.keys(p.fields);
  if (fieldKeys.length === 0) throw new StoreRejectedError(`${where()}: has no fields`);
  for (const key of fieldKeys) {
    checkName('field key', key, where);
    const v = p.fields[key];
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) {
        throw new StoreRejectedError(`${where()} field ${JSON.stringify(key)}: ${String(v)} cannot be stored (not a finite number)`);
      }
      if (!Number.isInteger(v) && isIntegerField(p.measurement, key)) {
        throw new StoreRejectedError(`${where()} field ${JSON.stringify(key)}: integer field got ${String(v)}`);
      }
    } else if (typeof v !== 'boolean' && typeof v !== 'string') {
      throw new StoreRejectedError(`${where()} field ${JSON.stringify(key)}: unsupported value type ${typeof v}`);
    }
  }
}
