/**
 * Siting: of the candidate sites, the N whose AP discs reach the most uncovered households.
 *
 * Demand: the gap cells of the chosen areas (gaps.ts, the /api/gaps computation) at a fine H3
 * resolution (12 by default, about 300 m² a cell), each weighing its uncovered households
 * (households × (1 − fibre share) × (1 − wifi share of the existing APs)). A candidate covers a
 * cell when the cell's centre lies within its radius. Then greedy maximum coverage with lazy
 * evaluation (greedy.ts), each pick with its marginal gain.
 */
import { cellToLatLng } from 'h3-js';
import type { Area } from '../inventory/areas.js';
import type { Device } from '../../core/device.js';
import { areaOf } from '../inventory/locate.js';
import { coverage } from '../analytics/coverage.js';
import { gaps } from '../analytics/gaps.js';
import { EARTH_RADIUS_M } from '../analytics/raster-frame.js';
import type { HouseholdDensity } from '../inventory/population-grid.js';
import { greedyMaxCoverage } from './greedy.js';
import type { z } from 'zod';
import type { SITING_PICK, SITING_RESULT } from './plan-body-schemas.js';

export interface Candidate { id: string; lat: number; lon: number }

export interface SitingInput {
  /** the areas to site in (their households are the demand) */
  areas: readonly Area[];
  /** every area, to say which one a pick stands in */
  allAreas: readonly Area[];
  devices: readonly Device[];
  candidates: readonly Candidate[];
  count: number;
  radiusM: number;
  resolution?: number | undefined;
  /** fibre share per area id; default: coverage as built of `areas` (pass the whole areas' shares when `areas` are clipped) */
  fibreShareByArea?: ReadonlyMap<string, number | null> | undefined;
  /** the inventory's population grid, when one is configured: households spread by it, as /api/gaps */
  density?: HouseholdDensity | undefined;
  /** progress: what is being done, and picks so far */
  onProgress?: ((text: string) => void) | undefined;
}

/** a pick and the whole result: their shapes are the zod schemas of the siting answer's body */
export type SitingPick = z.infer<typeof SITING_PICK>;
export type SitingResult = z.infer<typeof SITING_RESULT>;

const RAD = Math.PI / 180;

/** For each candidate, the demand points (metric x, y) within radiusM: a bucket grid of side radiusM. */
export function coverSets(points: readonly { x: number; y: number }[], sites: readonly { x: number; y: number }[], radiusM: number): Int32Array[] {
  const key = (cx: number, cy: number): string => `${cx},${cy}`;
  const buckets = new Map<string, number[]>();
  points.forEach((p, j) => {
    const k = key(Math.floor(p.x / radiusM), Math.floor(p.y / radiusM));
    const b = buckets.get(k);
    if (b) b.push(j); else buckets.set(k, [j]);
  });
  const r2 = radiusM * radiusM;
  return sites.map((s) => {
    const cx = Math.floor(s.x / radiusM), cy = Math.floor(s.y / radiusM);
    const out: number[] = [];
    for (let dx = -1; dx <= 1; dx++) for (let dy = -1; dy <= 1; dy++) {
      for (const j of buckets.get(key(cx + dx, cy + dy)) ?? []) {
        const p = points[j]!;
        if ((p.x - s.x) ** 2 + (p.y - s.y) ** 2 <= r2) out.push(j);
      }
    }
    return Int32Array.from(out);
  });
}

export function site(input: SitingInput): SitingResult {
  const started = performance.now();
  const resolution = input.resolution ?? 12;
  const say = input.onProgress ?? ((): void => undefined);
  say(`uncovered households of ${input.areas.map((a) => a.id).join(', ')} at H3 resolution ${resolution}`);
  // fibre shares exactly as /api/gaps takes them (coverage as built); APs do not enter them
  const fibreShareByArea = input.fibreShareByArea ?? new Map(coverage(input.areas, input.devices.filter((d) => d.tech === 'fibre')).areas.map((a) => [a.id, a.fibre.asBuilt]));
  const cells = gaps(input.areas, input.devices, { resolution, fibreShareByArea, density: input.density }).features;
  const lat0 = input.areas.reduce((s, a) => s + (a.bbox[1] + a.bbox[3]) / 2, 0) / Math.max(1, input.areas.length);
  const mLat = EARTH_RADIUS_M * RAD, mLon = mLat * Math.cos(lat0 * RAD);
  const xy = (lat: number, lon: number): { x: number; y: number } => ({ x: lon * mLon, y: lat * mLat });
  const points = cells.map((c) => { const [lat, lon] = cellToLatLng(c.properties.h3); return xy(lat, lon); });
  const weights = Float64Array.from(cells, (c) => c.properties.uncoveredHouseholds);
  say(`${cells.length} cells with uncovered households; discs of ${input.candidates.length} candidates`);
  const covers = coverSets(points, input.candidates.map((c) => xy(c.lat, c.lon)), input.radiusM);
  const uncovered = weights.reduce((s, w) => s + w, 0);
  const g = greedyMaxCoverage(weights, covers, input.count, (k, p) => say(`picked ${k}/${input.count}: +${p.gain.toFixed(1)} households`));
  const picks = g.picks.map((p, i): SitingPick => {
    const c = input.candidates[p.candidate]!;
    return {
      rank: i + 1, id: c.id, lat: c.lat, lon: c.lon, area: areaOf(c.lon, c.lat, input.allAreas), radiusM: input.radiusM,
      gainHouseholds: p.gain, cumulativeHouseholds: p.cumulative, cumulativeShare: uncovered > 0 ? p.cumulative / uncovered : null,
    };
  });
  const reached = picks.length > 0 ? picks[picks.length - 1]!.cumulativeHouseholds : 0;
  return {
    areas: input.areas.map((a) => a.id), resolution, candidates: input.candidates.length, count: input.count, radiusM: input.radiusM,
    households: input.areas.reduce((s, a) => s + a.households, 0), uncoveredHouseholdsBefore: uncovered, uncoveredHouseholdsAfter: uncovered - reached,
    picks, evaluations: g.evaluations, elapsed_ms: performance.now() - started,
  };
}
