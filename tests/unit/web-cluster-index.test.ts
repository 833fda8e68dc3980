/**
 * The map's cluster index (web/src/layers/cluster-index.ts, supercluster with map/reduce): what a
 * cluster sums, when two devices split, and the zoom that reveals one. Pure: no browser.
 *
 * Geometry, by hand. supercluster works in world units (the whole map = 1 wide); with radius 50 px
 * and extent 256 two points cluster at zoom z when their distance is within 50 / (256 × 2^z).
 * a (4.35°E) and b (4.36°E) on one latitude are 0.01 / 360 = 2.78e-5 apart: they cluster while
 * 2^z < 50 / (256 × 2.78e-5) = 7031, so up to zoom 12 (4096), and split at 13 (8192).
 * c (5.35°E) is 0.995° from their cluster's centre (4.355°E), 2.76e-3: it joins while
 * 2^z < 50 / (256 × 2.76e-3) = 70.7, so up to zoom 6 (64), alone from 7 (128).
 */
import { describe, expect, it } from 'vitest';
import { ClusterIndex, type Drawn, type IndexedDevice } from '../../web/src/layers/cluster-index.js';
import type { MapDeviceProps } from '../../web/src/api.js';

const LAT = 50.85;
// every field the map's GeoJSON carries for a device, whichever of them MapDeviceProps names
const BASE = { tech: 'fibre' as const, site: 's', area: 'x', status: 'up' as const, statusReason: null, rtt_ms: null, uptime_24h: null, lastSeen: null };
function dev(id: string, lon: number, p: Partial<MapDeviceProps>): IndexedDevice {
  return { lat: LAT, lon, props: { ...BASE, id, ...p } };
}
const devices = [
  dev('a', 4.35, { status: 'up', householdsPassed: 80 }),
  dev('b', 4.36, { status: 'down', householdsPassed: 120 }),
  dev('c', 5.35, { status: 'unknown', tech: 'wifi' }),
];
const index = new ClusterIndex(devices, { radiusPx: 50, maxZoom: 18 });
const world = (z: number): Drawn[] => index.query(-180, -85, 180, 85, z);
const clusters = (d: Drawn[]) => d.flatMap((x) => (x.kind === 'cluster' ? [x.summary] : []));
const singles = (d: Drawn[]) => d.flatMap((x) => (x.kind === 'device' ? [x.props.id] : [])).sort();

describe('the map\'s cluster index', () => {
  it('sums a cluster\'s statuses and the households behind its down fibre nodes', () => {
    // zoom 3 (≤ 6): one cluster of all three; only b is a down fibre node: 120 households
    expect(clusters(world(3))).toEqual([{ n: 3, up: 1, down: 1, unknown: 1, downHouseholds: 120 }]);
    expect(singles(world(3))).toEqual([]);
  });

  it('draws c alone from zoom 7 and splits a from b at zoom 13, fractional zooms counting as the zoom below', () => {
    expect(clusters(world(7))).toEqual([{ n: 2, up: 1, down: 1, unknown: 0, downHouseholds: 120 }]);
    expect(singles(world(7))).toEqual(['c']);
    expect(clusters(world(12.75))).toHaveLength(1);
    expect(clusters(world(13))).toEqual([]);
    expect(singles(world(13))).toEqual(['a', 'b', 'c']);
  });

  it('gives the zoom that reveals a device and the zoom at which a cluster splits', () => {
    expect(index.revealZoom('a', LAT, 4.35, 10)).toBe(13);
    expect(index.revealZoom('c', LAT, 5.35, 3)).toBe(7);
    // already alone at the current zoom: stay there, fractional part kept
    expect(index.revealZoom('c', LAT, 5.35, 9.5)).toBe(9.5);
    const ab = world(10).find((x) => x.kind === 'cluster');
    expect(ab?.kind === 'cluster' && index.expansionZoom(ab.id)).toBe(13);
  });

  it('keeps a device\'s properties shared, so a status change shows on its single marker before any rebuild', () => {
    devices[2]!.props.status = 'down';
    expect(world(13).find((x) => x.kind === 'device' && x.props.id === 'c')).toMatchObject({ props: { status: 'down' } });
    devices[2]!.props.status = 'unknown';
  });

  it('draws nothing for a box outside the world\'s longitudes', () => {
    expect(index.query(190, 40, 200, 60, 5)).toEqual([]);
  });
});
