/**
 * The population grid spreads each area's households where people live: over gaps' H3 cells and
 * in wifi population coverage, area totals unchanged, every figure saying it used the grid; and
 * without a grid everything stays even, as before.
 */
import { describe, expect, it } from 'vitest';
import { parseAreas, type Area } from '../../server/inventory/areas.js';
import type { Device } from '../../core/device.js';
import { spreadHouseholds } from '../../server/inventory/population-grid.js';
import { parsePopulationGrid } from '../../server/inventory/population-grid-file.js';
import { gaps } from '../../server/analytics/gaps.js';
import { coverage } from '../../server/analytics/coverage.js';

// one area, lon 4.30–4.33 × lat 50.80–50.82 (about 2.1 × 2.2 km), 1 000 households
const parsed = parseAreas({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { id: 'A', name: 'Alpha', population: 2000, households: 1000 }, geometry: { type: 'Polygon', coordinates: [[[4.30, 50.80], [4.33, 50.80], [4.33, 50.82], [4.30, 50.82], [4.30, 50.80]]] } }] }, { avgHouseholdSize: 2 });
if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
const areas: Area[] = parsed.areas;
// a 1 km census grid as a CSV of cell centres: people live in the south-west cell (900) and a
// north-east cell (100); the other two cells of the area are empty
const GRID_CSV = 'lon,lat,population\n4.307,50.805,900\n4.321,50.805,0\n4.307,50.814,0\n4.321,50.814,100\n';
const grid = (() => { const r = parsePopulationGrid(GRID_CSV, 'grid.csv', { cellM: 1000, populationField: 'population' }); if (!r.ok) throw new Error(r.errors.join('\n')); return r.grid; })();
const ap = (id: string, lon: number, lat: number, radiusM: number): Device => ({ id, tech: 'wifi', site: id, area: 'A', location: { lon, lat }, radiusM });

describe('spreadHouseholds', () => {
  it('spreads by density × surface with a grid, by surface without one, and sums to the households', () => {
    const parts = [{ lon: 4.307, lat: 50.805, m2: 100 }, { lon: 4.321, lat: 50.814, m2: 300 }, { lon: 4.321, lat: 50.805, m2: 100 }];
    // grid: densities 900/1e6 and 100/1e6 per m²: weights 900e-6×100 = 0.09, 100e-6×300 = 0.03, 0
    // -> 1000 × 0.09/0.12 = 750, 1000 × 0.03/0.12 = 250, 0
    const g = spreadHouseholds(1000, parts, grid);
    expect(g.spread).toBe('grid');
    g.households.forEach((h, i) => expect(h).toBeCloseTo([750, 250, 0][i]!, 9));
    // even: 1000 × 100/500 = 200, 1000 × 300/500 = 600, 200
    expect(spreadHouseholds(1000, parts)).toEqual({ households: [200, 600, 200], spread: 'even' });
    // a grid with nobody in these parts falls back to even, and says so
    expect(spreadHouseholds(1000, [{ lon: 0, lat: 0, m2: 1 }], grid)).toEqual({ households: [1000], spread: 'even' });
  });

  it('reports a bad grid row with its line', () => {
    const r = parsePopulationGrid('lon,lat,population\n4.3,50.8,12\n4.3,95,3\n4.31,50.8,-1\n', 'g.csv', { cellM: 1000, populationField: 'population' });
    expect(r).toEqual({ ok: false, errors: ['g.csv:3: lon, lat: not a longitude/latitude', 'g.csv:4: population: not a population count'] });
  });
});

describe('gaps with a population grid', () => {
  it('puts the households of H3 cells where the grid has people, keeping the area total', () => {
    const even = gaps(areas, [], { fibreShareByArea: new Map(), minHouseholds: 0 });
    const byGrid = gaps(areas, [], { fibreShareByArea: new Map(), minHouseholds: 0, density: grid });
    const sum = (fc: typeof even): number => fc.features.reduce((s, f) => s + f.properties.households, 0);
    expect(sum(even)).toBeCloseTo(1000, 6);
    expect(sum(byGrid)).toBeCloseTo(1000, 6);
    expect(even.features.every((f) => f.properties.householdsSpread === 'even')).toBe(true);
    expect(byGrid.features.every((f) => f.properties.householdsSpread === 'grid')).toBe(true);
    // households per m² of a cell in the 900 cell are 9 × those of a cell in the 100 cell (900/100)
    const perM2 = (lon: number, lat: number): number => {
      const f = byGrid.features.find((x) => { const c = x.geometry.coordinates[0]!; const cx = c.reduce((s, p) => s + p[0]!, 0) / c.length, cy = c.reduce((s, p) => s + p[1]!, 0) / c.length; return Math.abs(cx - lon) < 0.002 && Math.abs(cy - lat) < 0.0015; })!;
      return f.properties.households;
    };
    const sw = perM2(4.307, 50.805), ne = perM2(4.321, 50.814);
    expect(sw / ne).toBeGreaterThan(8.5); // 9 up to the two cells' slightly different m²
    expect(sw / ne).toBeLessThan(9.5);
    // the worst cells are in the 900 cell: that is where the uncovered households are (cells of
    // one square differ only by their m², well under 1 %)
    const worst = byGrid.features[0]!.properties.uncoveredHouseholds;
    expect(worst).toBeGreaterThan(sw * 0.99);
    expect(worst).toBeLessThan(sw * 1.01);
  });
});

