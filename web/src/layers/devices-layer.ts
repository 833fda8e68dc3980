/**
 * Devices (fibre nodes and wifi APs) as keyboard-focusable markers coloured by status, clustered
 * when zoomed out. A cluster draws its members' up/down/unknown shares as a ring (cluster-icon.ts)
 * and says its counts in words in its title, so an outage hidden in a cluster is still visible and readable.
 *
 * Clustered, only what is in view is on the map: the clusters of the current zoom come from one
 * index built for all zooms (cluster-index.ts, supercluster), and a device's marker is built the
 * first time it is drawn on its own. That is what keeps 100 000 devices interactive: the page never
 * holds a Leaflet marker, nor any object, per device (device-table.ts holds them as columns).
 * Unclustered (`?cluster=0`, for the benchmark) every marker is drawn.
 */
import L from '../leaflet-global.js';
import { clusterIcon } from './cluster-icon.js';
import { ClusterIndex, type Drawn } from './cluster-index.js';
import type { DeviceTable, StatusCounts } from './device-table.js';
import type { Status, Tech } from '../api.js';

export interface DevicesLayerOptions {
  /** cluster markers when zoomed out (default true); false draws every marker */
  clustered?: boolean;
  onSelect?: (id: string) => void;
}

export type { StatusCounts } from './device-table.js';

/** as markercluster's maxClusterRadius was */
const CLUSTER_RADIUS_PX = 50;
/** the map's maxZoom (19) draws every device on its own; devices on one spot fan out there */
const CLUSTER_MAX_ZOOM = 18;
/** the view is drawn with this share of its size around it, so a short pan shows no empty edge */
const VIEW_PAD = 0.25;
/** status changes reach the cluster rings by a rebuild of the index, at most once in this many ms
 *  and never more often than 5 times the last build took (100 000 devices: a second or so) */
const REBUILD_MIN_MS = 500;
/** px between devices fanned out around their common spot */
const FAN_PX = 22;

function icon(status: Status, tech: Tech): L.DivIcon {
  return L.divIcon({
    className: `na-dev na-dev--${status} na-dev--${tech}`,
    iconSize: [16, 16],
    html: `<span class="na-dev__glyph" aria-hidden="true">${tech === 'wifi' ? 'W' : 'F'}</span>`,
  });
}

function title(t: DeviceTable, i: number): string {
  return `${t.ids[i]!} (${t.tech(i)}): ${t.status(i)}`;
}

export class DevicesLayer extends L.Layer {
  private readonly group = L.layerGroup();
  /** device markers built so far, by index in the table: all of them unclustered, those drawn at least once clustered */
  private readonly markers = new Map<number, L.Marker>();
  private table: DeviceTable | null = null;
  private readonly clustered: boolean;
  private readonly onSelect: ((id: string) => void) | undefined;
  private readonly changeListeners = new Set<() => void>();
  private index: ClusterIndex | null = null;
  /** what is on the map now, by key (`c<generation>:<cluster id>` or `d:<device id>`) */
  private drawn = new Map<string, L.Marker>();
  private generation = 0;
  /** devices (indexes) moved off their spot by fanOut */
  private readonly fanned = new Set<number>();
  private rebuildTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(opts: DevicesLayerOptions = {}) {
    super();
    this.clustered = opts.clustered ?? true;
    this.onSelect = opts.onSelect;
  }

  override onAdd(map: L.Map): this {
    map.addLayer(this.group);
    map.on('moveend', this.draw, this);
    this.draw();
    return this;
  }

  override onRemove(map: L.Map): this {
    map.off('moveend', this.draw, this);
    map.removeLayer(this.group);
    return this;
  }

  /** Replaces every device with those of `table`; resolves once they are drawn or clustered. */
  setData(table: DeviceTable): Promise<void> {
    if (this.rebuildTimer) { clearTimeout(this.rebuildTimer); this.rebuildTimer = null; }
    this.group.clearLayers();
    this.drawn.clear();
    this.fanned.clear();
    this.markers.clear();
    this.table = table;
    if (this.clustered) this.rebuild();
    else for (let i = 0; i < table.count; i++) this.group.addLayer(this.marker(i));
    this.changed();
    return Promise.resolve();
  }

  /** Sets one device's status (in the shared table); false when the device is not on the map. */
  setStatus(id: string, status: Status): boolean {
    const t = this.table;
    const i = t?.indexOf(id);
    if (!t || i === undefined) return false;
    if (!t.setStatus(i, status)) return true;
    const m = this.markers.get(i);
    if (m) {
      m.setIcon(icon(status, t.tech(i)));
      m.options.title = title(t, i);
      const el = m.getElement();
      if (el) { el.title = title(t, i); el.setAttribute('alt', title(t, i)); }
    }
    if (this.clustered) this.scheduleRebuild();
    this.changed();
    return true;
  }

  latLng(id: string): L.LatLng | undefined {
    const i = this.table?.indexOf(id);
    return i !== undefined ? L.latLng(this.table!.lat[i]!, this.table!.lon[i]!) : undefined;
  }

