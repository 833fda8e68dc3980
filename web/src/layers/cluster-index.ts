/**
 * The devices' clusters for every zoom, from supercluster (a k-d tree per zoom, built once for
 * all the points; tens of milliseconds for 10 000 and well under a second for 100 000 on a desktop).
 * Its map/reduce sums each cluster's up / down / unknown counts and the households behind its down
 * fibre nodes while the tree is built, so a cluster's ring costs nothing to draw at any zoom (the
 * markercluster layer this replaces walked every member of every drawn cluster on each zoom, and
 * built a Leaflet marker for each of the 100 000 devices before drawing anything).
 *
 * The index is immutable: a status change is applied to the device's properties at once (a single
 * marker shows it), and the cluster sums follow when the owner builds the index again.
 */
import Supercluster from 'supercluster';
import type { ClusterFeature, PointFeature } from 'supercluster';
import type { MapDeviceProps, Status } from '../api.js';
import type { ClusterSummary } from './cluster-icon.js';

/** one device as the index holds it: its properties (mutable, shared with the layer) and position */
export interface IndexedDevice { props: MapDeviceProps; lat: number; lon: number }

/** what supercluster keeps per point and sums per cluster (map/reduce) */
type Sums = Omit<ClusterSummary, 'n'>;

export type Drawn =
  | { kind: 'cluster'; id: number; lat: number; lon: number; summary: ClusterSummary }
  | { kind: 'device'; props: MapDeviceProps; lat: number; lon: number };

export interface ClusterIndexOptions {
  /** cluster radius in screen pixels (markercluster's maxClusterRadius was 50) */
  radiusPx: number;
  /** the highest zoom that still clusters; above it every device is drawn on its own */
  maxZoom: number;
}

function sumsOf(p: MapDeviceProps): Sums {
  const s: Sums = { up: 0, down: 0, unknown: 0, downHouseholds: 0 };
  const st: Status = p.status ?? 'unknown';
  s[st] = 1;
  if (st === 'down' && p.tech === 'fibre') s.downHouseholds = p.householdsPassed ?? 0;
  return s;
}

export class ClusterIndex {
  private readonly sc: Supercluster<MapDeviceProps, Sums>;
  /** ms the last build took (the layer spaces rebuilds by it) */
  readonly buildMs: number;

  constructor(devices: readonly IndexedDevice[], readonly opts: ClusterIndexOptions) {
    const started = performance.now();
    this.sc = new Supercluster<MapDeviceProps, Sums>({
      radius: opts.radiusPx,
      // Leaflet's tiles are 256 px: with extent 256 the radius is in Leaflet's screen pixels
      extent: 256,
      maxZoom: opts.maxZoom,
      map: sumsOf,
      reduce: (acc, s) => { acc.up += s.up; acc.down += s.down; acc.unknown += s.unknown; acc.downHouseholds += s.downHouseholds; },
    });
    this.sc.load(devices.map((d): PointFeature<MapDeviceProps> => ({ type: 'Feature', properties: d.props, geometry: { type: 'Point', coordinates: [d.lon, d.lat] } })));
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
      return { kind: 'device', props: f.properties, lat, lon };
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
  revealZoom(id: string, lat: number, lon: number, fromZoom: number): number {
    const eps = 1e-6;
    for (let z = Math.max(0, Math.floor(fromZoom)); z <= this.opts.maxZoom; z++) {
      const hit = this.sc.getClusters([lon - eps, lat - eps, lon + eps, lat + eps], z)
        .some((f) => !isCluster(f) && f.properties.id === id);
      if (hit) return Math.max(z, fromZoom);
    }
    return this.opts.maxZoom + 1;
  }
}

function isCluster(f: ClusterFeature<Sums> | PointFeature<MapDeviceProps>): f is ClusterFeature<Sums> {
  return (f.properties as { cluster?: boolean }).cluster === true;
}
