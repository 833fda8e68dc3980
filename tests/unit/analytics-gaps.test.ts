import { describe, expect, it } from 'vitest';
import { cellToLatLng, latLngToCell } from 'h3-js';
import { parseAreas } from '../../server/inventory/areas.js';
import type { Device } from '../../core/device.js';
import { gaps } from '../../server/analytics/gaps.js';

// A 0.02° × 0.02° square at 50.8° N (≈ 1.4 km × 2.2 km, about 30 resolution-9 cells) with 1200 households.
const parsed = parseAreas({
  type: 'FeatureCollection',
  features: [{ type: 'Feature', properties: { id: 'A', name: 'A', population: 3000, households: 1200 }, geometry: { type: 'Polygon', coordinates: [[[4.34, 50.8], [4.36, 50.8], [4.36, 50.82], [4.34, 50.82], [4.34, 50.8]]] } }],
}, { avgHouseholdSize: 2.5 });
if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
const centreCell = latLngToCell(50.81, 4.35, 9);
const [clat, clon] = cellToLatLng(centreCell);
// a 400 m disc at a cell's centre covers that whole cell (a res-9 cell reaches ≈ 0.2 km from its centre)
const ap: Device = { id: 'ap-1', tech: 'wifi', site: 's', area: 'A', location: { lat: clat, lon: clon }, radiusM: 400 };

describe('gaps', () => {
  const all = gaps(parsed.areas, [ap], { fibreShareByArea: new Map([['A', 0.25]]), minHouseholds: 0 });
  const byCell = new Map(all.features.map((f) => [f.properties.h3, f.properties]));

  it('spreads the area households over its cells so that they sum to the area households', () => {
    const sum = all.features.reduce((s, f) => s + f.properties.households, 0);
    expect(all.features.length).toBeGreaterThan(20);
    expect(sum).toBeCloseTo(1200, 9);
  });

  it('leaves no uncovered households in a cell under a wifi disc', () => {
    expect(byCell.get(centreCell)).toMatchObject({ wifiShare: 1, uncoveredHouseholds: 0 });
  });

  it('counts a cell far from any AP as households × (1 − fibre share), worst first', () => {
    const far = all.features[0]!.properties;
    expect(far.wifiShare).toBe(0);
    // 0.25 fibre share applied evenly: uncovered = households × 0.75
    expect(far.uncoveredHouseholds).toBeCloseTo(far.households * 0.75, 12);
    const values = all.features.map((f) => f.properties.uncoveredHouseholds);
    expect(values).toEqual([...values].sort((a, b) => b - a));
  });

  it('drops cells below minHouseholds and honours the limit', () => {
    const top = gaps(parsed.areas, [ap], { fibreShareByArea: new Map([['A', 0.25]]), limit: 3 });
    expect(top.features.map((f) => f.properties.h3)).toEqual(all.features.slice(0, 3).map((f) => f.properties.h3));
    expect(gaps(parsed.areas, [ap], { fibreShareByArea: new Map([['A', 0.25]]), minHouseholds: 1e6 }).features).toEqual([]);
    // with the AP down its cell is a gap again
    const down = gaps(parsed.areas, [ap], { fibreShareByArea: new Map([['A', 0.25]]), upDevices: new Set() });
    expect(down.features.find((f) => f.properties.h3 === centreCell)?.properties.wifiShare).toBe(0);
  });
});