  counts(): StatusCounts {
    return this.table ? this.table.counts() : { total: 0, up: 0, down: 0, unknown: 0 };
  }

  /** Zooms until the device's marker is drawn (out of its cluster), then calls `done`. */
  reveal(id: string, done?: () => void): boolean {
    const t = this.table;
    const i = t?.indexOf(id);
    if (!t || i === undefined) return false;
    const map = this._map;
    if (map) {
      const lat = t.lat[i]!, lon = t.lon[i]!;
      const z = this.index ? this.index.revealZoom(i, lat, lon, map.getZoom()) : Math.max(map.getZoom(), 16);
      map.setView([lat, lon], Math.min(z, map.getMaxZoom()), { animate: false });
      this.draw();
    }
    done?.();
    return true;
  }

  onDataChange(fn: () => void): () => void {
    this.changeListeners.add(fn);
    return () => this.changeListeners.delete(fn);
  }

  private changed(): void {
    for (const fn of this.changeListeners) fn();
  }

  private rebuild(): void {
    if (!this.table) return;
    this.index = new ClusterIndex(this.table, { radiusPx: CLUSTER_RADIUS_PX, maxZoom: CLUSTER_MAX_ZOOM });
    this.generation++;
    this.draw();
  }

  private scheduleRebuild(): void {
    if (this.rebuildTimer) return;
    const wait = Math.max(REBUILD_MIN_MS, 5 * (this.index?.buildMs ?? 0));
    this.rebuildTimer = setTimeout(() => { this.rebuildTimer = null; this.rebuild(); }, wait);
  }

  /** Puts on the map what the view shows now, keeping the markers that stay. */
  private draw(): void {
    const map = this._map;
    if (!map || !this.index) return;
    const b = map.getBounds().pad(VIEW_PAD);
    const zoom = map.getZoom();
    const items = this.index.query(b.getWest(), b.getSouth(), b.getEast(), b.getNorth(), zoom);
    const next = new Map<string, L.Marker>();
    for (const it of items) {
      const key = it.kind === 'cluster' ? `c${this.generation}:${it.id}` : `d:${it.i}`;
      next.set(key, this.drawn.get(key) ?? (it.kind === 'cluster' ? this.clusterMarker(it) : this.marker(it.i)));
    }
    const t = this.table!;
    for (const i of this.fanned) this.markers.get(i)?.setLatLng([t.lat[i]!, t.lon[i]!]);
    this.fanned.clear();
    if (zoom > CLUSTER_MAX_ZOOM) this.fanOut(items, map);
    for (const [key, m] of this.drawn) if (!next.has(key)) this.group.removeLayer(m);
    for (const [key, m] of next) if (!this.drawn.has(key)) this.group.addLayer(m);
    this.drawn = next;
  }

  /** Devices on one spot (nothing clusters at this zoom) sit on a small circle around it, so each
   *  can be clicked, as markercluster's spiderfy did; back on their spot at any other zoom. */
  private fanOut(items: readonly Drawn[], map: L.Map): void {
    const spots = new Map<string, Extract<Drawn, { kind: 'device' }>[]>();
    for (const it of items) {
      if (it.kind !== 'device') continue;
      const k = `${it.lat},${it.lon}`;
      const list = spots.get(k);
      if (list) list.push(it); else spots.set(k, [it]);
    }
    const t = this.table!;
    for (const list of spots.values()) {
      list.forEach((d, n) => {
        const m = this.markers.get(d.i)!;
        if (list.length === 1) return;
        this.fanned.add(d.i);
        const c = map.project([t.lat[d.i]!, t.lon[d.i]!]);
        const a = (2 * Math.PI * n) / list.length;
        const r = (FAN_PX * list.length) / (2 * Math.PI) + FAN_PX / 2;
        m.setLatLng(map.unproject(c.add([r * Math.cos(a), r * Math.sin(a)])));
      });
    }
  }

  private marker(i: number): L.Marker {
    const existing = this.markers.get(i);
    if (existing) return existing;
    const t = this.table!;
    const id = t.ids[i]!;
    const m = L.marker([t.lat[i]!, t.lon[i]!], { icon: icon(t.status(i), t.tech(i)), title: title(t, i), alt: title(t, i), keyboard: true, riseOnHover: true });
    // Leaflet markers are focusable; Enter on a focused marker fires click, which opens the panel.
    m.on('click', () => this.onSelect?.(id));
    this.markers.set(i, m);
    return m;
  }

  private clusterMarker(c: Extract<Drawn, { kind: 'cluster' }>): L.Marker {
    const m = L.marker([c.lat, c.lon], { icon: clusterIcon(c.summary), keyboard: true });
    const index = this.index;
    // a click (or Enter) zooms in until the cluster splits, as markercluster's zoomToBoundsOnClick
    m.on('click', () => {
      const map = this._map;
      if (map && index) map.setView([c.lat, c.lon], Math.min(index.expansionZoom(c.id), map.getMaxZoom()));
    });
    return m;
  }
}
