/**
 * collectorHealth puts the collectors' own health() lines together for /api/health: not ok when
 * one collector cannot collect, one detail per collector, each one's state under its name, and
 * `{running: true}` for a collector that reports no health.
 */
import { describe, expect, it } from 'vitest';
import { collectorHealth } from '../../server/collection/collection-health.js';
import type { Collector, CollectorHealthContext } from '../../collectors/types.js';

const polling = (name: string, health?: Collector['health']): Collector => ({ kind: 'polling', name, poll: async () => {}, ...(health ? { health } : {}) });
const streaming = (name: string, health: NonNullable<Collector['health']>): Collector => ({ kind: 'streaming', name, start: async () => {}, stop: async () => {}, health });

describe('collectorHealth', () => {
  it('is ok with every collector able to collect, one detail each, states under their names', () => {
    const cycle = { devices: 3, up: 2, down: 1, unreadable: 0, notRun: 0, durationMs: 40 };
    const h = collectorHealth([polling('snmp', () => ({ ok: true, detail: '2 up, 1 down', state: cycle })), polling('quiet')], undefined);
    expect(h).toEqual({ ok: true, detail: 'snmp: 2 up, 1 down', snmp: cycle, quiet: { running: true } });
  });

  it('is not ok when one collector cannot collect, and passes the embedded broker URL to each', () => {
    const seen: CollectorHealthContext[] = [];
    const mqtt = streaming('mqtt', (ctx) => {
      seen.push(ctx);
      return { ok: false, detail: 'not connected', state: { connected: false, embeddedBroker: ctx.embeddedBrokerUrl === 'mqtt://127.0.0.1:1884' } };
    });
    const h = collectorHealth([polling('snmp', () => ({ ok: true, detail: 'first cycle running', state: null })), mqtt], 'mqtt://127.0.0.1:1884');
    expect(h.ok).toBe(false);
    expect(h.detail).toBe('snmp: first cycle running; mqtt: not connected');
    expect(h['mqtt']).toEqual({ connected: false, embeddedBroker: true });
    expect(h['snmp']).toBeNull();
    expect(seen).toEqual([{ embeddedBrokerUrl: 'mqtt://127.0.0.1:1884' }]);
  });

  it('says so when there is no collector', () => {
    expect(collectorHealth([], undefined)).toEqual({ ok: true, detail: 'no collectors' });
  });
});
