/**
 * The scenarios, pure: the recorder writes what the collectors would, server/status/ computes the
 * timeline over the samples, and every figure must equal the hand-computed one to the millisecond.
 */
import { describe, expect, it } from 'vitest';
import { SCENARIOS } from './cases/index.js';
import { figuresOf, impliedAlerts, relativeIncidents, relativeSpans, sortAlerts } from './compute.js';
import { record } from './recorder.js';
import { HOUR, partFor } from './types.js';

/** a fixed clock-hour start, so the pure runs do not depend on the date */
const T0 = Date.UTC(2026, 10, 30, 10, 0, 0);

describe.each(SCENARIOS.map((s) => [s.name, s] as const))('scenario (pure): %s', (_name, s) => {
  const rec = record(s, T0);
  const from = T0 + s.window.from, to = T0 + s.window.to;
  const f = figuresOf(rec, from, to);

  it('the expected figures add up to the window (the arithmetic of the scenario itself)', () => {
    for (const [id, e] of Object.entries(s.expected)) {
      expect(e.up_ms + e.down_ms + e.unknown_ms + e.maintenance_ms, id).toBe(s.window.to - s.window.from);
      expect(e.incidents.reduce((sum, i) => sum + i.duration_ms, 0), `${id}: incidents add up to down_ms`).toBe(e.down_ms);
    }
    expect(Object.keys(s.expected).sort()).toEqual(s.devices.map((d) => d.id).sort());
  });

  it('up, down, unknown and maintenance ms per device, exact', () => {
    for (const [id, e] of Object.entries(s.expected)) {
      const r = f.uptime.get(id)!;
      expect({ id, up_ms: r.up_ms, down_ms: r.down_ms, unknown_ms: r.unknown_ms, maintenance_ms: r.maintenance_ms })
        .toEqual({ id, up_ms: e.up_ms, down_ms: e.down_ms, unknown_ms: e.unknown_ms, maintenance_ms: e.maintenance_ms });
    }
  });

  it('incidents (start, end or ongoing, duration), exact', () => {
    for (const [id, e] of Object.entries(s.expected)) expect({ id, incidents: relativeIncidents(f.incidents.get(id)!, T0) }).toEqual({ id, incidents: e.incidents });
  });

  it('collector dead spans, and the alerts they and the incidents imply', () => {
    for (const c of ['mqtt', 'snmp'] as const) expect({ c, gaps: relativeSpans(f.gaps.get(c) ?? [], T0) }).toEqual({ c, gaps: s.collectorGaps[c] });
    expect(impliedAlerts(s, f, T0)).toEqual(sortAlerts(s.alerts));
  });

  if (s.hourly) {
    const hourly = s.hourly;
    it('hourly figures, rounded to whole seconds as the rollups store them', () => {
      for (const [id, hours] of Object.entries(hourly)) {
        hours.forEach((want, h) => {
          const r = figuresOf(rec, T0 + h * HOUR, T0 + (h + 1) * HOUR).uptime.get(id)!;
          const up_s = Math.round(r.up_ms / 1000), down_s = Math.round(r.down_ms / 1000), maintenance_s = Math.round(r.maintenance_ms / 1000);
          expect({ id, h, up_s, down_s, maintenance_s, unknown_s: 3600 - up_s - down_s - maintenance_s }).toEqual({ id, h, ...want });
        });
      }
    });
  }
});

describe('scenario parts (what each collector sees, for the end-to-end runs)', () => {
  const mixed = SCENARIOS.filter((s) => s.devices.some((d) => d.kind === 'ap') && s.devices.some((d) => d.kind === 'node'));
  it.each(mixed.map((s) => [s.name, s] as const))('%s: each part gives its devices the figures of the whole', (_name, s) => {
    const whole = figuresOf(record(s, T0), T0 + s.window.from, T0 + s.window.to);
    for (const c of ['mqtt', 'snmp'] as const) {
      const part = partFor(s, c);
      const f = figuresOf(record(part, T0), T0 + s.window.from, T0 + s.window.to);
      expect(part.devices.length).toBeGreaterThan(0);
      for (const d of part.devices) expect(f.uptime.get(d.id)).toEqual(whole.uptime.get(d.id));
    }
  });
});

describe('scenario recorder', () => {
  it('writes nothing at a SIGKILL: the last MQTT heartbeat is the one at 40 s, before the kill at 42 s', () => {
    const s = SCENARIOS.find((x) => x.name.includes('SIGKILL'))!;
    const rec = record(s, T0);
    const mqtt = rec.points.filter((p) => p.measurement === 'collector_status' && p.time < T0 + 80_000).map((p) => [(p.time - T0) / 1000, p.fields['connected']]);
    // beats every 5 s from 0: 0, 5, ..., 40 = 9 beats, all connected=1, no connected=0
    expect(mqtt).toEqual(Array.from({ length: 9 }, (_, i) => [5 * i, 1]));
  });
});
