/**
 * The pure parts of the operators' views (web/src/overview, web/src/incidents): the filters kept
 * in the URL, the region uptime as a group sum, the worst-areas ranking and the status counts.
 */
import { describe, expect, it } from 'vitest';
import { apiQuery, filtersFrom, filtersQuery } from '../../web/src/incidents/incident-filters.js';
import { regionUptime } from '../../web/src/overview/uptime-panel.js';
import { worstAreas } from '../../web/src/overview/worst-areas.js';
import { countStatuses } from '../../web/src/overview/status-counts.js';
import type { UptimeGroup } from '../../web/src/views/views-api.js';

const H = 3_600_000;
const group = (key: string, up_h: number, down_h: number): UptimeGroup => ({
  key, name: key.toUpperCase(), devices: 1, up_ms: up_h * H, down_ms: down_h * H, unknown_ms: 0, maintenance_ms: 0,
  uptime: up_h + down_h > 0 ? up_h / (up_h + down_h) : null,
});

describe('incident filters in the URL', () => {
  it('reads known values, ignores unknown ones, and writes back only what differs from the defaults', () => {
    const f = filtersFrom('?area=21004&tech=wifi&ongoing=maybe&sort=duration&order=asc&window=7d&extra=1');
    expect(f).toEqual({ window: '7d', area: '21004', tech: 'wifi', ongoing: '', sort: 'duration', order: 'asc' });
    expect(filtersQuery(f)).toBe('?window=7d&area=21004&tech=wifi&sort=duration&order=asc');
    expect(filtersQuery(filtersFrom(''))).toBe('');
  });

  it('asks the API from the window\'s start with no `to`, so ongoing incidents stay ongoing', () => {
    const now = Date.UTC(2026, 11, 1, 12);
    const q = apiQuery(filtersFrom('?window=24h&ongoing=true'), now);
    expect(q).toEqual({ from: '2026-11-30T12:00:00.000Z', area: undefined, tech: undefined, ongoing: 'true', sort: 'start', order: undefined });
  });
});

describe('overview arithmetic', () => {
  it('region uptime is Σ up / Σ (up + down) over the technology rows', () => {
    // fibre 95 h up, 5 h down; wifi 380 h up, 20 h down -> 475 / 500
    expect(regionUptime([group('fibre', 95, 5), group('wifi', 380, 20)])).toBe(475 / 500);
    expect(regionUptime([group('fibre', 0, 0)])).toBeNull();
  });

  it('the worst areas are the lowest uptimes, ties by the longer down time, unknown areas left out', () => {
    const rows = [group('a', 9, 1), group('b', 18, 2), group('c', 1, 0), group('d', 0, 0), group('e', 1, 1), group('f', 3, 1), group('g', 7, 3)];
    // uptimes: a 0.9, b 0.9 (2 h down, before a), c 1, d null, e 0.5, f 0.75, g 0.7
    expect(worstAreas(rows).map((r) => r.key)).toEqual(['e', 'g', 'f', 'b', 'a']);
  });

  it('counts statuses for the region and each technology', () => {
    const c = countStatuses([{ tech: 'fibre', status: 'up' }, { tech: 'fibre', status: 'down' }, { tech: 'wifi', status: 'unknown' }, { tech: 'wifi', status: 'up' }]);
    expect(c).toEqual({
      region: { up: 2, down: 1, unknown: 1, total: 4 },
      fibre: { up: 1, down: 1, unknown: 0, total: 2 },
      wifi: { up: 1, down: 0, unknown: 1, total: 2 },
    });
  });
});
