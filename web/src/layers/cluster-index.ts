/**
 * The devices' clusters for every zoom, from supercluster (a k-d tree per zoom, built once for
 * all the points; tens of milliseconds for 10 000 and well under a second for 100 000 on a desktop).
 * Its map/reduce sums each cluster's up / down / unknown counts and the households behind its down
 * fibre nodes while the tree is built, so a cluster's ring costs nothing to draw at any zoom (the
 * markercluster layer this replaces walked every member of every drawn cluster on each zoom, and
 * built a Leaflet marker for each of the 100 000 devices before drawing anything).
 *
 * The index is immutable: a status change is written to the device table at once (a single
 * marker shows it), and the cluster sums follow when the owner builds the index again. It is built
 * from the table's columns: a point per device holds only the device's index in the table.
 */
import Supercluster from 'supercluster';
import type { ClusterFeature, PointFeature } from 'supercluster';
import type { ClusterSummary } from './cluster-icon.js';
import type { DeviceTable } from './device-table.js';

/** what supercluster keeps of a device: its index in the table */
interface Point { i: number }

/** what supercluster sums per cluster (map/reduce) */
type Sums = Omit<ClusterSummary, 'n'>;

export type Drawn =
  | { kind: 'cluster'; id: number; lat: number; lon: number; summary: ClusterSummary }
  | { kind: 'device'; i: number; lat: number; lon: number };

export interface ClusterIndexOptions {
  /** cluster radius in screen pixels (markercluster's maxClusterRadius was 50) */
  radiusPx: number;
  /** the highest zoom that still clusters; above it every device is drawn on its own */
  maxZoom: number;
}

/** the map's clusters: radius as markercluster's maxClusterRadius was; the map's maxZoom (19)
 *  draws every device on its own, and devices on one spot fan out there */
export const DEVICE_CLUSTERS: ClusterIndexOptions = { radiusPx: 50, maxZoom: 18 };

export class ClusterIndex {
  private readonly sc: Supercluster<Point, Sums>;
  /** ms the last build took (the layer spaces rebuilds by it) */
  readonly buildMs: number;

  constructor(table: DeviceTable, readonly opts: ClusterIndexOptions) {
    const started = performance.now();
    this.sc = new Supercluster<Point, Sums>({
      radius: opts.radiusPx,
      // Leaflet's tiles are 256 px: with extent 256 the radius is in Leaflet's screen pixels
      extent: 256,
      maxZoom: opts.maxZoom,
      map: ({ i }) => {
        const s: Sums = { up: 0, down: 0, unknown: 0, downHouseholds: 0 };
        const st = table.status(i);
        s[st] = 1;
        if (st === 'down' && table.tech(i) === 'fibre') s.downHouseholds = table.households(i);
        return s;
      },
      reduce: (acc, s) => { acc.up += s.up; acc.down += s.down; acc.unknown += s.unknown; acc.downHouseholds += s.downHouseholds; },
    });
    const points = new Array<PointFeature<Point>>(table.count);
    for (let i = 0; i < table.count; i++) points[i] = { type: 'Feature', properties: { i }, geometry: { type: 'Point', coordinates: [table.lon[i]!, table.lat[i]!] } };
    this.sc.load(points);
    this.buildMs = performance.now() - started;
  }

  /** the clusters and single devices to draw in the box [west, south, east, north] at `zoom` */
  query(west: number, south: number, east: number, north: number, zoom: number): Drawn[] {
    // supercluster wants longitudes within ±180 and a west edge left of the east one
    const w = Math.max(-180, west), e = Math.min(180, east);
    if (w > e) return [];
    return this.sc.getClusters([w, Math.max(-90, south), e, Math.min(90, north)], Math.floor(zoom)).map((f) => {
      const [lon, lat] = f.geometry.coordinates as [number, number];
      if (isCluster(f)) {
        const p = f.properties;
        return { kind: 'cluster', id: p.cluster_id, lat, lon, summary: { n: p.point_count, up: p.up, down: p.down, unknown: p.unknown, downHouseholds: p.downHouseholds } };
      }
      return { kind: 'device', i: f.properties.i, lat, lon };
    });
  }

  /** the zoom at which a cluster splits into several (what a click on it zooms to) */
  expansionZoom(clusterId: number): number {
    return this.sc.getClusterExpansionZoom(clusterId);
  }

  /**
   * The lowest zoom from `fromZoom` on at which the device at (lat, lon) is drawn on its own, not
   * in a cluster: one small query per zoom, and above maxZoom nothing clusters.
   */
  revealZoom(i: number, lat: number, lon: number, fromZoom: number): number {
    const eps = 1e-6;
    for (let z = Math.max(0, Math.floor(fromZoom)); z <= this.opts.maxZoom; z++) {
      const hit = this.sc.getClusters([lon - eps, lat - eps, lon + eps, lat + eps], z)
        .some((f) => !isCluster(f) && f.properties.i === i);
      if (hit) return Math.max(z, fromZoom);
    }
    return this.opts.maxZoom + 1;
  }
}

function isCluster(f: ClusterFeature<Sums> | PointFeature<Point>): f is ClusterFeature<Sums> {
  return (f.properties as { cluster?: boolean }).cluster === true;
}