describe('wifi population coverage with a population grid', () => {
  it('counts an AP over the populated cell as covering its people, and says it used the grid', () => {
    // a 1 000 m disc on the 900 cell's centre: every H3 cell whose centre is in that 1 km square
    // lies within 707 m (half diagonal) + about 200 m (cell radius) < 1 000 m of it: fully covered.
    // The 100 cell's centre is 1.4 km east, 1 km north: partly covered. So ≥ 90 % of households.
    const c = coverage(areas, [ap('ap-sw', 4.307, 50.805, 1000)], { density: grid });
    const a = c.areas[0]!.wifi;
    expect(a.populationSpread).toBe('grid');
    expect(a.populationAsBuilt!).toBeGreaterThanOrEqual(0.9 - 1e-9);
    // evenly spread it would be the area share: π × 1000² ≈ 3.14 km² of ≈ 4.6 km², capped by the area
    const even = coverage(areas, [ap('ap-sw', 4.307, 50.805, 1000)]).areas[0]!.wifi;
    expect(even.populationSpread).toBe('even');
    expect(even.populationAsBuilt).toBe(even.areaAsBuilt);
    expect(even.populationAsBuilt!).toBeLessThan(0.75);
    expect(c.region.wifi.populationSpread).toBe('grid');
  });

  it('counts an AP where nobody lives as covering no one, where even spreading would say otherwise', () => {
    // south-east empty cell centre (4.321, 50.805): a 100 m disc there is > 500 m from both populated cells' squares
    const c = coverage(areas, [ap('ap-se', 4.321, 50.805, 100)], { density: grid }).areas[0]!.wifi;
    expect(c.populationAsBuilt).toBe(0);
    expect(c.householdsCoveredAsBuilt).toBe(0);
    const even = coverage(areas, [ap('ap-se', 4.321, 50.805, 100)]).areas[0]!.wifi;
    expect(even.populationAsBuilt!).toBeGreaterThan(0);
  });
});

describe('the population grid from the config (inventory.populationGrid)', () => {
  it('is loaded with the inventory and used by coverage; a bad grid stops the load with its line', async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const { loadInventory } = await import('../../server/inventory/loader.js');
    const dir = mkdtempSync(path.join(tmpdir(), 'netatlas-grid-'));
    try {
      const good = path.join(dir, 'grid.csv');
      // everybody of the demo region in one 1 km cell around the Grand-Place
      writeFileSync(good, 'lon,lat,population\n4.3525,50.8467,1000\n');
      const files = { devicesPath: 'regions/brussels/devices.yaml', areasPath: 'regions/brussels/areas.geojson', avgHouseholdSize: 2.1 };
      const r = await loadInventory({ ...files, populationGrid: { file: good, cellM: 1000, populationField: 'population' } });
      if (!r.ok) throw new Error(r.errors.join('\n'));
      expect(r.inventory.density?.source).toBe(good);
      const cov = coverage(r.inventory.areas, r.inventory.all(), { density: r.inventory.density });
      // the grid cell lies in Bruxelles (21004): that area is placed by the grid, the others even
      expect(cov.areas.find((a) => a.id === '21004')!.wifi.populationSpread).toBe('grid');
      expect(cov.areas.find((a) => a.id === '21001')!.wifi.populationSpread).toBe('even');
      const bad = path.join(dir, 'bad.csv');
      writeFileSync(bad, 'lon,lat,people\n4.35,50.84,10\n');
      const b = await loadInventory({ ...files, populationGrid: { file: bad, cellM: 1000, populationField: 'population' } });
      expect(b).toEqual({ ok: false, errors: [`${bad}: no column "population" (columns: lon, lat, people)`] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
