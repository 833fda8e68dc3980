import { describe, expect, it } from 'vitest';
import * as turf from '@turf/turf';
import { parseAreas } from '../../server/inventory/areas.js';
import type { Device } from '../../server/inventory/device.js';
import { coverage, CoverageCache } from '../../server/analytics/coverage.js';

// Two 0.01° squares on the equator sharing the meridian lon = 0.01 (each ≈ 1.11 km × 1.11 km).
const sq = (x0: number) => ({ type: 'Polygon', coordinates: [[[x0, 0], [x0 + 0.01, 0], [x0 + 0.01, 0.01], [x0, 0.01], [x0, 0]]] });
const parsed = parseAreas({
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', properties: { id: 'A', name: 'A', population: 2000, households: 1000 }, geometry: sq(0) },
    { type: 'Feature', properties: { id: 'B', name: 'B', population: 420 }, geometry: sq(0.01) }, // 420 / 2.1 = 200 households
    { type: 'Feature', properties: { id: 'C', name: 'no devices', population: 0, households: 0 }, geometry: sq(0.03) },
  ],
}, { avgHouseholdSize: 2.1 });
if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
const [A, B] = parsed.areas;
const areaM2 = A!.areaM2;

const fibre = (id: string, area: string, householdsPassed: number): Device => ({ id, tech: 'fibre', site: 's', area, location: { lat: 0.005, lon: 0.005 }, householdsPassed, accessTech: 'ftth' });
const ap = (id: string, lon: number, radiusM: number, area: string): Device => ({ id, tech: 'wifi', site: 's', area, location: { lat: 0.005, lon }, radiusM });
// a 32-step turf circle is a regular 32-gon: area = 32/2 × r² × sin(2π/32) = 16 r² × 0.195090
const polygon32 = (r: number) => 16 * r * r * Math.sin((2 * Math.PI) / 32);

describe('coverage', () => {
  const devices = [
    fibre('f1', 'A', 300), fibre('f2', 'A', 100), fibre('f3', 'B', 250),
    ap('ap-centre', 0.005, 100, 'A'),
    ap('ap-border', 0.01, 100, 'A'), // exactly on the A|B border: half its disc in each
  ];
  const uptime = new Map<string, number | null>([['f1', 0.9], ['f2', null], ['f3', 1], ['ap-centre', 0.5], ['ap-border', 1]]);
  const report = coverage(parsed.areas, devices, { uptimeByDevice: uptime, cache: new CoverageCache() });
  const [a, b, c] = report.areas;

  it('computes fibre coverage as built and live, with the completeness of live', () => {
    // A: (300 + 100) / 1000 = 0.4; live: 300 × 0.9 / 1000 = 0.27 (f2 unknown); completeness 300 / 400
    expect(a!.fibre).toEqual({ nodes: 2, householdsPassed: 400, asBuilt: 0.4, live: 0.27, liveCompleteness: 0.75, capped: false });
    // B: 250 passed > 200 estimated households -> capped at 1
    expect(b!.fibre).toMatchObject({ asBuilt: 1, live: 1, capped: true });
    expect(b!.householdsEstimated).toBe(true);
  });

  it('counts the union of wifi discs inside each area, an AP on the border for both halves', () => {
    // A: the whole centre disc + half the border disc = 1.5 × polygon32(100)
    const expectedA = 1.5 * polygon32(100);
    expect(a!.wifi.coveredAsBuilt_m2 / expectedA).toBeCloseTo(1, 2);
    expect(a!.wifi.areaAsBuilt! / (expectedA / areaM2)).toBeCloseTo(1, 2);
    // B: half the border disc
    expect(b!.wifi.coveredAsBuilt_m2 / (0.5 * polygon32(100))).toBeCloseTo(1, 2);
    expect(a!.wifi.aps).toBe(2);
    expect(b!.wifi.aps).toBe(1);
  });

  it('weights live wifi coverage by uptime and turns it into population coverage', () => {
    // A: discs inside A: centre 1 part (uptime 0.5), border 0.5 part (uptime 1)
    // live factor = (1 × 0.5 + 0.5 × 1) / 1.5 = 2/3
    expect(a!.wifi.areaLive! / a!.wifi.areaAsBuilt!).toBeCloseTo(2 / 3, 10);
    // population: households spread evenly -> area share × 1000 households
    expect(a!.wifi.householdsCoveredAsBuilt).toBeCloseTo(a!.wifi.areaAsBuilt! * 1000, 9);
  });

  it('reports an area without devices as 0 coverage of 0 nodes, and null where there are no households', () => {
    expect(c!.fibre).toEqual({ nodes: 0, householdsPassed: 0, asBuilt: null, live: null, liveCompleteness: null, capped: false });
    expect(c!.wifi).toMatchObject({ aps: 0, coveredAsBuilt_m2: 0, areaAsBuilt: 0, populationAsBuilt: null });
  });

  it('sums the region from its areas, capping each area before the sum', () => {
    // households 1000 + 200 + 0 = 1200; fibre as built = (0.4 × 1000 + 1 × 200) / 1200 = 0.5
    expect(report.region.households).toBe(1200);
    expect(report.region.fibre.asBuilt).toBeCloseTo(0.5, 12);
    // live = (0.27 × 1000 + 1 × 200) / 1200 = 470 / 1200
    expect(report.region.fibre.live).toBeCloseTo(470 / 1200, 12);
    expect(report.region.wifi.aps).toBe(2);
    const total = 2 * polygon32(100);
    expect(report.region.wifi.coveredAsBuilt_m2 / total).toBeCloseTo(1, 2);
    expect(report.region.wifi.areaAsBuilt).toBeCloseTo(report.region.wifi.coveredAsBuilt_m2 / (A!.areaM2 + B!.areaM2 + parsed.areas[2]!.areaM2), 12);
  });

  it('gives the same answer from the cache', () => {
    const cache = new CoverageCache();
    const first = coverage(parsed.areas, devices, { cache });
    const second = coverage(parsed.areas, devices, { cache });
    expect(second).toEqual(first);
    expect(turf.area(turf.circle([0, 0], 100, { steps: 32, units: 'meters' })) / polygon32(100)).toBeCloseTo(1, 2);
  });
});
