import { describe, expect, it } from 'vitest';
import {
  decodeTagValue, encodePoint, encodePoints, encodeTagValue, escapeKey, escapeMeasurement, escapeStringField,
} from '../../server/store/line-protocol.js';
import { StoreRejectedError } from '../../core/point-writer.js';

describe('line protocol', () => {
  it('encodes a device_status point with sorted tags, an integer up and a float rtt_ms in ms', () => {
    expect(encodePoint({
      measurement: 'device_status',
      tags: { source: 'snmp', device: 'olt-1', tech: 'fibre' },
      fields: { up: 1, rtt_ms: 3 },
      time: 1_700_000_000_123,
    })).toBe('device_status,device=olt-1,source=snmp,tech=fibre rtt_ms=3,up=1i 1700000000123');
  });

  it('writes booleans, strings and floats of fields the schema does not list', () => {
    expect(encodePoint({ measurement: 'custom', tags: {}, fields: { ok: true, off: false, note: 'a b', x: 2.5, n: -7 }, time: 1 }))
      .toBe('custom n=-7,note="a b",off=false,ok=true,x=2.5 1');
  });

  it('escapes commas and spaces in measurements', () => {
    expect(escapeMeasurement('my measure,x=1')).toBe('my\\ measure\\,x=1');
  });

  it('escapes commas, equals signs and spaces in tag keys, tag values and field keys', () => {
    expect(escapeKey('a,b=c d')).toBe('a\\,b\\=c\\ d');
    expect(encodePoint({ measurement: 'm', tags: { 'k k': 'v,=v' }, fields: { 'f=1': 1 }, time: 5 }))
      .toBe('m,k\\ k=v\\,\\=v f\\=1=1 5');
  });

  it('escapes double quotes and backslashes in string fields and keeps newlines inside the quotes', () => {
    expect(escapeStringField('say "hi" \\ now\nbye')).toBe('"say \\"hi\\" \\\\ now\nbye"');
  });

  it('percent-encodes %, backslash, CR and LF in tag values, reversibly', () => {
    expect(encodeTagValue('line\nbreak')).toBe('line%0Abreak');
    expect(encodeTagValue('100% back\\slash\r')).toBe('100%25 back%5Cslash%0D');
    expect(encodeTagValue('x" OR 1=1')).toBe('x" OR 1=1');
    for (const v of ['line\nbreak', '100%', 'literal%0A', 'back\\slash', 'trailing\\', 'é漢字', '%%0A%25']) {
      expect(decodeTagValue(encodeTagValue(v))).toBe(v);
    }
    expect(encodePoint({ measurement: 'm', tags: { device: 'a b\n%' }, fields: { v: 1 }, time: 0 }))
      .toBe('m,device=a\\ b%0A%25 v=1 0');
  });

  it('drops tags whose value is empty, as InfluxDB cannot store them', () => {
    expect(encodePoint({ measurement: 'm', tags: { a: '', b: 'x' }, fields: { v: 1 }, time: 0 })).toBe('m,b=x v=1 0');
  });

  it('joins several points with newlines', () => {
    expect(encodePoints([
      { measurement: 'm', tags: {}, fields: { v: 1 }, time: 1 },
      { measurement: 'm', tags: {}, fields: { v: 2 }, time: 2 },
    ])).toBe('m v=1 1\nm v=2 2');
  });

  it('rejects NaN and infinities with an error naming the measurement and field', () => {
    const nan = { measurement: 'optical', tags: { device: 'd' }, fields: { rx_dbm: Number.NaN }, time: 0 };
    expect(() => encodePoint(nan)).toThrow(StoreRejectedError);
    expect(() => encodePoint(nan)).toThrow('point "optical" field "rx_dbm": NaN cannot be stored (not a finite number)');
    expect(() => encodePoint({ ...nan, fields: { tx_dbm: Number.NEGATIVE_INFINITY } })).toThrow(/"optical" field "tx_dbm": -Infinity/);
  });

  it('rejects a fractional value for an integer field, points without fields and newlines in names', () => {
    expect(() => encodePoint({ measurement: 'wifi_ap', tags: {}, fields: { clients: 1.5 }, time: 0 }))
      .toThrow('point "wifi_ap" field "clients": integer field got 1.5');
    expect(() => encodePoint({ measurement: 'm', tags: {}, fields: {}, time: 0 })).toThrow('point "m": has no fields');
    expect(() => encodePoint({ measurement: 'm', tags: { 'a\nb': 'x' }, fields: { v: 1 }, time: 0 })).toThrow(/tag key "a\\nb"/);
    expect(() => encodePoint({ measurement: 'm', tags: {}, fields: { v: 1 }, time: 1.5 })).toThrow(/time must be an integer epoch ms/);
  });

  it('encodes a frozen tags object (the collectors reuse one per device) once, and the same as an unfrozen copy, per measurement', () => {
    const tags = Object.freeze({ device: 'ap 1', site: 's', area: '21009' });
    const a = { measurement: 'wifi_ap', tags, fields: { clients: 3 }, time: 1 };
    const first = encodePoint(a);
    expect(first).toBe('wifi_ap,area=21009,device=ap\\ 1,site=s clients=3i 1');
    expect(encodePoint({ ...a, tags: { ...tags } })).toBe(first);
    expect(encodePoint({ ...a, time: 2 })).toBe('wifi_ap,area=21009,device=ap\\ 1,site=s clients=3i 2');
    // the same tags under another measurement is another series
    expect(encodePoint({ measurement: 'device_status', tags, fields: { up: 1 }, time: 3 })).toBe('device_status,area=21009,device=ap\\ 1,site=s up=1i 3');
    expect(encodePoint({ ...a, time: 4 })).toBe('wifi_ap,area=21009,device=ap\\ 1,site=s clients=3i 4');
  });
});
