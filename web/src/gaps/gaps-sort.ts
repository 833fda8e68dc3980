/** The gaps list's rows: one per H3 cell of GET /api/gaps, filtered by area and sorted. */
import type { GapProps } from '../api.js';

export interface GapRow {
  /** H3 index */
  cell: string;
  /** 1 = the worst cell of the region (the API's order) */
  rank: number;
  area: string;
  areaName: string;
  households: number;
  uncovered: number;
}

export type SortKey = 'rank' | 'areaName' | 'households' | 'uncovered';
export interface Sort { key: SortKey; dir: 'asc' | 'desc' }

/** the fields of a cell of GET /api/gaps the list shows */
export type GapListed = Pick<GapProps, 'cell' | 'area' | 'areaName' | 'households' | 'uncoveredHouseholds'>;

/** rows in the API's order (worst first), ranked from 1 */
export function toRows(props: readonly GapListed[]): GapRow[] {
  return props.map((p, i) => ({ cell: p.cell, rank: i + 1, area: p.area, areaName: p.areaName, households: p.households, uncovered: p.uncoveredHouseholds }));
}

/** the rows of one area ('' = every area), sorted; ties keep the region's rank, so the order is stable */
export function select(rows: readonly GapRow[], area: string, sort: Sort): GapRow[] {
  const kept = area ? rows.filter((r) => r.area === area) : [...rows];
  const sign = sort.dir === 'asc' ? 1 : -1;
  const cmp = (a: GapRow, b: GapRow): number => {
    const x = a[sort.key];
    const y = b[sort.key];
    const c = typeof x === 'string' && typeof y === 'string' ? x.localeCompare(y) : (x as number) - (y as number);
    return sign * c || a.rank - b.rank;
  };
  return kept.sort(cmp);
}

/** the areas present among the rows, by name, for the filter */
export function areasOf(rows: readonly GapRow[]): { id: string; name: string }[] {
  const byId = new Map<string, string>();
  for (const r of rows) if (!byId.has(r.area)) byId.set(r.area, r.areaName);
  return [...byId].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name));
}
