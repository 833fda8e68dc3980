/**
 * Households where people live: an optional population grid (e.g. a 1 km census grid) spreads each
 * area's households over places in proportion to the grid's population density, instead of evenly
 * over the area. Area totals never change (the inventory's households stay the truth); only where
 * in the area they are does. Pure: the grid is an input (a HouseholdDensity), read from a file by
 * server/inventory/population-grid-file.ts.
 *
 * Used by gaps (households per H3 cell), wifi population coverage (coverage.ts) and the planner:
 * anything that needs "how many households are here" calls spreadHouseholds with its own parts.
 * Every figure computed with a grid says `spread: 'grid'`; without one (or where the grid has
 * nobody in an area) it is `'even'`, as before.
 */

export interface HouseholdDensity {
  /** where the grid came from (file name), for the figures that used it */
  readonly source: string;
  /** population per m² at a point; undefined outside the grid (counts as nobody) */
  densityAt(lon: number, lat: number): number | undefined;
}

/** A piece of an area: its centre and its surface. */
export interface AreaPart {
  lon: number;
  lat: number;
  m2: number;
}

export type Spread = 'grid' | 'even';

/**
 * The households of an area over its parts, summing to `households`: by density × surface with a
 * grid, by surface alone without one, or when the grid puts nobody in any part.
 */
export function spreadHouseholds(households: number, parts: readonly AreaPart[], density?: HouseholdDensity): { households: number[]; spread: Spread } {
  const even = (): { households: number[]; spread: Spread } => {
    const total = parts.reduce((s, p) => s + p.m2, 0);
    return { households: parts.map((p) => (total > 0 ? (households * p.m2) / total : 0)), spread: 'even' };
  };
  if (!density) return even();
  const w = parts.map((p) => Math.max(0, density.densityAt(p.lon, p.lat) ?? 0) * p.m2);
  const sum = w.reduce((s, v) => s + v, 0);
  if (!(sum > 0)) return even();
  return { households: w.map((v) => (households * v) / sum), spread: 'grid' };
}

const M_PER_DEG_LAT = 111_320;

/**
 * A regular grid given by its cell centres (lon, lat) and the population of each square cell of
 * `cellM` metres. Lookup: the cell whose square (in a local metric frame at the grid's mean
 * latitude) holds the point; O(1) through a hash of rounded metric coordinates.
 */
export function gridFromCentres(cells: readonly { lon: number; lat: number; population: number }[], cellM: number, source: string): HouseholdDensity {
  const lat0 = cells.length > 0 ? cells.reduce((s, c) => s + c.lat, 0) / cells.length : 0;
  const mPerDegLon = M_PER_DEG_LAT * Math.cos((lat0 * Math.PI) / 180);
  const xy = (lon: number, lat: number): [number, number] => [lon * mPerDegLon, lat * M_PER_DEG_LAT];
  const key = (ix: number, iy: number): string => `${ix},${iy}`;
  const buckets = new Map<string, { x: number; y: number; density: number }[]>();
  for (const c of cells) {
    const [x, y] = xy(c.lon, c.lat);
    const k = key(Math.floor(x / cellM), Math.floor(y / cellM));
    const list = buckets.get(k) ?? [];
    list.push({ x, y, density: c.population / (cellM * cellM) });
    buckets.set(k, list);
  }
  const half = cellM / 2;
  return {
    source,
    densityAt(lon, lat) {
      const [x, y] = xy(lon, lat);
      const ix = Math.floor(x / cellM), iy = Math.floor(y / cellM);
      // a centre within half a cell lies in this bucket or a neighbour
      for (let dx = -1; dx <= 1; dx++) {
        for (let dy = -1; dy <= 1; dy++) {
          for (const c of buckets.get(key(ix + dx, iy + dy)) ?? []) {
            if (Math.abs(c.x - x) <= half && Math.abs(c.y - y) <= half) return c.density;
          }
        }
      }
      return undefined;
    },
  };
}
