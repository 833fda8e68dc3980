/**
 * Derives each device's area from its location (point-in-polygon, turf).
 *
 * Border rule: a point on an area's boundary counts as inside it, and areas are tried in
 * ascending `id` order (plain string order), so a device exactly on the border of two areas
 * belongs to the one with the smaller id, and always to exactly one.
 */
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import type { Device } from '../../core/device.js';
import type { DeviceInput } from './devices-schema.js';
import type { Area } from './areas.js';

export interface Located {
  devices: Device[];
  /** ids of devices outside every area (their `area` is ''); the caller logs them */
  outside: string[];
}

/** The id of the area holding [lon, lat], or '' when none does. */
export function areaOf(lon: number, lat: number, areas: readonly Area[]): string {
  for (const a of sortedById(areas)) {
    const [x0, y0, x1, y1] = a.bbox;
    if (lon < x0 || lon > x1 || lat < y0 || lat > y1) continue;
    if (booleanPointInPolygon([lon, lat], a.geometry)) return a.id;
  }
  return '';
}

export function locateDevices(devices: readonly DeviceInput[], areas: readonly Area[]): Located {
  const ordered = sortedById(areas);
  const outside: string[] = [];
  const located = devices.map((d): Device => {
    const area = areaOf(d.location.lon, d.location.lat, ordered);
    if (area === '') outside.push(d.id);
    return { ...d, area };
  });
  return { devices: located, outside };
}

const sortedCache = new WeakMap<readonly Area[], Area[]>();
function sortedById(areas: readonly Area[]): Area[] {
  let s = sortedCache.get(areas);
  if (!s) {
    s = [...areas].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    sortedCache.set(areas, s);
  }
  return s;
}
