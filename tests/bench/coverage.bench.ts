/**
 * coverage() and gaps() on the Brussels demo areas with 10 000 synthetic devices (7 500 wifi APs,
 * the map e2e's generator), against the previous method (turf union/intersect of 32-gon discs,
 * kept below as the reference) on a subset of APs, since the old method takes minutes at full size.
 * Reports: cold (rasters built) and warm (cached) times of the raster method at full size and on
 * the subset, the turf time on the subset, and the largest per-area difference in covered share
 * between the two on the subset (the 32-gon is 0.64 % smaller than the true disc).
 */
import fs from 'node:fs/promises';
import * as turf from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { median, type Benchmark, type BenchContext } from './bench-types.js';
import { parseAreasText, type Area } from '../../server/inventory/areas.js';
import { locateDevices } from '../../server/inventory/locate.js';
import type { Device } from '../../core/device.js';
import { coverage, CoverageCache } from '../../server/analytics/coverage.js';
import { gaps } from '../../server/analytics/gaps.js';
import { syntheticDevices } from '../e2e/map-seed.js';
import { DEMO_AREAS, AVG_HOUSEHOLD_SIZE } from '../e2e/map-harness.js';

const DEVICES = Number(process.env['NETATLAS_BENCH_COVERAGE_DEVICES'] ?? 10_000);
const TURF_APS = Number(process.env['NETATLAS_BENCH_COVERAGE_TURF_APS'] ?? 500);
const RUNS = 5;

/** The previous wifiCoveredM2 (turf 32-gon discs, union then intersect): the reference. */
function turfCoveredM2(area: Area, aps: readonly Device[]): number {
  const areaFeature: Feature<Polygon | MultiPolygon> = { type: 'Feature', properties: {}, geometry: area.geometry };
  const inside = aps
    .map((ap) => turf.circle([ap.location.lon, ap.location.lat], ap.radiusM ?? 50, { steps: 32, units: 'meters' }))
    .filter((d) => turf.intersect(turf.featureCollection([d, areaFeature])) !== null);
  if (inside.length === 0) return 0;
  const union = inside.length === 1 ? inside[0]! : turf.union(turf.featureCollection(inside));
  const part = union ? turf.intersect(turf.featureCollection([union, areaFeature])) : null;
  return part ? turf.area(part) : 0;
}

function timeMs(f: () => void): number {
  const t = performance.now();
  f();
  return performance.now() - t;
}

export async function run(ctx: Pick<BenchContext, 'log'> = { log: () => undefined }): Promise<Record<string, unknown>> {
  const parsed = parseAreasText(await fs.readFile(DEMO_AREAS, 'utf8'), DEMO_AREAS, { avgHouseholdSize: AVG_HOUSEHOLD_SIZE });
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  const areas = parsed.value.areas;
  const devices = locateDevices(syntheticDevices(DEVICES), areas).devices;
  const wifi = devices.filter((d) => d.tech === 'wifi');
  const subset = wifi.filter((_d, i) => i % Math.max(1, Math.floor(wifi.length / TURF_APS)) === 0).slice(0, TURF_APS);
  const uptimeByDevice = new Map(devices.map((d, i) => [d.id, i % 13 === 0 ? null : 0.5 + (i % 7) / 14]));
  const fibreShareByArea = new Map(areas.map((a) => [a.id, 0.25]));

  const cache = new CoverageCache();
  const coldCoverage = timeMs(() => coverage(areas, devices, { uptimeByDevice, cache }));
  const coldGaps = timeMs(() => gaps(areas, devices, { fibreShareByArea, limit: 100 }));
  const warmCoverage: number[] = [], warmGaps: number[] = [], subsetRaster: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    warmCoverage.push(timeMs(() => coverage(areas, devices, { uptimeByDevice, cache })));
    warmGaps.push(timeMs(() => gaps(areas, devices, { fibreShareByArea, limit: 100 })));
    subsetRaster.push(timeMs(() => coverage(areas, subset, { cache })));
  }
  ctx.log(`raster: coverage cold ${coldCoverage.toFixed(0)} ms, warm ${median(warmCoverage).toFixed(1)} ms; gaps cold ${coldGaps.toFixed(0)} ms, warm ${median(warmGaps).toFixed(1)} ms`);

  const raster = coverage(areas, subset, { cache });
  let turfCovered: number[] = [];
  const turfMs = timeMs(() => { turfCovered = areas.map((a) => turfCoveredM2(a, subset)); });
  let maxShareDiff = 0;
  areas.forEach((a, i) => { maxShareDiff = Math.max(maxShareDiff, Math.abs(raster.areas[i]!.wifi.areaAsBuilt! - turfCovered[i]! / a.areaM2)); });
  const rasterTotal = raster.areas.reduce((s, a) => s + a.wifi.coveredAsBuilt_m2, 0);
  const turfTotal = turfCovered.reduce((s, v) => s + v, 0);
  ctx.log(`subset of ${subset.length} APs: turf ${turfMs.toFixed(0)} ms, raster ${median(subsetRaster).toFixed(1)} ms; covered m² raster/turf ${(rasterTotal / turfTotal).toFixed(4)}`);
  return {
    devices: devices.length,
    wifi_aps: wifi.length,
    areas: areas.length,
    coverage_cold_ms: Math.round(coldCoverage),
    coverage_warm_ms_median: Math.round(median(warmCoverage) * 10) / 10,
    gaps_cold_ms: Math.round(coldGaps),
    gaps_warm_ms_median: Math.round(median(warmGaps) * 10) / 10,
    subset_aps: subset.length,
    subset_turf_ms: Math.round(turfMs),
    subset_raster_ms_median: Math.round(median(subsetRaster) * 10) / 10,
    subset_covered_m2_raster_over_turf: Math.round((rasterTotal / turfTotal) * 10_000) / 10_000,
    subset_max_area_share_diff: Math.round(maxShareDiff * 1e6) / 1e6,
  };
}

const bench: Benchmark = {
  name: 'coverage',
  description: `coverage() and gaps() for ${DEVICES} devices on the Brussels areas (raster), vs the previous turf union on ${TURF_APS} APs`,
  run,
};
export default bench;
