/**
 * Wifi population coverage with a population grid: the households of each H3 cell (resolution 9,
 * about 0.1 km²; spread over the area by the grid, gaps.ts hexLayout) × the covered share of that
 * cell (measured on the raster, as coverage and gaps do), summed per area. Without a grid
 * coverage.ts keeps its exact "area share × households" (households even over the area).
 * A cell belongs to the area holding its centre, so a cell astride a border lends its few
 * households to one side: exact area totals, placement to about 300 m.
 */
import type { Area } from '../inventory/areas.js';
import type { Device } from '../../core/device.js';
import { sweepDiscs, type Disc } from './disc-sweep.js';
import { hexLayout } from './gaps.js';
import type { HouseholdDensity, Spread } from '../inventory/population-grid.js';

export interface WifiHouseholds {
  /** households covered as built / live (uptime-weighted), per area */
  built: Map<Area, number>;
  live: Map<Area, number>;
  spread: Map<Area, Spread>;
}

export function wifiHouseholdsByGrid(areas: readonly Area[], aps: readonly Device[], uptime: (id: string) => number, density: HouseholdDensity, cellM: number, resolution = 9): WifiHouseholds {
  const layout = hexLayout(areas, resolution, cellM, density);
  const discs: Disc[] = aps.map((ap) => ({ lon: ap.location.lon, lat: ap.location.lat, radiusM: ap.radiusM ?? 50, uptime: uptime(ap.id) }));
  const swept = sweepDiscs(layout.raster, discs, { live: true });
  const out: WifiHouseholds = { built: new Map(), live: new Map(), spread: new Map() };
  for (const a of areas) { out.built.set(a, 0); out.live.set(a, 0); out.spread.set(a, 'even'); }
  layout.cells.forEach((_c, i) => {
    const area = layout.areaOf[i]!;
    const inside = layout.raster.cellsPerLabel[i]!;
    const hh = layout.households[i]!;
    if (inside > 0) {
      out.built.set(area, out.built.get(area)! + hh * Math.min(1, swept.builtCells[i]! / inside));
      out.live.set(area, out.live.get(area)! + hh * Math.min(1, swept.liveCells[i]! / inside));
    }
    if (layout.spread[i] === 'grid') out.spread.set(area, 'grid');
  });
  return out;
}
