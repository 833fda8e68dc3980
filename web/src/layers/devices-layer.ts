/**
 * Devices (fibre nodes and wifi APs) as keyboard-focusable markers coloured by status, clustered
 * when zoomed out. A cluster draws its members' up/down/unknown shares as a ring (cluster-icon.ts)
 * and says its counts in words in its title, so an outage hidden in a cluster is still visible and readable.
 *
 * Clustered, only what is in view is on the map: the clusters of the current zoom come from one
 * index built for all zooms (cluster-index.ts, supercluster, in the cluster worker: a query is a
 * message, so each draw is asynchronous and a newer draw supersedes an older one), and a device's
 * marker is built the first time it is drawn on its own. That is what keeps 100 000 devices
 * interactive: the page never holds a Leaflet marker, nor any object, per device (device-table.ts
 * holds them as columns). Unclustered (`?cluster=0`, for the benchmark) every marker is drawn.
 */
import L from '../leaflet-global.js';
import { clusterIcon } from './cluster-icon.js';
import { DEVICE_CLUSTERS, type Drawn } from './cluster-index.js';
import type { Clusters } from './cluster-client.js';
import type { DeviceTable, StatusCounts } from './device-table.js';
import type { Status, Tech } from '../api.js';

export interface DevicesLayerOptions {
  /** the clusters to draw when zoomed out; null draws every marker */
  clusters: Clusters | null;
  onSelect?: (id: string) => void;
  /** a draw that failed (the cluster worker did) */
  onError?: (err: Error) => void;
}

export type { StatusCounts } from './device-table.js';

const CLUSTER_MAX_ZOOM = DEVICE_CLUSTERS.maxZoom;
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
  private readonly clusters: Clusters | null;
  private readonly onSelect: ((id: string) => void) | undefined;
  private readonly onError: (err: Error) => void;
  private readonly changeListeners = new Set<() => void>();
  /** the clusters can be asked (their index is built for the current table) */
  private indexed = false;
  /** what is on the map now, by key (`c<generation>:<cluster id>` or `d:<device index>`) */
  private drawn = new Map<string, L.Marker>();
  /** devices (indexes) moved off their spot by fanOut */
  private readonly fanned = new Set<number>();
  private rebuildTimer: ReturnType<typeof setTimeout> | null = null;
  /** the number of the newest draw asked for, and the promise of the newest draw */
  private drawSeq = 0;
  private latest: Promise<void> = Promise.resolve();

  constructor(opts: DevicesLayerOptions) {
    super();
    this.clusters = opts.clusters;
    this.onSelect = opts.onSelect;
    this.onError = opts.onError ?? ((err) => { throw err; });
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

  /**
   * Replaces every device with those of `table`; `indexed` resolves once the clusters of that
   * table can be asked (the worker built their index). Resolves once they are drawn or clustered.
   */
  async setData(table: DeviceTable, indexed: Promise<void> = Promise.resolve()): Promise<void> {
    if (this.rebuildTimer) { clearTimeout(this.rebuildTimer); this.rebuildTimer = null; }
    this.indexed = false;
    this.group.clearLayers();
    this.drawn.clear();
    this.fanned.clear();
    this.markers.clear();
    this.table = table;
    this.changed();
    if (!this.clusters) {
      for (let i = 0; i < table.count; i++) this.group.addLayer(this.marker(i));
      return;
    }
    await indexed;
    if (this.table !== table) return;
    this.indexed = true;
    await this.redraw();
    await this.settled();
  }

  /** Sets one device's status (in the shared table); false when the device is not on the map. */
  setStatus(id: string, status: Status): boolean {
    const t = this.table;
    const i = t?.indexOf(id);
    if (!t || i === undefined) return false;
    if (!t.setStatus(i, status)) return true;
    this.clusters?.setStatus(i, status);
    const m = this.markers.get(i);
    if (m) {
      m.setIcon(icon(status, t.tech(i)));
      m.options.title = title(t, i);
      const el = m.getElement();
      if (el) { el.title = title(t, i); el.setAttribute('alt', title(t, i)); }
    }
    if (this.clusters) this.scheduleRebuild();
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

  /** Zooms until the device's marker is drawn (out of its cluster), then calls `done`; false when the device is not on the map. */
  reveal(id: string, done?: () => void): boolean {
    const t = this.table;
    const i = t?.indexOf(id);
    if (!t || i === undefined) return false;
    void (async () => {
      const map = this._map;
      if (map) {
        const lat = t.lat[i]!, lon = t.lon[i]!;
        const z = this.clusters && this.indexed ? await this.clusters.revealZoom(i, lat, lon, map.getZoom()) : Math.max(map.getZoom(), 16);
        map.setView([lat, lon], Math.min(z, map.getMaxZoom()), { animate: false });
        if (this.clusters) { this.draw(); await this.settled(); }
      }
      done?.();
    })().catch((err: Error) => this.onError(err));
    return true;
  }

  onDataChange(fn: () => void): () => void {
    this.changeListeners.add(fn);
    return () => this.changeListeners.delete(fn);
  }

  private changed(): void {
    for (const fn of this.changeListeners) fn();
  }

  private scheduleRebuild(): void {
    const clusters = this.clusters;
    if (this.rebuildTimer || !clusters) return;
    const wait = Math.max(REBUILD_MIN_MS, 5 * clusters.buildMs);
    this.rebuildTimer = setTimeout(() => {
      this.rebuildTimer = null;
      if (this.indexed) clusters.rebuild().then(() => this.draw(), (err: Error) => this.onError(err));
    }, wait);
  }

  /** Asks for the view's clusters again (on moveend, after a rebuild); failures go to onError. */
  private draw(): void {
    this.redraw().catch((err: Error) => this.onError(err));
  }

  /** Resolves once the newest draw asked for is on the map. */
  private async settled(): Promise<void> {
    let p: Promise<void>;
    do { p = this.latest; await p; } while (p !== this.latest);
  }

  /** Puts on the map what the view shows now, keeping the markers that stay; a newer draw supersedes it. */
  private redraw(): Promise<void> {
    const seq = ++this.drawSeq;
    const p = this.drawView(seq);
    this.latest = p.catch(() => undefined);
    return p;
  }

  private async drawView(seq: number): Promise<void> {
    const map = this._map;
    const clusters = this.clusters;
    if (!map || !clusters || !this.indexed) return;
    const b = map.getBounds().pad(VIEW_PAD);
    const zoom = map.getZoom();
    const { generation, items } = await clusters.query(b.getWest(), b.getSouth(), b.getEast(), b.getNorth(), zoom);
    // the view moved (or the data changed) while the worker answered: the newer draw puts its own view
    if (seq !== this.drawSeq || this._map !== map) return;
    const next = new Map<string, L.Marker>();
    for (const it of items) {
      const key = it.kind === 'cluster' ? `c${generation}:${it.id}` : `d:${it.i}`;
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
    // a click (or Enter) zooms in until the cluster splits, as markercluster's zoomToBoundsOnClick;
    // a status rebuild keeps the cluster ids (they depend on positions only)
    m.on('click', () => {
      const map = this._map;
      if (!map || !this.clusters) return;
      this.clusters.expansionZoom(c.id).then(
        (z) => map.setView([c.lat, c.lon], Math.min(z, map.getMaxZoom())),
        () => map.setView([c.lat, c.lon], Math.min(map.getZoom() + 2, map.getMaxZoom())),
      );
    });
    return m;
  }
}
