/**
 * The pure helpers of the DESI and gaps views: the periods offered (web/src/desi/periods.ts) and
 * the gaps list's filter and sort (web/src/gaps/gaps-sort.ts), with hand-written expectations.
 */
import { describe, expect, it } from 'vitest';
import { PERIOD_RE, periodGroups, quarterOf } from '../../web/src/desi/periods.js';
import { areasOf, select, toRows } from '../../web/src/gaps/gaps-sort.js';

describe('DESI periods offered', () => {
  it('on 15 Feb 2026: 8 quarters back from 2026-Q1, 3 years, 12 months back from 2026-02, newest first', () => {
    const g = periodGroups(Date.UTC(2026, 1, 15, 12));
    expect(g.map((x) => x.label)).toEqual(['Quarters', 'Years', 'Months']);
    expect(g[0]!.periods).toEqual(['2026-Q1', '2025-Q4', '2025-Q3', '2025-Q2', '2025-Q1', '2024-Q4', '2024-Q3', '2024-Q2']);
    expect(g[1]!.periods).toEqual(['2026', '2025', '2024']);
    expect(g[2]!.periods).toEqual(['2026-02', '2026-01', '2025-12', '2025-11', '2025-10', '2025-09', '2025-08', '2025-07', '2025-06', '2025-05', '2025-04', '2025-03']);
    for (const p of g.flatMap((x) => x.periods)) expect(p).toMatch(PERIOD_RE);
  });

  it('the quarter of a time is UTC: 30 Sep 23:30 UTC is still Q3', () => {
    expect(quarterOf(Date.UTC(2026, 8, 30, 23, 30))).toBe('2026-Q3');
    expect(quarterOf(Date.UTC(2026, 9, 1))).toBe('2026-Q4');
  });

  it('accepts the server\'s forms only', () => {
    expect(['2026', '2026-Q4', '2026-12'].every((p) => PERIOD_RE.test(p))).toBe(true);
    expect(['2026-Q5', '2026-13', '2026-00', '26', '2026-Q1 '].some((p) => PERIOD_RE.test(p))).toBe(false);
  });
});

describe('gaps list rows', () => {
  // the API's order (worst first): ranks 1..4
  const rows = toRows([
    { cell: 'c1', area: 'b', areaName: 'Beta', households: 10, uncoveredHouseholds: 9 },
    { cell: 'c2', area: 'a', areaName: 'Alpha', households: 30, uncoveredHouseholds: 8 },
    { cell: 'c3', area: 'b', areaName: 'Beta', households: 30, uncoveredHouseholds: 5 },
    { cell: 'c4', area: 'a', areaName: 'Alpha', households: 20, uncoveredHouseholds: 5 },
  ]);

  it('ranks in the API\'s order and lists the areas by name', () => {
    expect(rows.map((r) => [r.cell, r.rank])).toEqual([['c1', 1], ['c2', 2], ['c3', 3], ['c4', 4]]);
    expect(areasOf(rows)).toEqual([{ id: 'a', name: 'Alpha' }, { id: 'b', name: 'Beta' }]);
  });

  it('filters by area and sorts; ties keep the rank', () => {
    expect(select(rows, 'b', { key: 'rank', dir: 'asc' }).map((r) => r.cell)).toEqual(['c1', 'c3']);
    // households 30, 30 (ranks 2, 3), 20, 10
    expect(select(rows, '', { key: 'households', dir: 'desc' }).map((r) => r.cell)).toEqual(['c2', 'c3', 'c4', 'c1']);
    // ascending by households: 10, 20, then the two 30s still by rank
    expect(select(rows, '', { key: 'households', dir: 'asc' }).map((r) => r.cell)).toEqual(['c1', 'c4', 'c2', 'c3']);
    expect(select(rows, '', { key: 'areaName', dir: 'asc' }).map((r) => r.cell)).toEqual(['c2', 'c4', 'c1', 'c3']);
    expect(rows.map((r) => r.cell)).toEqual(['c1', 'c2', 'c3', 'c4']);
  });
});
