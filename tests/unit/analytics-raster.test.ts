import { describe, expect, it } from 'vitest';
import { cellArea, cellToLatLng, latLngToCell, UNITS } from 'h3-js';
import { parseAreas } from '../../server/inventory/areas.js';
import type { Device } from '../../core/device.js';
import { gaps } from '../../server/analytics/gaps.js';
import { buildLabelRaster, type Rings } from '../../server/analytics/raster-labels.js';
import { sweepDiscs } from '../../server/analytics/disc-sweep.js';
import type { Frame } from '../../server/analytics/raster-frame.js';

// A frame of 1 m cells where one degree is 1000 m both ways: positions in degrees × 1000 = metres.
const frame: Frame = { lon0: 0, lat0: 0, mPerDegLon: 1000, mPerDegLat: 1000, cellM: 1 };
const rect = (x0: number, y0: number, x1: number, y1: number): number[][] => [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]];

describe('label raster', () => {
  it('measures a rectangle exactly in x and to its sample lines in y', () => {
    // 10.3 m × 6 m from x = 0.2 m: x exact (fractional cells), y rows 0..5 sampled at their centres
    const r = buildLabelRaster(frame, [[rect(0.0002, 0, 0.0105, 0.006)]]);
    expect(r.cellsPerLabel[0]).toBeCloseTo(10.3 * 6, 9);
  });

  it('leaves out a hole and counts both parts of a multi-part shape (even-odd over all rings)', () => {
    // outer 20 × 20 with a 4 × 4 hole, plus a separate 5 × 5 part: 400 − 16 + 25 = 409 cells
    const shape: Rings = [rect(0, 0, 0.02, 0.02), rect(0.008, 0.008, 0.012, 0.012).reverse(), rect(0.03, 0, 0.035, 0.005)];
    const r = buildLabelRaster(frame, [shape], 4);
    expect(r.cellsPerLabel[0]).toBeCloseTo(409, 9);
  });

  it('gives an overlap to the smaller label, so the two labels still sum to the union', () => {
    // label 0: x 0..10, label 1: x 6..16 (overlap 6..10), both 5 high: label 0 keeps 50, label 1 gets 30
    const r = buildLabelRaster(frame, [[rect(0, 0, 0.01, 0.005)], [rect(0.006, 0, 0.016, 0.005)]]);
    expect(r.cellsPerLabel[0]).toBeCloseTo(50, 9);
    expect(r.cellsPerLabel[1]).toBeCloseTo(30, 9);
  });
});

describe('disc sweep', () => {
  const square = buildLabelRaster(frame, [[rect(-0.5, -0.5, 0.5, 0.5)]]);

  it('covers exactly π r² for a disc of 7.5 m on 1 m cells, however it sits on the grid', () => {
    for (const [lon, lat] of [[0, 0], [0.00013, -0.00041], [0.1, 0.0002]]) {
      const { builtCells } = sweepDiscs(square, [{ lon: lon!, lat: lat!, radiusM: 7.5, uptime: 1 }]);
      expect(builtCells[0]).toBeCloseTo(Math.PI * 7.5 * 7.5, 6);
    }
  });

  it('counts a disc twice on the same spot once as built, and 1 − 0.5 × 0.5 of it live at uptimes 0.5', () => {
    const d = { lon: 0.01, lat: 0.0002, radiusM: 20, uptime: 0.5 };
    const r = sweepDiscs(square, [d, d], { live: true, touches: true });
    expect(r.builtCells[0]).toBeCloseTo(Math.PI * 400, 6);
    expect(r.liveCells[0]).toBeCloseTo(0.75 * Math.PI * 400, 6);
    expect([...r.touched!]).toEqual([1, 1]);
  });

  it('ignores discs outside the raster and of radius 0', () => {
    const r = sweepDiscs(square, [{ lon: 5, lat: 5, radiusM: 50, uptime: 1 }, { lon: 0, lat: 0, radiusM: 0, uptime: 1 }], { touches: true });
    expect(r.builtCells[0]).toBe(0);
    expect([...r.touched!]).toEqual([0, 0]);
  });
});

describe('gaps on the raster', () => {
  it('gives a hexagon holding a whole disc the wifi share disc / hexagon', () => {
    const parsed = parseAreas({
      type: 'FeatureCollection',
      features: [{ type: 'Feature', properties: { id: 'A', name: 'A', population: 3000, households: 1200 }, geometry: { type: 'Polygon', coordinates: [rect(4.34, 50.8, 4.36, 50.82)] } }],
    }, { avgHouseholdSize: 2.5 });
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    const cell = latLngToCell(50.81, 4.35, 9);
    const [lat, lon] = cellToLatLng(cell);
    // a res-9 hexagon's inner radius is about 150 m: a 100 m disc at its centre lies inside it
    const ap: Device = { id: 'ap', tech: 'wifi', site: 's', area: 'A', location: { lat, lon }, radiusM: 100 };
    const fc = gaps(parsed.areas, [ap], { fibreShareByArea: new Map([['A', 0]]), minHouseholds: 0 });
    const share = fc.features.find((f) => f.properties.h3 === cell)!.properties.wifiShare;
    expect(share / ((Math.PI * 100 * 100) / cellArea(cell, UNITS.m2))).toBeCloseTo(1, 2);
    expect(fc.features.filter((f) => f.properties.wifiShare > 0).map((f) => f.properties.h3)).toEqual([cell]);
  });
});
