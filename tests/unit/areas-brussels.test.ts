import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { area as turfArea } from '@turf/area';
import { bbox as turfBbox } from '@turf/bbox';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import { featureCollection } from '@turf/helpers';
import { intersect } from '@turf/intersect';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { parseAreas } from '../../server/inventory/areas.js';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../regions/brussels');
const raw: unknown = JSON.parse(readFileSync(path.join(dir, 'areas.geojson'), 'utf8'));
const facts = readFileSync(path.join(dir, 'brussels-municipalities.csv'), 'utf8')
  .trim().split('\n').slice(1).map((line) => {
    const [nis, , , population, area, lat, lon] = line.split(',');
    return { nis: nis!, population: Number(population), areaKm2: Number(area), lat: Number(lat), lon: Number(lon) };
  });
const features = (raw as { features: Feature<Polygon | MultiPolygon>[] }).features;

describe('the committed Brussels demo areas', () => {
  it('pass the areas schema and hold the 19 municipalities by NIS code', () => {
    const parsed = parseAreas(raw, { avgHouseholdSize: 2.1 });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.areas.map((a) => a.id).sort()).toEqual(facts.map((f) => f.nis).sort());
    expect(parsed.areas).toHaveLength(19);
  });

  it('contain each municipality reference point in its own polygon', () => {
    for (const f of facts) {
      const feature = features.find((x) => x.properties?.['id'] === f.nis)!;
      expect(booleanPointInPolygon([f.lon, f.lat], feature), f.nis).toBe(true);
    }
  });

  it('are each within 10 % of the official municipal area', () => {
    for (const f of facts) {
      const feature = features.find((x) => x.properties?.['id'] === f.nis)!;
      const km2 = turfArea(feature) / 1e6;
      expect(Math.abs(km2 / f.areaKm2 - 1), `${f.nis}: ${km2.toFixed(2)} km² vs ${f.areaKm2}`).toBeLessThan(0.1);
    }
  });

  it('do not overlap one another beyond 100 m²', () => {
    for (let i = 0; i < features.length; i++) {
      for (let j = i + 1; j < features.length; j++) {
        const a = features[i]!; const b = features[j]!;
        const [ax0, ay0, ax1, ay1] = turfBbox(a);
        const [bx0, by0, bx1, by1] = turfBbox(b);
        if (ax1 < bx0 || bx1 < ax0 || ay1 < by0 || by1 < ay0) continue;
        const overlap = intersect(featureCollection([a, b]));
        const m2 = overlap ? turfArea(overlap) : 0;
        expect(m2, `${String(a.properties?.['id'])} x ${String(b.properties?.['id'])}`).toBeLessThan(100);
      }
    }
  });

  it('carry the official populations, which sum to 1 218 255, and say they are approximate', () => {
    const total = features.reduce((s, f) => s + Number(f.properties?.['population']), 0);
    expect(total).toBe(1_218_255);
    for (const f of features) {
      expect(f.properties?.['approximate']).toBe(true);
      const fact = facts.find((x) => x.nis === f.properties?.['id'])!;
      expect(f.properties?.['population']).toBe(fact.population);
      expect(f.properties?.['area_km2_official']).toBe(fact.areaKm2);
    }
  });
});
