/**
 * Reads the optional population grid (config `inventory.populationGrid`): a CSV of cell centres
 * (`lon`, `lat`, and the population column) or a GeoJSON FeatureCollection of cells (Point
 * centres or Polygon squares, with the population property), each cell a square of `cellM`
 * metres (e.g. 1000 for a 1 km census grid). Every bad row or feature is reported with its line or
 * index; nothing is used when there is any.
 */
import { centroid } from '@turf/centroid';
import { CsvError, parse } from 'csv-parse/sync';
import { gridFromCentres, type HouseholdDensity } from './population-grid.js';

export interface PopulationGridOptions {
  cellM: number;
  /** CSV column / GeoJSON property with the population (default `population`) */
  populationField: string;
}

type Cell = { lon: number; lat: number; population: number };
const okLonLat = (lon: number, lat: number): boolean => Number.isFinite(lon) && Number.isFinite(lat) && Math.abs(lon) <= 180 && Math.abs(lat) <= 90;

function fromCsv(text: string, file: string, opts: PopulationGridOptions, errors: string[]): Cell[] {
  let rows: Record<string, string>[];
  try {
    rows = parse(text, { columns: true, skip_empty_lines: true, trim: true, bom: true }) as Record<string, string>[];
  } catch (err) {
    errors.push(`${file}: not a valid CSV: ${err instanceof CsvError ? err.message : (err as Error).message}`);
    return [];
  }
  const cols = rows.length > 0 ? Object.keys(rows[0]!) : [];
  for (const c of ['lon', 'lat', opts.populationField]) if (rows.length > 0 && !cols.includes(c)) errors.push(`${file}: no column "${c}" (columns: ${cols.join(', ')})`);
  if (errors.length > 0) return [];
  const cells: Cell[] = [];
  rows.forEach((r, i) => {
    const lon = Number(r['lon']), lat = Number(r['lat']), population = Number(r[opts.populationField]);
    if (r['lon'] === '' || r['lat'] === '' || !okLonLat(lon, lat)) errors.push(`${file}:${i + 2}: lon, lat: not a longitude/latitude`);
    else if (r[opts.populationField] === '' || !Number.isFinite(population) || population < 0) errors.push(`${file}:${i + 2}: ${opts.populationField}: not a population count`);
    else cells.push({ lon, lat, population });
  });
  return cells;
}

function fromGeoJson(doc: unknown, file: string, opts: PopulationGridOptions, errors: string[]): Cell[] {
  const fc = doc as { type?: unknown; features?: unknown };
  if (fc === null || typeof fc !== 'object' || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) { errors.push(`${file}: not a GeoJSON FeatureCollection`); return []; }
  const cells: Cell[] = [];
  (fc.features as { geometry?: { type?: string }; properties?: Record<string, unknown> | null }[]).forEach((f, i) => {
    const population = f?.properties?.[opts.populationField];
    if (typeof population !== 'number' || !Number.isFinite(population) || population < 0) { errors.push(`${file}: features[${i}].properties.${opts.populationField}: not a population count`); return; }
    const t = f.geometry?.type;
    if (t !== 'Point' && t !== 'Polygon' && t !== 'MultiPolygon') { errors.push(`${file}: features[${i}].geometry: must be a Point (cell centre) or a Polygon (cell)`); return; }
    const [lon, lat] = centroid(f.geometry as Parameters<typeof centroid>[0]).geometry.coordinates as [number, number];
    if (!okLonLat(lon, lat)) { errors.push(`${file}: features[${i}].geometry: not longitude/latitude (reproject the grid to WGS 84)`); return; }
    cells.push({ lon, lat, population });
  });
  return cells;
}

export function parsePopulationGrid(text: string, file: string, opts: PopulationGridOptions): { ok: true; grid: HouseholdDensity; cells: number } | { ok: false; errors: string[] } {
  const errors: string[] = [];
  if (!(opts.cellM > 0)) return { ok: false, errors: [`cellM: must be > 0 (got ${opts.cellM})`] };
  let cells: Cell[];
  if (/\.(geo)?json$/i.test(file)) {
    let doc: unknown;
    try { doc = JSON.parse(text); } catch (err) { return { ok: false, errors: [`${file}: not valid JSON: ${(err as Error).message}`] }; }
    cells = fromGeoJson(doc, file, opts, errors);
  } else {
    cells = fromCsv(text, file, opts, errors);
  }
  if (errors.length === 0 && cells.length === 0) errors.push(`${file}: no cells`);
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, grid: gridFromCentres(cells, opts.cellM, file), cells: cells.length };
}
