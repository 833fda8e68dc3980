/**
 * `netatlas import areas`: an official boundary file (its own property names, names in two
 * languages, population in a separate statistics table, maybe a national projection) turned into
 * netatlas's areas file (`id`, `name`, `population`, optional `households`, WGS 84).
 *
 * Pure: texts in, a FeatureCollection or every problem out. Each problem names the feature index
 * and the property (or the CSV line), and nothing is produced when there is any, so a half-right
 * file never replaces a good one. The result is checked again with the areas loader (parseAreas)
 * so that what is written is exactly what the service will load.
 */
import { kinks as turfKinks } from '@turf/kinks';
import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import { CsvError, parse } from 'csv-parse/sync';
import { parseAreas } from './areas.js';
import { guessProjection, isLonLat, reprojector, type Reproject } from './crs.js';

/** Where a count (population, households) comes from: a property of each feature, or a CSV table. */
export type CountSource =
  | { property: string }
  | { csv: { text: string; file: string; key: string; column: string } };

export interface AreasImportOptions {
  idProperty: string;
  /** joined with " / " (names in two languages) */
  nameProperties: readonly string[];
  population: CountSource;
  households?: CountSource | undefined;
  /** EPSG code of the coordinates; absent: WGS 84, and projected coordinates are refused */
  fromCrs?: string | undefined;
  /** called every few hundred features (for a progress line) */
  onProgress?: ((done: number, total: number) => void) | undefined;
}

export interface AreaProperties {
  id: string;
  name: string;
  population: number;
  households?: number;
}

export type AreasImportResult =
  | { ok: true; collection: FeatureCollection<Polygon | MultiPolygon, AreaProperties> }
  | { ok: false; errors: string[] };

const PROGRESS_EVERY = 200;
/** 7 decimals of a degree: about 1 cm, more than any official boundary is accurate to */
const round7 = (v: number): number => Math.round(v * 1e7) / 1e7;

type Table = { byKey: Map<string, number>; label: string };

/** Reads one CSV column keyed by another; every bad row is an error with its line. */
function readTable(src: { text: string; file: string; key: string; column: string }, what: string, errors: string[]): Table | undefined {
  let rows: Record<string, string>[];
  try {
    rows = parse(src.text, { columns: true, skip_empty_lines: true, trim: true, bom: true }) as Record<string, string>[];
  } catch (err) {
    errors.push(`${src.file}: not a valid CSV: ${err instanceof CsvError ? err.message : (err as Error).message}`);
    return undefined;
  }
  const header = rows.length > 0 ? Object.keys(rows[0]!) : [];
  let missing = false;
  for (const col of [src.key, src.column]) {
    if (rows.length > 0 && !header.includes(col)) { errors.push(`${src.file}: no column "${col}" (columns: ${header.join(', ')})`); missing = true; }
  }
  if (missing) return undefined;
  const byKey = new Map<string, number>();
  const lineOf = new Map<string, number>();
  rows.forEach((row, i) => {
    const line = i + 2; // the header is line 1
    const key = row[src.key] ?? '';
    const raw = (row[src.column] ?? '').replace(/[\s\u00a0]/g, '');
    if (key === '') { errors.push(`${src.file}:${line}: ${src.key}: empty`); return; }
    if (!/^\d+$/.test(raw)) { errors.push(`${src.file}:${line}: ${src.column}: "${row[src.column] ?? ''}" is not a whole ${what} count`); return; }
    const first = lineOf.get(key);
    if (first !== undefined) { errors.push(`${src.file}:${line}: ${src.key} "${key}" appears twice (first at line ${first})`); return; }
    lineOf.set(key, line);
    byKey.set(key, Number(raw));
  });
  return { byKey, label: `${src.file} (${src.key} → ${src.column})` };
}

/** A count from a property: a non-negative integer, or a string of digits (statistics tables often quote them). */
function propertyCount(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
  if (typeof v === 'string' && /^\d+$/.test(v.trim())) return Number(v.trim());
  return undefined;
}

function ringProblem(ring: Position[]): string | undefined {
  if (ring.length < 4) return `has ${ring.length} positions (a ring needs at least 4)`;
  const a = ring[0]!, b = ring[ring.length - 1]!;
  if (a[0] !== b[0] || a[1] !== b[1]) return 'does not end where it starts';
  if (ring.some((p) => p.length < 2 || !Number.isFinite(p[0]) || !Number.isFinite(p[1]))) return 'has a position that is not two finite numbers';
  return undefined;
}

/** Every ring of a polygon or multipolygon with its path in the geometry, for messages. */
function rings(g: Polygon | MultiPolygon): { path: string; ring: Position[] }[] {
  if (g.type === 'Polygon') return g.coordinates.map((ring, r) => ({ path: `coordinates[${r}]`, ring }));
  return g.coordinates.flatMap((poly, p) => poly.map((ring, r) => ({ path: `coordinates[${p}][${r}]`, ring })));
}

function mapGeometry(g: Polygon | MultiPolygon, f: Reproject): Polygon | MultiPolygon {
  const ring = (r: Position[]): Position[] => r.map((xy) => f(xy).map(round7));
  return g.type === 'Polygon'
    ? { type: 'Polygon', coordinates: g.coordinates.map(ring) }
    : { type: 'MultiPolygon', coordinates: g.coordinates.map((p) => p.map(ring)) };
}

