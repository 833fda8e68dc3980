import { describe, expect, it } from 'vitest';
import { parseAreas, type Area } from '../../server/inventory/areas.js';
import type { Device } from '../../core/device.js';
import { whatIf } from '../../server/planning/whatif.js';
import { EARTH_RADIUS_M } from '../../server/analytics/raster-frame.js';

// A 1 km × 1 km square at 50.85° N (Brussels latitude) with 10 000 households (population 21 000),
// spread evenly; a second square next to it (east) with 2 000 households, to show the region.
const LAT0 = 50.85, LON0 = 4.35;
const M_LAT = (EARTH_RADIUS_M * Math.PI) / 180; // 111 195.08 m per degree of latitude
const M_LON = M_LAT * Math.cos((LAT0 * Math.PI) / 180);
const square = (x0: number): number[][] => {
  const dLat = 1000 / M_LAT, dLon = 1000 / M_LON;
  const w = LON0 + x0 * dLon;
  return [[w, LAT0], [w + dLon, LAT0], [w + dLon, LAT0 + dLat], [w, LAT0 + dLat], [w, LAT0]];
};
const parsed = parseAreas({
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', geometry: { type: 'Polygon', coordinates: [square(0)] }, properties: { id: 'A', name: 'A', population: 21000, households: 10000 } },
    { type: 'Feature', geometry: { type: 'Polygon', coordinates: [square(1)] }, properties: { id: 'B', name: 'B', population: 4000, households: 2000 } },
  ],
}, { avgHouseholdSize: 2.1 });
if (!parsed.ok) throw new Error(parsed.errors.join('; '));
const areas: Area[] = parsed.areas;
// the centre of square A, and a point 60 m east of it
const centre = { lat: LAT0 + 500 / M_LAT, lon: LON0 + 500 / M_LON };
const east60 = { lat: centre.lat, lon: centre.lon + 60 / M_LON };
const base = { areas, avgHouseholdSize: 2.1, now: Date.UTC(2026, 5, 1) };
const none: Device[] = [];

