/**
 * Candidate sites for siting: a CSV (header with `lat` and `lon`, optional `id`), a GeoJSON
 * FeatureCollection of Points (id from `properties.id`, else the feature id, else its index), or a
 * square grid over an area or a bounding box. Every problem names the line or feature; at most
 * MAX_CANDIDATES sites.
 */
import { parse } from 'csv-parse/sync';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import type { Area } from '../inventory/areas.js';
import { EARTH_RADIUS_M } from '../analytics/raster-frame.js';
import type { Candidate } from './siting.js';

export const MAX_CANDIDATES = 100_000;

export type CandidatesResult = { ok: true; candidates: Candidate[] } | { ok: false; error: string };

const validLatLon = (lat: number, lon: number): boolean => Number.isFinite(lat) && Number.isFinite(lon) && lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180;

export function parseCandidatesCsv(text: string): CandidatesResult {
  let rows: Record<string, string>[];
  try {
    rows = parse(text, { columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()), skip_empty_lines: true, trim: true, bom: true }) as Record<string, string>[];
  } catch (err) {
    return { ok: false, error: `not valid CSV: ${(err as Error).message}` };
  }
  if (rows.length > MAX_CANDIDATES) return { ok: false, error: `${rows.length} sites; at most ${MAX_CANDIDATES}` };
  const out: Candidate[] = [];
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const lat = Number(r['lat'] ?? r['latitude']), lon = Number(r['lon'] ?? r['lng'] ?? r['longitude']);
    // line numbers as an editor shows them: the header is line 1
    if (!validLatLon(lat, lon) || (r['lat'] ?? r['latitude'] ?? '') === '' || (r['lon'] ?? r['lng'] ?? r['longitude'] ?? '') === '') return { ok: false, error: `line ${i + 2}: lat and lon must be numbers (degrees, WGS 84); the header needs lat and lon columns` };
    out.push({ id: r['id'] || `site-${i + 1}`, lat, lon });
  }
  if (out.length === 0) return { ok: false, error: 'no sites' };
  return { ok: true, candidates: out };
}

export function parseCandidatesGeoJson(raw: unknown): CandidatesResult {
  const fc = raw as { type?: unknown; features?: unknown };
  if (!fc || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) return { ok: false, error: 'expected a GeoJSON FeatureCollection of Points' };
  if (fc.features.length > MAX_CANDIDATES) return { ok: false, error: `${fc.features.length} sites; at most ${MAX_CANDIDATES}` };
  const out: Candidate[] = [];
  for (let i = 0; i < fc.features.length; i++) {
    const f = fc.features[i] as { id?: unknown; geometry?: { type?: unknown; coordinates?: unknown }; properties?: Record<string, unknown> | null } | null;
    const c = f?.geometry?.type === 'Point' && Array.isArray(f.geometry.coordinates) ? (f.geometry.coordinates as unknown[]) : null;
    if (!c || typeof c[0] !== 'number' || typeof c[1] !== 'number' || !validLatLon(c[1], c[0])) return { ok: false, error: `features[${i}]: expected a Point with [lon, lat] in degrees` };
    const id = f?.properties?.['id'] ?? f?.id;
    out.push({ id: typeof id === 'string' || typeof id === 'number' ? String(id) : `site-${i + 1}`, lat: c[1], lon: c[0] });
  }
  if (out.length === 0) return { ok: false, error: 'no sites' };
  return { ok: true, candidates: out };
}

/** A file's text: GeoJSON when it starts with `{`, else CSV. */
export function parseCandidatesText(text: string): CandidatesResult {
  const t = text.replace(/^\uFEFF/, '').trimStart();
  if (!t.startsWith('{')) return parseCandidatesCsv(t);
  try {
    return parseCandidatesGeoJson(JSON.parse(t));
  } catch (err) {
    return { ok: false, error: `not valid JSON: ${(err as Error).message}` };
  }
}

/** Grid points every spacingM over [minLon, minLat, maxLon, maxLat], kept when inside `within` (if given). */
export function gridCandidates(bbox: readonly [number, number, number, number], spacingM: number, within?: Area): CandidatesResult {
  const [x0, y0, x1, y1] = bbox;
  const mLat = (EARTH_RADIUS_M * Math.PI) / 180;
  const mLon = mLat * Math.cos((((y0 + y1) / 2) * Math.PI) / 180);
  const nx = Math.floor(((x1 - x0) * mLon) / spacingM) + 1, ny = Math.floor(((y1 - y0) * mLat) / spacingM) + 1;
  if (nx * ny > MAX_CANDIDATES * 4) return { ok: false, error: `a ${spacingM} m grid over this area has ${nx * ny} points; use a larger spacing` };
  const out: Candidate[] = [];
  for (let i = 0; i < ny; i++) for (let k = 0; k < nx; k++) {
    const lat = y0 + ((i + 0.5) * spacingM) / mLat, lon = x0 + ((k + 0.5) * spacingM) / mLon;
    if (lat > y1 || lon > x1) continue;
    if (within && !booleanPointInPolygon([lon, lat], within.geometry)) continue;
    out.push({ id: `grid-${i}-${k}`, lat, lon });
  }
  if (out.length > MAX_CANDIDATES) return { ok: false, error: `a ${spacingM} m grid here has ${out.length} sites; at most ${MAX_CANDIDATES}: use a larger spacing` };
  if (out.length === 0) return { ok: false, error: 'the grid has no point inside the area; use a smaller spacing' };
  return { ok: true, candidates: out };
}
