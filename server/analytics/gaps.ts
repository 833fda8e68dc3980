/**
 * Coverage gaps on H3 cells (DESIGN.md "Gaps"). Definitions:
 *
 * - cells: the H3 cells (resolution 9 by default) whose centre lies in an area (h3 polygonToCells);
 *   a cell whose centre lies in two areas (on a shared border) goes to the smaller area id;
 * - households of a cell: the area's households spread evenly over its cells by cell area
 *   (households × cell m² / Σ cell m² of the area's cells), so the cells of an area sum exactly
 *   to its households;
 * - fibre share of a cell: the fibre coverage of its area (as built, or live when uptimes are
 *   given), applied evenly — the inventory says how many households a node passes, not where;
 * - wifi share of a cell: the part of the cell's hexagon inside the union of the discs of the APs
 *   considered up (all APs by default, or those with `upDevices`);
 * - uncovered households = households × (1 − fibre share) × (1 − wifi share): households spread
 *   evenly, fibre reaching a share of them regardless of place, so the two are independent.
 * Cells are ranked by uncovered households, worst first (ties: by H3 index, for a stable order).
 */
import * as turf from '@turf/turf';
import { cellArea, cellToBoundary, gridDisk, latLngToCell, polygonToCells, getHexagonEdgeLengthAvg, UNITS } from 'h3-js';
import type { Feature, FeatureCollection, Polygon } from 'geojson';
import type { Area } from '../inventory/areas.js';
import type { Device } from '../inventory/device.js';

export interface GapOptions {
  resolution?: number;
  /** fibre coverage share (0..1) per area id; areas absent count as 0 */
  fibreShareByArea: ReadonlyMap<string, number | null>;
  /** APs considered up; all wifi devices when absent */
  upDevices?: ReadonlySet<string>;
  /** keep cells with at least this many uncovered households (default: > 0) */
  minHouseholds?: number;
  limit?: number;
  circleSteps?: number;
}

export interface GapProperties {
  h3: string;
  area: string;
  households: number;
  fibreShare: number;
  wifiShare: number;
  uncoveredHouseholds: number;
}

export function gaps(areas: readonly Area[], devices: readonly Device[], opts: GapOptions): FeatureCollection<Polygon, GapProperties> {
  const res = opts.resolution ?? 9;
  const steps = opts.circleSteps ?? 32;
  const owner = new Map<string, Area>();
  for (const area of [...areas].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    const polys = area.geometry.type === 'Polygon' ? [area.geometry.coordinates] : area.geometry.coordinates;
    for (const p of polys) for (const cell of polygonToCells(p, res, true)) if (!owner.has(cell)) owner.set(cell, area);
  }
  const totalM2 = new Map<string, number>();
  for (const [cell, area] of owner) totalM2.set(area.id, (totalM2.get(area.id) ?? 0) + cellArea(cell, UNITS.m2));

  // which cells each up AP's disc may touch: rings of cells out to the radius plus one
  const aps = devices.filter((d) => d.tech === 'wifi' && (!opts.upDevices || opts.upDevices.has(d.id)));
  const edgeM = getHexagonEdgeLengthAvg(res, UNITS.m);
  const discsByCell = new Map<string, Feature<Polygon>[]>();
  for (const ap of aps) {
    const radius = ap.radiusM ?? 50;
    const d = turf.circle([ap.location.lon, ap.location.lat], radius, { steps, units: 'meters' });
    const k = Math.ceil(radius / (edgeM * 1.5)) + 1;
    for (const cell of gridDisk(latLngToCell(ap.location.lat, ap.location.lon, res), k)) {
      if (!owner.has(cell)) continue;
      const list = discsByCell.get(cell);
      if (list) list.push(d); else discsByCell.set(cell, [d]);
    }
  }

  const features: Feature<Polygon, GapProperties>[] = [];
  for (const [cell, area] of owner) {
    const m2 = cellArea(cell, UNITS.m2);
    const households = (area.households * m2) / totalM2.get(area.id)!;
    const fibreShare = Math.min(1, Math.max(0, opts.fibreShareByArea.get(area.id) ?? 0));
    const ring = cellToBoundary(cell, true);
    const hex: Feature<Polygon> = turf.polygon([ring]);
    let wifiShare = 0;
    const discs = discsByCell.get(cell);
    if (discs && discs.length > 0) {
      const union = discs.length === 1 ? discs[0]! : turf.union(turf.featureCollection(discs));
      const part = union ? turf.intersect(turf.featureCollection([hex, union])) : null;
      wifiShare = part ? Math.min(1, turf.area(part) / turf.area(hex)) : 0;
    }
    const uncovered = households * (1 - fibreShare) * (1 - wifiShare);
    features.push({ type: 'Feature', geometry: hex.geometry, properties: { h3: cell, area: area.id, households, fibreShare, wifiShare, uncoveredHouseholds: uncovered } });
  }
  const min = opts.minHouseholds;
  const kept = features
    .filter((f) => (min === undefined ? f.properties.uncoveredHouseholds > 0 : f.properties.uncoveredHouseholds >= min))
    .sort((a, b) => b.properties.uncoveredHouseholds - a.properties.uncoveredHouseholds || (a.properties.h3 < b.properties.h3 ? -1 : 1));
  return { type: 'FeatureCollection', features: opts.limit === undefined ? kept : kept.slice(0, opts.limit) };
}
