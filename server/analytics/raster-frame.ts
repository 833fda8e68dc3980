/**
 * The local metric frame the coverage rasters live in: an equirectangular projection around the
 * centre of the areas' bounding box, in metres, cut into square cells of `cellM`.
 *
 * The sphere is the one turf.area (v7) uses for `Area.areaM2` (mean radius 6 371 008.8 m, also
 * turf.circle's and about H3's), so raster m² and area_m2 agree. Over a city (±0.1° of latitude) the fixed longitude scale is off by ~0.2 % at the
 * edges; discs correct for it (see `xStretch`), and area polygons share the same distortion as
 * the discs over them, so covered shares are unaffected to first order.
 */
import type { Area } from '../inventory/areas.js';

/** the sphere of turf.area (@turf/helpers earthRadius), the source of `Area.areaM2` */
export const EARTH_RADIUS_M = 6371008.8;
const RAD = Math.PI / 180;

export interface Frame {
  lon0: number;
  lat0: number;
  /** metres per degree of longitude at lat0 */
  mPerDegLon: number;
  /** metres per degree of latitude */
  mPerDegLat: number;
  /** side of a raster cell in metres */
  cellM: number;
}

export function frameFor(areas: readonly Area[], cellM: number): Frame {
  if (!(cellM > 0)) throw new Error(`cellM: must be > 0 (got ${cellM})`);
  let minLon = Infinity, minLat = Infinity, maxLon = -Infinity, maxLat = -Infinity;
  for (const a of areas) {
    minLon = Math.min(minLon, a.bbox[0]); minLat = Math.min(minLat, a.bbox[1]);
    maxLon = Math.max(maxLon, a.bbox[2]); maxLat = Math.max(maxLat, a.bbox[3]);
  }
  const lon0 = areas.length > 0 ? (minLon + maxLon) / 2 : 0;
  const lat0 = areas.length > 0 ? (minLat + maxLat) / 2 : 0;
  return { lon0, lat0, mPerDegLon: EARTH_RADIUS_M * RAD * Math.cos(lat0 * RAD), mPerDegLat: EARTH_RADIUS_M * RAD, cellM };
}

/** x (east) of a longitude, in cell units */
export const cellX = (f: Frame, lon: number): number => ((lon - f.lon0) * f.mPerDegLon) / f.cellM;
/** y (north) of a latitude, in cell units */
export const cellY = (f: Frame, lat: number): number => ((lat - f.lat0) * f.mPerDegLat) / f.cellM;

/**
 * How much wider than true a ground distance east–west looks in the frame at `lat`: the frame
 * uses cos(lat0) everywhere, the ground at lat has cos(lat).
 */
export const xStretch = (f: Frame, lat: number): number => Math.cos(f.lat0 * RAD) / Math.cos(lat * RAD);