describe('what-if of proposed APs and fibre nodes', () => {
  it('one AP (r = 50 m) in the middle of an evenly settled area reaches disc share × households, to 0.5 %', () => {
    // disc = π × 50² = 7 853.98 m²; area ≈ 1 000 000 m² (turf: the square measures within 0.1 % of it)
    // gain = 7 853.98 / 1 000 000 × 10 000 = 78.54 households; population × 21 000 / 10 000 = 164.93
    const r = whatIf({ ...base, devices: none, aps: [{ ...centre, radiusM: 50 }], fibreNodes: [] });
    const a = r.areas.find((s) => s.id === 'A')!;
    const expected = (Math.PI * 2500 / areas[0]!.areaM2) * 10000;
    expect(expected).toBeCloseTo(78.54, 1);
    expect(Math.abs(a.newlyCoveredHouseholds - expected) / expected).toBeLessThan(0.005);
    expect(a.newlyCoveredPopulation).toBeCloseTo(a.newlyCoveredHouseholds * 2.1, 6);
    expect(r.resolution).toBe(11); // an AP disc under 100 m: the finer grid
    // the wifi population figure moves by the same share: 0 → 0.0078540
    expect(a.coverage.wifiPopulation.before).toBe(0);
    expect(Math.abs(a.coverage.wifiPopulation.change! - 0.0078540) / 0.0078540).toBeLessThan(0.005);
    // area B is untouched; the region's gain is A's
    expect(r.areas.find((s) => s.id === 'B')!.changed).toBe(false);
    expect(r.region.newlyCoveredHouseholds).toBeCloseTo(a.newlyCoveredHouseholds, 9);
    expect(r.region.uncoveredHouseholds.before).toBeCloseTo(12000, 6);
    // the DESI public wifi indicator of A: not available before (the inventory has no AP: never 0), 0.7854 % after
    const wifi = a.desi.find((d) => d.code === 'R-wifi-population')!;
    expect(wifi.before).toBeNull();
    expect(wifi.change).toBeNull();
    expect(Math.abs(wifi.after! - 0.7854) / 0.7854).toBeLessThan(0.005);
  });

  it('two overlapping APs count their lens once', () => {
    // centres d = 60 m apart, r = 50 m: lens = 2r² acos(d/2r) − (d/2) √(4r² − d²)
    //   = 5 000 × acos(0.6) − 30 × √(10 000 − 3 600) = 5 000 × 0.927295 − 30 × 80 = 4 636.48 − 2 400 = 2 236.48 m²
    // union = 2 × 7 853.98 − 2 236.48 = 13 471.48 m² → 13 471.48 / 1 000 000 × 10 000 = 134.71 households
    // (counted twice it would be 157.08)
    const r = whatIf({ ...base, devices: none, aps: [{ ...centre, radiusM: 50 }, { ...east60, radiusM: 50 }], fibreNodes: [] });
    const expected = ((2 * Math.PI * 2500 - (5000 * Math.acos(0.6) - 2400)) / areas[0]!.areaM2) * 10000;
    expect(expected).toBeCloseTo(134.71, 1);
    const a = r.areas.find((s) => s.id === 'A')!;
    expect(Math.abs(a.newlyCoveredHouseholds - expected) / expected).toBeLessThan(0.005);
    expect(r.region.proposed.aps).toBe(2);
  });

  it('a fibre node passes at most the households its area has', () => {
    // 15 000 households passed in A (10 000 households): fibre coverage 0 → 1 (capped), all 10 000 newly covered;
    // 4 000 passed in B (2 000 households) likewise caps at 2 000. Region: 12 000 of 12 000.
    const r = whatIf({ ...base, devices: none, aps: [], fibreNodes: [
      { ...centre, householdsPassed: 15000, accessTech: 'ftth' },
      { lat: centre.lat, lon: centre.lon + 1000 / M_LON, householdsPassed: 4000, accessTech: 'ftth' },
    ] });
    const a = r.areas.find((s) => s.id === 'A')!;
    expect(a.coverage.fibre).toEqual({ before: 0, after: 1, change: 1 });
    expect(a.newlyCoveredHouseholds).toBeCloseTo(10000, 6);
    expect(r.region.newlyCoveredHouseholds).toBeCloseTo(12000, 6);
    expect(r.region.uncoveredHouseholds.after).toBeCloseTo(0, 6);
    // FTTP (2b3): not available before (no fibre node has householdsPassed), 100 % after
    const fttp = a.desi.find((d) => d.code === '2b3')!;
    expect(fttp).toMatchObject({ before: null, after: 100, change: null });
  });

  it('a fibre node passing 4 000 of 10 000 households covers 40 % of the uncovered, minus what an AP already reached', () => {
    // existing AP of r = 50 m at A's centre covers 78.54 households (above); uncovered before = 10 000 − 78.54 = 9 921.46
    // fibre reaches 40 % of every cell's households regardless of place: after = 9 921.46 × 0.6, newly = 9 921.46 × 0.4 = 3 968.58
    const ap: Device = { id: 'ap1', tech: 'wifi', site: 's', area: 'A', location: centre, radiusM: 50 };
    const r = whatIf({ ...base, devices: [ap], aps: [], fibreNodes: [{ ...centre, householdsPassed: 4000, accessTech: 'fttb' }] });
    const a = r.areas.find((s) => s.id === 'A')!;
    expect(a.coverage.fibre.after).toBeCloseTo(0.4, 12);
    const uncoveredBefore = 10000 - (Math.PI * 2500 / areas[0]!.areaM2) * 10000;
    expect(Math.abs(a.newlyCoveredHouseholds - 0.4 * uncoveredBefore) / (0.4 * uncoveredBefore)).toBeLessThan(0.0005);
  });

  it('with nothing proposed, nothing changes', () => {
    const r = whatIf({ ...base, devices: none, aps: [], fibreNodes: [] });
    expect(r.region.changed).toBe(false);
    expect(r.region.newlyCoveredHouseholds).toBe(0);
    expect(r.remainingGaps).toEqual([]);
  });
});
