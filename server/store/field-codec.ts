import type { FieldValue } from '../../core/point.js';

/**
 * The compact encoding of a point's fields in the embedded store (one BLOB per point), so that a
 * point costs a few bytes a field instead of its JSON with every field name repeated.
 *
 * A field is a varint header `id * 16 + type` followed by its value. `id` is the field's number
 * within its measurement (field-keys.ts: the schema's fields first, in core/schema.ts order, so common
 * fields have ids < 8 and a one-byte header); any other field name gets the next id, so arbitrary
 * fields keep working. Types:
 *   0      integer, zigzag varint (|v| < 2^52; larger safe integers go as float64, same value)
 *   1..9   decimal: zigzag varint mantissa m, value m / 10^type — the collectors round rssi to
 *          0.1 dB, channel_util to 0.01, rtt to 0.001 ms, so a float64 of 8 bytes becomes 1–3 bytes;
 *          used only when m / 10^type gives back exactly the same double
 *   10     float64, little-endian (8 bytes)
 *   11/12  true/false (no payload): booleans stay booleans, apart from 1 and 0
 *   13     string: varint byte length, UTF-8
 */
const T_INT = 0;
const T_F64 = 10;
const T_TRUE = 11;
const T_FALSE = 12;
const T_STR = 13;
const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9] as const;
/** zigzag values below this take at most 7 varint bytes: a decimal is then never larger than a float64 */
const DECIMAL_LIMIT = 2 ** 49;
const INT_LIMIT = 2 ** 52;

class Writer {
  buf = Buffer.allocUnsafe(64);
  len = 0;

  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + n));
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }

  /** unsigned varint of a non-negative integer < 2^53 (arithmetic, not 32-bit bit operations) */
  varint(v: number): void {
    this.room(8);
    while (v >= 128) {
      this.buf[this.len++] = (v % 128) | 128;
      v = Math.floor(v / 128);
    }
    this.buf[this.len++] = v;
  }

  f64(v: number): void {
    this.room(8);
    this.buf.writeDoubleLE(v, this.len);
    this.len += 8;
  }

  bytes(b: Buffer): void {
    this.room(b.length);
    b.copy(this.buf, this.len);
    this.len += b.length;
  }
}

const zigzag = (v: number): number => (v >= 0 ? v * 2 : -v * 2 - 1);
const unzigzag = (z: number): number => (z % 2 === 0 ? z / 2 : -(z + 1) / 2);

/** The decimal exponent (1..9) that represents `v` exactly with a small mantissa, or 0. */
function decimalExponent(v: number): number {
  for (let e = 1; e < POW10.length; e++) {
    const m = Math.round(v * POW10[e]!);
    if (zigzag(Math.abs(m)) >= DECIMAL_LIMIT) return 0;
    if (m / POW10[e]! === v) return e;
  }
  return 0;
}

/** Encodes fields; `idOf` gives the field's id within the measurement (allocating new ones). */
export function encodeFields(fields: Readonly<Record<string, FieldValue>>, idOf: (name: string) => number): Buffer {
  const w = new Writer();
  for (const name of Object.keys(fields)) {
    const v = fields[name] as FieldValue;
    const head = idOf(name) * 16;
    if (typeof v === 'boolean') {
      w.varint(head + (v ? T_TRUE : T_FALSE));
    } else if (typeof v === 'string') {
      const b = Buffer.from(v, 'utf8');
      w.varint(head + T_STR);
      w.varint(b.length);
      w.bytes(b);
    } else if (Number.isInteger(v) && Math.abs(v) < INT_LIMIT) {
      w.varint(head + T_INT);
      w.varint(zigzag(v));
    } else {
      const e = Number.isInteger(v) ? 0 : decimalExponent(v);
      if (e > 0) {
        w.varint(head + e);
        w.varint(zigzag(Math.round(v * POW10[e]!)));
      } else {
        w.varint(head + T_F64);
        w.f64(v);
      }
    }
  }
  return Buffer.from(w.buf.subarray(0, w.len));
}

/** scratch for reading a float64 without allocating a Buffer per value */
const F64_BYTES = new Uint8Array(8);
const F64_VIEW = new DataView(F64_BYTES.buffer);

