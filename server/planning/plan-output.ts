/** Siting results as CSV (one row per pick, stable columns) and GeoJSON (one Point per pick). */
import { csvRow } from '../csv.js';
import type { SitingResult } from './siting.js';

export const SITING_CSV_HEADER = ['rank', 'id', 'lat', 'lon', 'area', 'radius_m', 'gain_households', 'cumulative_households', 'cumulative_share'] as const;

export function sitingCsv(r: SitingResult): string {
  const rows = [SITING_CSV_HEADER.join(',')];
  for (const p of r.picks) rows.push(csvRow([p.rank, p.id, p.lat, p.lon, p.area, p.radiusM, round(p.gainHouseholds), round(p.cumulativeHouseholds), p.cumulativeShare === null ? null : round(p.cumulativeShare, 6)]));
  return rows.join('\r\n') + '\r\n';
}

export function sitingGeoJson(r: SitingResult): { type: 'FeatureCollection'; features: unknown[]; properties: Record<string, unknown> } {
  const { picks, ...summary } = r;
  return {
    type: 'FeatureCollection',
    properties: summary,
    features: picks.map((p) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [p.lon, p.lat] }, properties: p })),
  };
}

const round = (x: number, digits = 3): number => Number(x.toFixed(digits));
