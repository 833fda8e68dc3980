/**
 * Rasters built from an areas list, cached by the list's identity (the inventory's areas array is
 * frozen and replaced on reload), so a new areas version builds new rasters and the old ones go
 * with it (WeakMap: nothing to evict by hand).
 */
import type { Area } from '../inventory/areas.js';
import { frameFor } from './raster-frame.js';
import { buildLabelRaster, type LabelRaster } from './raster-labels.js';

export class RasterCache {
  private readonly byAreas = new WeakMap<readonly Area[], Map<string, unknown>>();

  /** the value for (areas, key), built once */
  get<T>(areas: readonly Area[], key: string, build: () => T): T {
    let m = this.byAreas.get(areas);
    if (!m) { m = new Map(); this.byAreas.set(areas, m); }
    if (!m.has(key)) m.set(key, build());
    return m.get(key) as T;
  }
}

/** used when a caller passes no cache */
export const sharedRasterCache = new RasterCache();

export interface AreaRaster {
  raster: LabelRaster;
  /** the areas in label order (ascending id: the smaller id wins a shared border) */
  areas: Area[];
}

/** Sample lines per row for area rasters: keeps the y error of an area's size at cellM / 8. */
const AREA_SUB_ROWS = 4;

export function areaRaster(areas: readonly Area[], cellM: number, cache: RasterCache = sharedRasterCache): AreaRaster {
  return cache.get(areas, `areas|${cellM}`, () => {
    const sorted = [...areas].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const shapes = sorted.map((a) => (a.geometry.type === 'Polygon' ? a.geometry.coordinates : a.geometry.coordinates.flat()));
    return { raster: buildLabelRaster(frameFor(areas, cellM), shapes, AREA_SUB_ROWS), areas: sorted };
  });
}
