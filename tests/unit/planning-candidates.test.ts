import { describe, expect, it } from 'vitest';
import { gridCandidates, parseCandidatesText } from '../../server/planning/candidates.js';

describe('candidate sites for siting', () => {
  it('reads a CSV with lat, lon and optional id columns, in any order and case', () => {
    const r = parseCandidatesText('LON,Lat,id\n4.35,50.85,lamp-1\n4.36,50.86,\n');
    expect(r).toEqual({ ok: true, candidates: [{ id: 'lamp-1', lat: 50.85, lon: 4.35 }, { id: 'site-2', lat: 50.86, lon: 4.36 }] });
  });

  it('names the CSV line that is wrong (the header is line 1)', () => {
    const r = parseCandidatesText('id,lat,lon\na,50.85,4.35\nb,north,4.35\n');
    expect(r).toEqual({ ok: false, error: expect.stringMatching(/^line 3: lat and lon must be numbers/) });
    expect(parseCandidatesText('id,lat,lon\na,95,4.35\n')).toMatchObject({ ok: false, error: expect.stringMatching(/^line 2:/) });
  });

  it('reads a GeoJSON FeatureCollection of Points and names a bad feature', () => {
    const fc = { type: 'FeatureCollection', features: [
      { type: 'Feature', id: 7, properties: {}, geometry: { type: 'Point', coordinates: [4.35, 50.85] } },
      { type: 'Feature', properties: { id: 'school' }, geometry: { type: 'Point', coordinates: [4.36, 50.86] } },
    ] };
    expect(parseCandidatesText(JSON.stringify(fc))).toEqual({ ok: true, candidates: [{ id: '7', lat: 50.85, lon: 4.35 }, { id: 'school', lat: 50.86, lon: 4.36 }] });
    const bad = { type: 'FeatureCollection', features: [fc.features[0], { type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: [] } }] };
    expect(parseCandidatesText(JSON.stringify(bad))).toEqual({ ok: false, error: 'features[1]: expected a Point with [lon, lat] in degrees' });
  });

  it('lays a grid every spacingM over a box', () => {
    // 0.01° of latitude = 1 111.95 m → floor(1 111.95 / 500) + 1 = 3 rows; 0.01° of longitude at 50.855° N
    // = 702.0 m → floor(702.0 / 500) + 1 = 2 columns; points at (i + 0.5) × 500 m: rows at 250, 750 m
    // (1 250 m > 1 111.95 m falls outside), columns at 250 m (750 m > 702 m falls outside) → 2 points
    const r = gridCandidates([4.35, 50.85, 4.36, 50.86], 500);
    expect(r.ok && r.candidates.length).toBe(2);
  });
});
