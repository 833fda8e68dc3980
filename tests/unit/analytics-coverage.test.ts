import { describe, expect, it } from 'vitest';
import { parseAreas } from '../../server/inventory/areas.js';
import type { Device } from '../../core/device.js';
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
// Discs are measured on a raster with each disc's exact area per row, so a disc is a true circle:
// π r² (the former turf 32-gon was 16 r² sin(2π/32), 0.64 % less; these expectations moved to π r²
// with the same 2-digit tolerance).
const circle = (r: number) => Math.PI * r * r;

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
    // A: the whole centre disc + half the border disc = 1.5 × circle(100)
    const expectedA = 1.5 * circle(100);
    expect(a!.wifi.coveredAsBuilt_m2 / expectedA).toBeCloseTo(1, 2);
    expect(a!.wifi.areaAsBuilt! / (expectedA / areaM2)).toBeCloseTo(1, 2);
    // B: half the border disc
    expect(b!.wifi.coveredAsBuilt_m2 / (0.5 * circle(100))).toBeCloseTo(1, 2);
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
    const total = 2 * circle(100);
    expect(report.region.wifi.coveredAsBuilt_m2 / total).toBeCloseTo(1, 2);
    expect(report.region.wifi.areaAsBuilt).toBeCloseTo(report.region.wifi.coveredAsBuilt_m2 / (A!.areaM2 + B!.areaM2 + parsed.areas[2]!.areaM2), 12);
  });

  it('gives the same answer from the cache', () => {
    const cache = new CoverageCache();
    const first = coverage(parsed.areas, devices, { cache });
    const second = coverage(parsed.areas, devices, { cache });
    expect(second).toEqual(first);
  });
});

// One metre of longitude or latitude at the equator on turf's sphere (radius 6 371 008.8 m):
// 6 371 008.8 × π / 180 = 111 195.08 m per degree.
const M_PER_DEG = (6371008.8 * Math.PI) / 180;

describe('coverage of discs measured on the raster', () => {
  const at = (id: string, lon: number, lat: number, radiusM: number): Device => ({ id, tech: 'wifi', site: 's', area: 'A', location: { lat, lon }, radiusM });

  it('measures a single disc inside an area within 0.5 % of π r²', () => {
    for (const r of [40, 50, 75, 100]) {
      const rep = coverage(parsed.areas, [at('one', 0.0043, 0.0051, r)]);
      expect(Math.abs(rep.areas[0]!.wifi.coveredAsBuilt_m2 / (Math.PI * r * r) - 1)).toBeLessThan(0.005);
      expect(rep.areas[1]!.wifi.coveredAsBuilt_m2).toBe(0);
    }
  });

  it('counts two overlapping discs as their union: 2 π r² minus the lens', () => {
    // r = 100 m, centres d = 100 m apart (east–west). Lens = 2 r² acos(d / 2r) − (d / 2) √(4 r² − d²)
    //   = 2 × 10 000 × acos(0.5) − 50 × √30 000 = 20 943.95 − 8 660.25 = 12 283.70 m²
    // union = 2 × π × 10 000 − 12 283.70 = 62 831.85 − 12 283.70 = 50 548.15 m²
    const lens = 2 * 100 * 100 * Math.acos(0.5) - 50 * Math.sqrt(30_000);
    expect(lens).toBeCloseTo(12_283.70, 1);
    const rep = coverage(parsed.areas, [at('w', 0.004, 0.005, 100), at('e', 0.004 + 100 / M_PER_DEG, 0.005, 100)]);
    expect(Math.abs(rep.areas[0]!.wifi.coveredAsBuilt_m2 / 50_548.15 - 1)).toBeLessThan(0.005);
    expect(rep.areas[0]!.wifi.aps).toBe(2);
  });

  it('gives the expected covered area live when two overlapping discs are each up half the time', () => {
    // Each point of a disc alone is covered with probability 0.5, a point of the lens with
    // 1 − (1 − 0.5)(1 − 0.5) = 0.75. Each disc alone = π r² − lens = 31 415.93 − 12 283.70 = 19 132.23 m².
    // expected = 2 × 19 132.23 × 0.5 + 12 283.70 × 0.75 = 19 132.23 + 9 212.78 = 28 345.01 m²
    // (the former "as built × uptime" gave 0.5 × 50 548.15 = 25 274.08 m²: too low where discs overlap)
    const uptimeByDevice = new Map([['w', 0.5], ['e', 0.5]]);
    const rep = coverage(parsed.areas, [at('w', 0.004, 0.005, 100), at('e', 0.004 + 100 / M_PER_DEG, 0.005, 100)], { uptimeByDevice });
    const a = rep.areas[0]!;
    expect(Math.abs((a.wifi.areaLive! * a.area_m2) / 28_345.01 - 1)).toBeLessThan(0.005);
    expect(Math.abs((a.wifi.areaAsBuilt! * a.area_m2) / 50_548.15 - 1)).toBeLessThan(0.005);
  });

  it('leaves out the hole of an area and counts every part of a MultiPolygon', () => {
    // H: part 1 = a 0.01° square at lon 0.1 with a 0.002° square hole in its middle,
    //    part 2 = a separate 0.01° square at lon 0.12.
    // hole side = 0.002 × 111 195.08 = 222.39 m, hole = 49 457.3 m² (cos of 0.005° latitude ≈ 1)
    // AP 1 at the hole's centre, r = 200 m (the hole's corners are 157 m away: the hole lies inside
    // the disc): covered = π × 200² − 49 457.3 = 125 663.7 − 49 457.3 = 76 206.4 m²
    // AP 2 in part 2, r = 100 m: 31 415.9 m². Total 107 622.3 m².
    const sqRing = (x0: number, y0: number, s: number) => [[x0, y0], [x0 + s, y0], [x0 + s, y0 + s], [x0, y0 + s], [x0, y0]];
    const holed = parseAreas({ type: 'FeatureCollection', features: [{
      type: 'Feature', properties: { id: 'H', name: 'holed', population: 1000, households: 500 },
      geometry: { type: 'MultiPolygon', coordinates: [[sqRing(0.1, 0, 0.01), sqRing(0.104, 0.004, 0.002).reverse()], [sqRing(0.12, 0, 0.01)]] },
    }] }, { avgHouseholdSize: 2 });
    if (!holed.ok) throw new Error(holed.errors.join('\n'));
    const hole = (0.002 * M_PER_DEG) ** 2;
    expect(hole).toBeCloseTo(49_457.3, 0);
    const rep = coverage(holed.areas, [at('in-hole', 0.105, 0.005, 200), at('part-2', 0.125, 0.005, 100)]);
    const h = rep.areas[0]!;
    expect(Math.abs(h.wifi.coveredAsBuilt_m2 / 107_622.3 - 1)).toBeLessThan(0.005);
    expect(h.wifi.aps).toBe(2);
    // the share is of the area without its hole: 2 × (0.01 × 111 195.08)² − hole
    expect(h.area_m2 / (2 * (0.01 * M_PER_DEG) ** 2 - hole)).toBeCloseTo(1, 3);
  });
});
