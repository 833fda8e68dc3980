/**
 * Coordinate reference systems for imported boundary files: reprojection to WGS 84 with proj4,
 * and a guess of the projection of a file whose coordinates are plainly not longitudes/latitudes,
 * so that the error names the likely `--from-crs` instead of writing areas in the ocean.
 */
import proj4 from 'proj4';

/** The projections regions actually ship their official files in (proj4 strings from EPSG). */
const DEFS: Readonly<Record<string, { name: string; def: string }>> = {
  'EPSG:4326': { name: 'WGS 84 longitude/latitude', def: '+proj=longlat +datum=WGS84 +no_defs' },
  'EPSG:31370': {
    name: 'Belgian Lambert 72',
    def: '+proj=lcc +lat_0=90 +lat_1=51.1666672333333 +lat_2=49.8333339 +lon_0=4.36748666666667 +x_0=150000.013 +y_0=5400088.438 +ellps=intl +towgs84=-106.8686,52.2978,-103.7239,0.3366,-0.457,1.8422,-1.2747 +units=m +no_defs',
  },
  'EPSG:3812': {
    name: 'Belgian Lambert 2008',
    def: '+proj=lcc +lat_0=50.797815 +lon_0=4.35921583333333 +lat_1=49.8333333333333 +lat_2=51.1666666666667 +x_0=649328 +y_0=665262 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs',
  },
  'EPSG:3857': { name: 'Web Mercator', def: '+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +no_defs' },
  'EPSG:3035': { name: 'ETRS89 / LAEA Europe (Eurostat grids)', def: '+proj=laea +lat_0=52 +lon_0=10 +x_0=4321000 +y_0=3210000 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs' },
  'EPSG:25831': { name: 'ETRS89 / UTM zone 31N', def: '+proj=utm +zone=31 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs' },
  'EPSG:32631': { name: 'WGS 84 / UTM zone 31N', def: '+proj=utm +zone=31 +datum=WGS84 +units=m +no_defs' },
};

export const SUPPORTED_CRS = Object.keys(DEFS);

export type Reproject = (xy: readonly number[]) => [number, number];

/** A function from the CRS's x/y to [lon, lat], or an error naming the supported codes. */
export function reprojector(code: string): { ok: true; fn: Reproject } | { ok: false; error: string } {
  const norm = code.trim().toUpperCase();
  const def = DEFS[norm];
  if (!def) return { ok: false, error: `--from-crs ${code}: not supported; use one of ${SUPPORTED_CRS.join(', ')}` };
  if (norm === 'EPSG:4326') return { ok: true, fn: (xy) => [xy[0]!, xy[1]!] };
  const conv = proj4(def.def, DEFS['EPSG:4326']!.def);
  return { ok: true, fn: (xy) => conv.forward([xy[0]!, xy[1]!]) as [number, number] };
}

/**
 * The likely projection of a coordinate that is not a longitude/latitude, from the ranges each
 * projection gives over Europe. A guess: the message says "likely" and lists the alternatives.
 */
export function guessProjection(x: number, y: number): string {
  const inside = (v: number, lo: number, hi: number): boolean => v >= lo && v <= hi;
  // Belgium spans x 20–300 km, y 15–250 km in Lambert 72, x 520–800 km, y 520–760 km in Lambert 2008
  if (inside(x, 0, 320_000) && inside(y, 0, 320_000)) return 'EPSG:31370 (Belgian Lambert 72)';
  if (inside(x, 480_000, 820_000) && inside(y, 480_000, 800_000)) return 'EPSG:3812 (Belgian Lambert 2008)';
  if (inside(x, 2_500_000, 7_500_000) && inside(y, 1_000_000, 5_500_000)) return 'EPSG:3035 (ETRS89 / LAEA Europe)';
  if (inside(x, 160_000, 840_000) && inside(y, 3_000_000, 9_400_000)) return 'a UTM zone, e.g. EPSG:25831 (ETRS89 / UTM 31N), or EPSG:3857 (Web Mercator)';
  if (Math.abs(x) <= 20_037_509 && Math.abs(y) <= 20_048_967) return 'EPSG:3857 (Web Mercator)';
  return 'an unknown projected system';
}

export const isLonLat = (xy: readonly number[]): boolean =>
  xy.length >= 2 && Number.isFinite(xy[0]) && Number.isFinite(xy[1]) && Math.abs(xy[0]!) <= 180 && Math.abs(xy[1]!) <= 90;
