import { describe, expect, it } from 'vitest';
import { parseAreas } from '../../server/inventory/areas.js';
import { areaOf, locateDevices } from '../../server/inventory/locate.js';
import type { DeviceInput } from '../../server/inventory/devices-schema.js';

// Two unit squares side by side sharing the edge lon = 1; B has a hole around (1.5, 0.5).
const square = (x0: number, x1: number) => [[[x0, 0], [x1, 0], [x1, 1], [x0, 1], [x0, 0]]];
const doc = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', properties: { id: 'B', name: 'East', population: 2100 }, geometry: { type: 'Polygon', coordinates: [square(1, 2)[0], [[1.4, 0.4], [1.4, 0.6], [1.6, 0.6], [1.6, 0.4], [1.4, 0.4]]] } },
    { type: 'Feature', properties: { id: 'A', name: 'West', population: 1000, households: 600 }, geometry: { type: 'MultiPolygon', coordinates: [square(0, 1)] } },
  ],
};
const parsed = parseAreas(doc, { avgHouseholdSize: 2.1 });
if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
const areas = parsed.areas;
const ap = (id: string, lon: number, lat: number): DeviceInput => ({ id, tech: 'wifi', site: 's', location: { lat, lon }, radiusM: 50 });

describe('areas and point-in-polygon', () => {
  it('estimates missing households as population / average household size and says so', () => {
    // B: 2100 / 2.1 = 1000 households, estimated; A: 600 given
    expect(areas.map((a) => [a.id, a.households, a.householdsEstimated])).toEqual([['B', 1000, true], ['A', 600, false]]);
    expect(parsed.ok && parsed.householdsEstimated).toBe(true);
  });

  it('puts a device inside a polygon in that area, and one in a hole in none', () => {
    expect(areaOf(0.5, 0.5, areas)).toBe('A');
    expect(areaOf(1.2, 0.5, areas)).toBe('B');
    expect(areaOf(1.5, 0.5, areas)).toBe('');
  });

  it('gives a device exactly on the shared border to the area with the smaller id', () => {
    // (1, 0.5) lies on both squares' boundary; 'A' < 'B'
    expect(areaOf(1, 0.5, areas)).toBe('A');
    const { devices, outside } = locateDevices([ap('border', 1, 0.5), ap('far', 5, 5), ap('east', 1.9, 0.9)], areas);
    expect(devices.map((d) => d.area)).toEqual(['A', '', 'B']);
    expect(outside).toEqual(['far']);
  });

  it('names the path of a bad feature and of a duplicate area id', () => {
    const bad = structuredClone(doc) as { features: { properties: Record<string, unknown>; geometry: Record<string, unknown> }[] };
    bad.features[1]!.properties['id'] = 'B';
    bad.features[0]!.geometry['type'] = 'LineString';
    const r = parseAreas(bad, { avgHouseholdSize: 2.1 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatch(/^features\[0\]\.geometry(\.type)?: /);
    const dup = structuredClone(doc) as typeof bad;
    dup.features[1]!.properties['id'] = 'B';
    expect(parseAreas(dup, { avgHouseholdSize: 2.1 })).toEqual({ ok: false, errors: ['features[1].properties.id: duplicate id "B" (first at features[0])'] });
  });
});
