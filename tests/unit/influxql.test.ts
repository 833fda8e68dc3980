import { describe, expect, it } from 'vitest';
import {
  anyOf, durationMs, msLiteral, qualifiedMeasurement, quoteIdent, quoteString, quoteTagValue, tagConditions, timeRange,
} from '../../server/store/influxql.js';
import { parseDurationMs } from '../../server/store/influx-admin.js';

describe('InfluxQL quoting', () => {
  it('double-quotes identifiers, escaping backslashes and double quotes', () => {
    expect(quoteIdent('device')).toBe('"device"');
    expect(quoteIdent('x" OR 1=1')).toBe('"x\\" OR 1=1"');
    expect(quoteIdent('back\\slash')).toBe('"back\\\\slash"');
  });

  it('single-quotes string literals, escaping backslashes and single quotes', () => {
    expect(quoteString("it's")).toBe("'it\\'s'");
    expect(quoteString("x' OR 'a'='a")).toBe("'x\\' OR \\'a\\'=\\'a'");
    expect(quoteString('a\\')).toBe("'a\\\\'");
    expect(quoteString('x" OR 1=1')).toBe("'x\" OR 1=1'");
  });

  it('quotes tag values as stored: percent-encoded, then escaped', () => {
    expect(quoteTagValue('line\nbreak')).toBe("'line%0Abreak'");
    expect(quoteTagValue('back\\slash')).toBe("'back%5Cslash'");
  });

  it('builds qualified measurements, ms time bounds and ms durations', () => {
    expect(qualifiedMeasurement('raw', 'device_status')).toBe('"raw"."device_status"');
    expect(timeRange(1_700_000_000_000, 1_700_000_060_000)).toBe('time >= 1700000000000ms AND time < 1700000060000ms');
    expect(durationMs(60_000)).toBe('60000ms');
    expect(() => msLiteral(1.5)).toThrow(RangeError);
    expect(() => durationMs(0)).toThrow(RangeError);
  });

  it('ANDs tag conditions in key order and ORs device lists', () => {
    expect(tagConditions({ site: "s'1", device: 'd 1' })).toEqual(['"device" = \'d 1\'', '"site" = \'s\\\'1\'']);
    expect(anyOf('device', ['a', 'b"c'])).toBe('("device" = \'a\' OR "device" = \'b"c\')');
    expect(anyOf('device', undefined)).toBeNull();
  });

  it('reads InfluxQL durations in ms so 90d equals the 2160h0m0s InfluxDB reports', () => {
    expect(parseDurationMs('90d')).toBe(parseDurationMs('2160h0m0s'));
    expect(parseDurationMs('1825d')).toBe(1825 * 86_400_000);
    expect(parseDurationMs('INF')).toBe(0);
    expect(parseDurationMs('0s')).toBe(0);
    expect(() => parseDurationMs('90 days')).toThrow(/not an InfluxQL duration/);
  });
});
