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
 * The index is built from the page's device table (web/src/layers/device-table.ts), tested here too.
 */
import { describe, expect, it } from 'vitest';
import { ClusterIndex, type Drawn } from '../../web/src/layers/cluster-index.js';
import { DeviceTable } from '../../web/src/layers/device-table.js';

const LAT = 50.85;
// a: up fibre node (80 households), b: down fibre node (120), c: unknown AP; the server's
// dictionaries in an order other than the page's words, so the codes are read through them
const table = new DeviceTable({
  count: 3, statuses: ['unknown', 'up', 'down'], techs: ['wifi', 'fibre'],
  id: ['a', 'b', 'c'], lon: [4.35, 4.36, 5.35], lat: [LAT, LAT, LAT], tech: [1, 1, 0],
  householdsPassed: [80, 120, null], radiusM: [null, null, 50], status: [1, 2, 0],
});
const index = new ClusterIndex(table, { radiusPx: 50, maxZoom: 18 });
const world = (z: number): Drawn[] => index.query(-180, -85, 180, 85, z);
const clusters = (d: Drawn[]) => d.flatMap((x) => (x.kind === 'cluster' ? [x.summary] : []));
const singles = (d: Drawn[]) => d.flatMap((x) => (x.kind === 'device' ? [table.ids[x.i]] : [])).sort();

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
    expect(index.revealZoom(0, LAT, 4.35, 10)).toBe(13);
    expect(index.revealZoom(2, LAT, 5.35, 3)).toBe(7);
    // already alone at the current zoom: stay there, fractional part kept
    expect(index.revealZoom(2, LAT, 5.35, 9.5)).toBe(9.5);
    const ab = world(10).find((x) => x.kind === 'cluster');
    expect(ab?.kind === 'cluster' && index.expansionZoom(ab.id)).toBe(13);
  });

  it('sums the statuses the table holds when it is built: a change is counted by the next index', () => {
    const t = new DeviceTable({ count: 2, statuses: ['up', 'down', 'unknown'], techs: ['fibre', 'wifi'], id: ['a', 'b'], lon: [4.35, 4.36], lat: [LAT, LAT], tech: [0, 0], householdsPassed: [80, 120], radiusM: [null, null], status: [0, 0] });
    expect(t.setStatus(0, 'down')).toBe(true);
    expect(t.setStatus(0, 'down')).toBe(false);
    // a is down now: 80 households behind the one down fibre node
    expect(new ClusterIndex(t, { radiusPx: 50, maxZoom: 18 }).query(-180, -85, 180, 85, 3)).toMatchObject([{ kind: 'cluster', summary: { n: 2, up: 1, down: 1, unknown: 0, downHouseholds: 80 } }]);
  });

  it('draws nothing for a box outside the world\'s longitudes', () => {
    expect(index.query(190, 40, 200, 60, 5)).toEqual([]);
  });
});

describe('the map\'s device table', () => {
  const body = { count: 2, statuses: ['up' as const, 'down' as const, 'unknown' as const], techs: ['fibre' as const, 'wifi' as const], id: ['f', 'w'], lon: [4.3, 4.4], lat: [50.8, 50.9], tech: [0, 1], householdsPassed: [10, null], radiusM: [null, 60], status: [0, 2] };

  it('reads each device\'s words through the body\'s dictionaries and finds a device by id', () => {
    const t = new DeviceTable(body);
    expect([t.status(0), t.tech(0), t.status(1), t.tech(1)]).toEqual(['up', 'fibre', 'unknown', 'wifi']);
    expect([t.indexOf('w'), t.indexOf('nope')]).toEqual([1, undefined]);
    expect(t.counts()).toEqual({ total: 2, up: 1, down: 0, unknown: 1 });
    t.setStatus(1, 'down');
    expect(t.counts()).toEqual({ total: 2, up: 1, down: 1, unknown: 0 });
  });

  it('hands its columns over as typed arrays (NaN where the body has null) that make the same table', () => {
    const t = new DeviceTable(body);
    const { columns, buffers } = t.transferable();
    expect(buffers).toHaveLength(6);
    expect(Array.from(columns.householdsPassed)).toEqual([10, NaN]);
    const copy = new DeviceTable(columns);
    // f passes 10 households, w none (0); w has a 60 m radius, f none
    expect([copy.households(0), copy.households(1), copy.radius(0), copy.radius(1)]).toEqual([10, 0, undefined, 60]);
    expect([copy.status(1), copy.tech(1), copy.lat[1]]).toEqual(['unknown', 'wifi', 50.9]);
  });

  it('refuses a body whose columns are not all count long, naming the column', () => {
    expect(() => new DeviceTable({ ...body, lat: [50.8] })).toThrow('map device columns: lat has 1 values for 2 devices');
  });
});
