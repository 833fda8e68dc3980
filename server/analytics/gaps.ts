/**
 * Coverage gaps on H3 cells (DESIGN.md "Gaps"). Definitions:
 *
 * - cells: the H3 cells (resolution 9 by default) whose centre lies in an area (h3 polygonToCells);
 *   a cell whose centre lies in two areas (on a shared border) goes to the smaller area id;
 * - households of a cell: the area's households spread evenly over its cells by cell area
 *   (households × cell m² / Σ cell m² of the area's cells), so the cells of an area sum exactly
 *   to its households; with a population grid (`density`, population-grid.ts) by the grid's
 *   density at the cell's centre × cell m² instead (still summing to the area's households), and
 *   each cell says which (`householdsSpread`);
 * - fibre share of a cell: the fibre coverage of its area (as built, or live when uptimes are
 *   given), applied evenly — the inventory says how many households a node passes, not where;
 * - wifi share of a cell: the part of the cell's hexagon inside the union of the discs of the APs
 *   considered up (all APs by default, or those with `upDevices`), measured on the raster of
 *   coverage.ts (covered raster cells inside the hexagon / raster cells inside the hexagon; the
 *   hexagons are rasterised once per areas version and resolution, and cached);
 * - uncovered households = households × (1 − fibre share) × (1 − wifi share): households spread
 *   evenly, fibre reaching a share of them regardless of place, so the two are independent.
 * Cells are ranked by uncovered households, worst first (ties: by H3 index, for a stable order).
 */
import { cellArea, cellToBoundary, cellToLatLng, polygonToCells, UNITS } from 'h3-js';
import type { Feature, FeatureCollection, Polygon } from 'geojson';
import type { Area } from '../inventory/areas.js';
import type { Device } from '../../core/device.js';
import { DEFAULT_CELL_M } from './coverage.js';
import { sweepDiscs, type Disc } from './disc-sweep.js';
import { sharedRasterCache } from './raster-cache.js';
import { frameFor } from './raster-frame.js';
import { buildLabelRaster, type LabelRaster } from './raster-labels.js';
import { spreadHouseholds, type HouseholdDensity, type Spread } from '../inventory/population-grid.js';
import type { GapProperties } from './geo-body-schemas.js';

export interface GapOptions {
  resolution?: number;
  /** fibre coverage share (0..1) per area id; areas absent count as 0 */
  fibreShareByArea: ReadonlyMap<string, number | null>;
  /** APs considered up; all wifi devices when absent */
  upDevices?: ReadonlySet<string>;
  /** keep cells with at least this many uncovered households (default: > 0) */
  minHouseholds?: number;
  limit?: number;
  /** no longer used (discs are rasterised exactly); kept for old callers */
  circleSteps?: number;
  /** raster cell side in metres (default 5, as coverage) */
  cellM?: number;
  /** population grid: households spread by it instead of evenly (population-grid.ts) */
  density?: HouseholdDensity | undefined;
}

/** one cell's figures: the schema of the API's body (geo-body-schemas.ts) says what each means */
export type { GapProperties };

/** The H3 cells of the areas at one resolution, with their households and their raster. */
export interface HexLayout {
  cells: string[];
  areaOf: Area[];
  households: number[];
  spread: Spread[];
  rings: number[][][];
  raster: LabelRaster;
}

const densityIds = new WeakMap<HouseholdDensity, number>();
let nextDensityId = 1;
const densityKey = (d: HouseholdDensity | undefined): string => {
  if (!d) return 'even';
  if (!densityIds.has(d)) densityIds.set(d, nextDensityId++);
  return `grid${densityIds.get(d)}`;
};

export function hexLayout(areas: readonly Area[], res: number, cellM: number, density?: HouseholdDensity): HexLayout {
  return sharedRasterCache.get(areas, `hex|${res}|${cellM}|${densityKey(density)}`, () => {
    const owner = new Map<string, Area>();
    for (const area of [...areas].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
      const polys = area.geometry.type === 'Polygon' ? [area.geometry.coordinates] : area.geometry.coordinates;
      for (const p of polys) for (const cell of polygonToCells(p, res, true)) if (!owner.has(cell)) owner.set(cell, area);
    }
    const cells = [...owner.keys()];
    const m2 = cells.map((c) => cellArea(c, UNITS.m2));
    const areaOf = cells.map((c) => owner.get(c)!);
    const rings = cells.map((c) => cellToBoundary(c, true));
    // each area's households over its own cells (evenly by m², or by the grid's density)
    const households = new Array<number>(cells.length).fill(0);
    const spread = new Array<Spread>(cells.length).fill('even');
    const byArea = new Map<Area, number[]>();
    areaOf.forEach((a, i) => { const l = byArea.get(a) ?? []; l.push(i); byArea.set(a, l); });
    for (const [area, idx] of byArea) {
      const parts = idx.map((i) => { const [lat, lon] = cellToLatLng(cells[i]!); return { lon, lat, m2: m2[i]! }; });
      const r = spreadHouseholds(area.households, parts, density);
      idx.forEach((i, k) => { households[i] = r.households[k]!; spread[i] = r.spread; });
    }
    return {
      cells, areaOf, rings, households, spread,
      raster: buildLabelRaster(frameFor(areas, cellM), rings.map((r) => [r])),
    };
  });
}

export function gaps(areas: readonly Area[], devices: readonly Device[], opts: GapOptions): FeatureCollection<Polygon, GapProperties> {
  const layout = hexLayout(areas, opts.resolution ?? 9, opts.cellM ?? DEFAULT_CELL_M, opts.density);
  const discs: Disc[] = devices
    .filter((d) => d.tech === 'wifi' && (!opts.upDevices || opts.upDevices.has(d.id)))
    .map((ap) => ({ lon: ap.location.lon, lat: ap.location.lat, radiusM: ap.radiusM ?? 50, uptime: 1 }));
  const { builtCells } = sweepDiscs(layout.raster, discs);
  const features: Feature<Polygon, GapProperties>[] = layout.cells.map((cell, i) => {
    const area = layout.areaOf[i]!;
    const households = layout.households[i]!;
    const fibreShare = Math.min(1, Math.max(0, opts.fibreShareByArea.get(area.id) ?? 0));
    const inside = layout.raster.cellsPerLabel[i]!;
    const wifiShare = inside > 0 ? Math.min(1, builtCells[i]! / inside) : 0;
    const uncovered = households * (1 - fibreShare) * (1 - wifiShare);
    return { type: 'Feature', geometry: { type: 'Polygon', coordinates: [layout.rings[i]!] }, properties: { h3: cell, area: area.id, households, fibreShare, wifiShare, uncoveredHouseholds: uncovered, householdsSpread: layout.spread[i]! } };
  });
  const min = opts.minHouseholds;
  const kept = features
    .filter((f) => (min === undefined ? f.properties.uncoveredHouseholds > 0 : f.properties.uncoveredHouseholds >= min))
    .sort((a, b) => b.properties.uncoveredHouseholds - a.properties.uncoveredHouseholds || (a.properties.h3 < b.properties.h3 ? -1 : 1));
  return { type: 'FeatureCollection', features: opts.limit === undefined ? kept : kept.slice(0, opts.limit) };
}
