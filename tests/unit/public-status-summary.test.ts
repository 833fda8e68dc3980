/**
 * The public status's pure parts: component status from the down share of known devices, and
 * device outages merged into public incidents per area and technology.
 */
import { describe, expect, it } from 'vitest';
import { componentStatus, mergeIncidents } from '../../server/public/status-summary.js';
import type { Incident } from '../../server/status/index.js';

const MIN = 60_000;
function incident(device: string, area: string, tech: 'fibre' | 'wifi', start: number, end: number | null, households = 0): Incident {
  return {
    device, start: start * MIN, end: end === null ? null : end * MIN, duration_ms: ((end ?? 100) - start) * MIN, ongoing: end === null,
    startsBeforeWindow: false, endsAfterWindow: false, impact: { area, tech, households, clients: 0, impact_hours: 0 },
  };
}

describe('componentStatus', () => {
  it('names the down share of known devices in Statuspage vocabulary', () => {
    expect(componentStatus(10, 0)).toBe('operational');
    expect(componentStatus(91, 9)).toBe('degraded_performance'); // 9/100 = 9 % < 10 %
    expect(componentStatus(9, 1)).toBe('partial_outage'); // 1/10 = 10 %: not under 10 %
    expect(componentStatus(51, 49)).toBe('partial_outage'); // 49 %
    expect(componentStatus(1, 1)).toBe('major_outage'); // 50 %
    expect(componentStatus(0, 3)).toBe('major_outage');
  });
  it('gives null when no device has a known state (unknown is never down)', () => {
    expect(componentStatus(0, 0)).toBeNull();
  });
});

describe('mergeIncidents', () => {
  const name = (a: string): string => `Area ${a}`;
  it('merges overlapping or touching outages of one area and technology, newest first, no device id', () => {
    const out = mergeIncidents([
      incident('n1', 'a', 'fibre', 10, 40, 100),
      incident('n2', 'a', 'fibre', 30, 60, 50), // overlaps n1: 10..60, 150 households
      incident('n3', 'a', 'fibre', 60, 70, 5), // touches at 60: 10..70, 155 households
      incident('n4', 'a', 'fibre', 80, null, 7), // separate, ongoing
      incident('ap1', 'a', 'wifi', 20, 30), // other technology: its own incident
    ], name, 100 * MIN);
    expect(out).toEqual([
      { area: 'a', areaName: 'Area a', tech: 'fibre', start: new Date(80 * MIN).toISOString(), end: null, ongoing: true, status: 'investigating', outages: 1, households: 7 },
      { area: 'a', areaName: 'Area a', tech: 'wifi', start: new Date(20 * MIN).toISOString(), end: new Date(30 * MIN).toISOString(), ongoing: false, status: 'resolved', outages: 1, households: 0 },
      { area: 'a', areaName: 'Area a', tech: 'fibre', start: new Date(10 * MIN).toISOString(), end: new Date(70 * MIN).toISOString(), ongoing: false, status: 'resolved', outages: 3, households: 155 },
    ]);
    expect(JSON.stringify(out)).not.toMatch(/n1|n2|n3|n4|ap1/);
  });
  it('an ongoing outage makes its merged incident ongoing with no end', () => {
    const out = mergeIncidents([incident('n1', 'b', 'fibre', 0, 50), incident('n2', 'b', 'fibre', 40, null)], name, 100 * MIN);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ end: null, ongoing: true, outages: 2 });
  });
});
