/**
 * core/status-points.ts: the one builder of `device_status` and of `collector_status`, used by the
 * SNMP and MQTT collectors and the heartbeat. The points are compared whole, field by field, so a
 * field added or lost by one collector shows here.
 */
import { describe, expect, it } from 'vitest';
import { collectorStatusPoint, deviceStatusPoint } from '../../core/status-points.js';

const olt = { id: 'olt-1', site: 'ixelles-co', area: '21009', tech: 'fibre' as const };
const ap = { id: 'ap-7', site: 'flagey', area: '21009', tech: 'wifi' as const };
const T = 1_780_000_000_000;

describe('deviceStatusPoint', () => {
  it('gives every sample of a device one frozen tags object per source, and new tags when the device object changed', () => {
    const dev = { ...olt };
    const a = deviceStatusPoint(dev, 'snmp', T, { up: true });
    const b = deviceStatusPoint(dev, 'snmp', T + 1, { up: false });
    expect(b.tags).toBe(a.tags);
    expect(Object.isFrozen(a.tags)).toBe(true);
    expect(deviceStatusPoint(dev, 'mqtt', T, { up: true }).tags).toEqual({ ...a.tags, source: 'mqtt' });
    dev.area = '21001';
    expect(deviceStatusPoint(dev, 'snmp', T, { up: true }).tags).toEqual({ ...a.tags, area: '21001' });
  });

  it('an SNMP answer: up=1 and the round trip rounded to the microsecond (1.23456 ms -> 1.235)', () => {
    expect(deviceStatusPoint(olt, 'snmp', T, { up: true, rttMs: 1.23456 })).toEqual({
      measurement: 'device_status',
      tags: { device: 'olt-1', site: 'ixelles-co', area: '21009', tech: 'fibre', source: 'snmp' },
      fields: { up: 1, rtt_ms: 1.235 },
      time: T,
    });
  });

  it('an SNMP timeout: up=0 with its reason, no rtt_ms', () => {
    expect(deviceStatusPoint(olt, 'snmp', T, { up: false, reason: 'no answer in 2 tries' }).fields).toEqual({ up: 0, reason: 'no answer in 2 tries' });
  });

  it('an unreadable device: unreadable=1 and the reason, and no up field (unknown, never down)', () => {
    const p = deviceStatusPoint(olt, 'snmp', T, { unreadable: true, reason: 'authentication failure (wrong v3 key?)' });
    expect(p.fields).toEqual({ unreadable: 1, reason: 'authentication failure (wrong v3 key?)' });
    expect('up' in p.fields).toBe(false);
  });

  it("an AP's online and offline: up alone, source mqtt", () => {
    expect(deviceStatusPoint(ap, 'mqtt', T, { up: true })).toEqual({
      measurement: 'device_status',
      tags: { device: 'ap-7', site: 'flagey', area: '21009', tech: 'wifi', source: 'mqtt' },
      fields: { up: 1 },
      time: T,
    });
    expect(deviceStatusPoint(ap, 'mqtt', T, { up: false }).fields).toEqual({ up: 0 });
  });
});

describe('collectorStatusPoint', () => {
  it('a beat carries connected=1 and the period in whole seconds (9.6 s -> 10); a stop carries connected=0 alone', () => {
    expect(collectorStatusPoint('snmp', 'host-a', T, { connected: true, heartbeatS: 9.6 })).toEqual({
      measurement: 'collector_status',
      tags: { collector: 'snmp', instance: 'host-a' },
      fields: { connected: 1, heartbeat_s: 10 },
      time: T,
    });
    expect(collectorStatusPoint('mqtt', 'host-b', T, { connected: false }).fields).toEqual({ connected: 0 });
  });
});