export function importAreas(text: string, file: string, opts: AreasImportOptions): AreasImportResult {
  const errors: string[] = [];
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    return { ok: false, errors: [`${file}: not valid JSON: ${(err as Error).message}`] };
  }
  const fc = doc as { type?: unknown; features?: unknown };
  if (fc === null || typeof fc !== 'object' || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
    return { ok: false, errors: [`${file}: not a GeoJSON FeatureCollection`] };
  }
  let reproject: Reproject | undefined;
  if (opts.fromCrs !== undefined) {
    const r = reprojector(opts.fromCrs);
    if (!r.ok) return { ok: false, errors: [r.error] };
    reproject = r.fn;
  }
  const popTable = 'csv' in opts.population ? readTable(opts.population.csv, 'population', errors) : undefined;
  const hhTable = opts.households && 'csv' in opts.households ? readTable(opts.households.csv, 'households', errors) : undefined;

  const features = fc.features as unknown[];
  const out: Feature<Polygon | MultiPolygon, AreaProperties>[] = [];
  const firstIndex = new Map<string, number>();
  let projectedReported = false;
  const count = (src: CountSource, table: Table | undefined, props: Record<string, unknown>, id: string, at: string, what: string): number | undefined => {
    if ('property' in src) {
      const v = propertyCount(props[src.property]);
      if (v === undefined) errors.push(`${at}.properties.${src.property}: ${props[src.property] === undefined ? 'missing' : `${JSON.stringify(props[src.property])} is not a whole ${what} count`}`);
      return v;
    }
    if (!table || id === '') return undefined; // the table, or the id, was reported already
    const v = table.byKey.get(id);
    if (v === undefined) errors.push(`${at}.properties.${opts.idProperty} "${id}": no ${what} row in ${table.label}`);
    return v;
  };

  features.forEach((raw, i) => {
    if (opts.onProgress && i % PROGRESS_EVERY === 0) opts.onProgress(i, features.length);
    const at = `features[${i}]`;
    const f = raw as { type?: unknown; properties?: unknown; geometry?: { type?: unknown; coordinates?: unknown } | null };
    if (f === null || typeof f !== 'object' || f.type !== 'Feature') { errors.push(`${at}: not a GeoJSON Feature`); return; }
    const props = (f.properties !== null && typeof f.properties === 'object' ? f.properties : {}) as Record<string, unknown>;
    const rawId = props[opts.idProperty];
    const id = typeof rawId === 'number' && Number.isFinite(rawId) ? String(rawId) : typeof rawId === 'string' ? rawId.trim() : '';
    if (id === '') errors.push(`${at}.properties.${opts.idProperty}: ${rawId === undefined ? 'missing' : 'must be a non-empty string or a number'}`);
    else if (firstIndex.has(id)) errors.push(`${at}.properties.${opts.idProperty}: duplicate id "${id}" (first at features[${firstIndex.get(id)}])`);
    else firstIndex.set(id, i);
    const names: string[] = [];
    for (const p of opts.nameProperties) {
      const v = props[p];
      if (typeof v === 'string' && v.trim() !== '') names.push(v.trim());
      else errors.push(`${at}.properties.${p}: ${v === undefined ? 'missing' : 'must be a non-empty string'}`);
    }
    const population = count(opts.population, popTable, props, id, at, 'population');
    const households = opts.households ? count(opts.households, hhTable, props, id, at, 'households') : undefined;

    const g = f.geometry;
    if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon') || !Array.isArray(g.coordinates)) {
      errors.push(`${at}.geometry: must be a Polygon or MultiPolygon (got ${g ? String(g.type) : 'null'})`);
      return;
    }
    const geom = g as Polygon | MultiPolygon;
    let bad = false;
    for (const { path, ring } of rings(geom)) {
      const problem = Array.isArray(ring) ? ringProblem(ring) : 'is not an array of positions';
      if (problem) { errors.push(`${at}.geometry.${path}: invalid ring: ${problem}`); bad = true; }
    }
    if (bad) return;
    const sample = rings(geom)[0]!.ring[0]!;
    if (!reproject && !isLonLat(sample)) {
      // one message for the file: every feature of a projected file would say the same
      if (!projectedReported) errors.push(`${at}.geometry: coordinates [${sample.slice(0, 2).map((v) => Math.round(v)).join(', ')}] are not longitude/latitude; the file is likely in ${guessProjection(sample[0]!, sample[1]!)}: pass --from-crs with its EPSG code`);
      projectedReported = true;
      return;
    }
    const wgs = reproject ? mapGeometry(geom, reproject) : geom;
    for (const { path, ring } of rings(wgs)) {
      const off = ring.find((xy) => !isLonLat(xy));
      if (off) { errors.push(`${at}.geometry.${path}: [${off.join(', ')}] is not a longitude/latitude${reproject ? ` after reprojection from ${opts.fromCrs}` : ''}`); return; }
    }
    const kinks = turfKinks(wgs).features;
    if (kinks.length > 0) {
      const [lon, lat] = kinks[0]!.geometry.coordinates;
      errors.push(`${at}.geometry: invalid ring: it crosses itself at [${round7(lon!)}, ${round7(lat!)}]`);
      return;
    }
    if (id === '' || names.length !== opts.nameProperties.length || population === undefined) return;
    if (opts.households && households === undefined) return;
    out.push({ type: 'Feature', properties: { id, name: names.join(' / '), population, ...(households !== undefined ? { households } : {}) }, geometry: wgs });
  });
  opts.onProgress?.(features.length, features.length);
  if (features.length === 0) errors.push(`${file}: no features`);
  if (errors.length > 0) return { ok: false, errors };

  const collection: FeatureCollection<Polygon | MultiPolygon, AreaProperties> = { type: 'FeatureCollection', features: out };
  // the service's own loader must take it as written (any rule it adds is checked here too)
  const check = parseAreas(collection, { avgHouseholdSize: 2 });
  if (!check.ok) return { ok: false, errors: check.errors };
  return { ok: true, collection };
}