/** A cursor over one encoded blob. */
class Reader {
  constructor(readonly buf: Uint8Array, public pos = 0, readonly end = buf.length) {}

  varint(): number {
    let v = 0;
    let mul = 1;
    for (;;) {
      if (this.pos >= this.end) throw new Error('field blob truncated');
      const b = this.buf[this.pos++] as number;
      v += (b & 127) * mul;
      if (b < 128) return v;
      mul *= 128;
    }
  }

  private need(n: number): void {
    if (this.pos + n > this.end) throw new Error('field blob truncated');
  }

  value(type: number): FieldValue {
    if (type === T_INT) return unzigzag(this.varint());
    if (type < T_F64) return unzigzag(this.varint()) / POW10[type]!;
    if (type === T_F64) {
      this.need(8);
      for (let i = 0; i < 8; i++) F64_BYTES[i] = this.buf[this.pos + i] as number;
      this.pos += 8;
      return F64_VIEW.getFloat64(0, true);
    }
    if (type === T_TRUE) return true;
    if (type === T_FALSE) return false;
    if (type === T_STR) {
      const n = this.varint();
      this.need(n);
      const s = Buffer.from(this.buf.buffer, this.buf.byteOffset + this.pos, n).toString('utf8');
      this.pos += n;
      return s;
    }
    throw new Error(`field blob: unknown type ${type}`);
  }

  skip(type: number): void {
    if (type === T_F64) this.pos += 8;
    else if (type === T_STR) {
      const n = this.varint(); // read first: `this.pos += this.varint()` would add to the old pos
      this.pos += n;
    }
    else if (type < T_F64) this.varint();
  }
}

/**
 * Decodes every field (or those whose id is in `wanted`); `nameOf` maps ids back to names.
 * `start`/`end`: the encoding's bytes within `buf` (the store reads a page of points as one buffer).
 */
export function decodeFields(
  buf: Uint8Array, nameOf: (id: number) => string, wanted?: ReadonlySet<number>, start = 0, end = buf.length,
): Record<string, FieldValue> {
  const r = new Reader(buf, start, end);
  const out: Record<string, FieldValue> = {};
  while (r.pos < end) {
    const head = r.varint();
    const id = Math.floor(head / 16);
    const type = head % 16;
    if (wanted && !wanted.has(id)) r.skip(type);
    else out[nameOf(id)] = r.value(type);
  }
  return out;
}

/** The value of one field (undefined when the point lacks it), without building an object. */
export function decodeField(buf: Uint8Array, id: number, start = 0, end = buf.length): FieldValue | undefined {
  const r = new Reader(buf, start, end);
  while (r.pos < end) {
    const head = r.varint();
    const type = head % 16;
    if (Math.floor(head / 16) === id) return r.value(type);
    r.skip(type);
  }
  return undefined;
}

/** The ids present in a blob, in order (for merging a rewrite into an existing point). */
export function fieldIds(blob: Uint8Array): number[] {
  const r = new Reader(blob);
  const ids: number[] = [];
  while (r.pos < blob.length) {
    const head = r.varint();
    ids.push(Math.floor(head / 16));
    r.skip(head % 16);
  }
  return ids;
}

/**
 * A rewrite of a point merged into the stored one, as InfluxDB does: the fields of `next` win,
 * the stored fields it lacks are kept (a replayed batch gives back the same bytes).
 */
export function mergeBlobs(stored: Uint8Array, next: Uint8Array): Buffer {
  const nb = Buffer.from(next.buffer, next.byteOffset, next.length);
  if (Buffer.from(stored.buffer, stored.byteOffset, stored.length).equals(nb)) return Buffer.from(nb);
  const replaced = new Set(fieldIds(next));
  const r = new Reader(stored);
  const kept: Buffer[] = [];
  while (r.pos < stored.length) {
    const start = r.pos;
    const head = r.varint();
    r.skip(head % 16);
    if (!replaced.has(Math.floor(head / 16))) kept.push(Buffer.from(stored.buffer, stored.byteOffset + start, r.pos - start));
  }
  return Buffer.concat([...kept, nb]);
}
