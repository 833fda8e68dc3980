/**
 * Devices (fibre nodes and wifi APs) as keyboard-focusable markers coloured by status, clustered
 * when zoomed out. A cluster draws its members' up/down/unknown shares as a ring (cluster-icon.ts)
 * and says its counts in words in its title, so an outage hidden in a cluster is still visible and readable.
 */
import L from '../leaflet-global.js';
import 'leaflet.markercluster';
import { clusterIcon, type ClusterMember } from './cluster-icon.js';
import type { MapDeviceProps, MapDevices, Status } from '../api.js';

export interface DevicesLayerOptions {
  /** cluster markers when zoomed out (default true); false draws every marker */
  clustered?: boolean;
  onSelect?: (id: string) => void;
}

export interface StatusCounts {
  total: number;
  up: number;
  down: number;
  unknown: number;
}

function icon(p: Pick<MapDeviceProps, 'status' | 'tech'>): L.DivIcon {
  return L.divIcon({
    className: `na-dev na-dev--${p.status} na-dev--${p.tech}`,
    iconSize: [16, 16],
    html: `<span class="na-dev__glyph" aria-hidden="true">${p.tech === 'wifi' ? 'W' : 'F'}</span>`,
  });
}

function title(p: MapDeviceProps): string {
  return `${p.id} (${p.tech}): ${p.status}`;
}

export class DevicesLayer extends L.Layer {
  private readonly group: L.LayerGroup;
  private readonly markers = new Map<string, L.Marker>();
  private readonly props = new Map<string, MapDeviceProps>();
  private readonly clustered: boolean;
  private readonly onSelect: ((id: string) => void) | undefined;
  private readonly changeListeners = new Set<() => void>();
  private loaded: (() => void) | null = null;

  constructor(opts: DevicesLayerOptions = {}) {
    super();
    this.clustered = opts.clustered ?? true;
    this.onSelect = opts.onSelect;
    this.group = this.clustered
      ? L.markerClusterGroup({
        // Chunks keep the page responsive while 10 000 markers are clustered.
        chunkedLoading: true,
        chunkProgress: (processed: number, total: number) => { if (processed >= total) this.finishLoad(); },
        showCoverageOnHover: false,
        spiderfyOnMaxZoom: true,
        maxClusterRadius: 50,
        iconCreateFunction: clusterIcon,
      })
      : L.layerGroup();
  }

  override onAdd(map: L.Map): this {
    map.addLayer(this.group);
    return this;
  }

  override onRemove(map: L.Map): this {
    map.removeLayer(this.group);
    return this;
  }

  /** Replaces every marker with the devices of `fc`; resolves when they are all drawn or clustered. */
  setData(fc: MapDevices): Promise<void> {
    this.finishLoad();
    this.group.clearLayers();
    this.markers.clear();
    this.props.clear();
    const markers: L.Marker[] = [];
    for (const f of fc.features) {
      const p = f.properties;
      const [lon, lat] = f.geometry.coordinates as [number, number];
      const m = L.marker([lat, lon], { icon: icon(p), title: title(p), alt: title(p), keyboard: true, riseOnHover: true });
      Object.assign(m.options as ClusterMember, { status: p.status, tech: p.tech, households: p.householdsPassed ?? 0 });
      m.on('click', () => this.onSelect?.(p.id));
      // Leaflet markers are focusable; Enter on a focused marker fires click, which opens the panel.
      markers.push(m);
      this.markers.set(p.id, m);
      this.props.set(p.id, { ...p });
    }
    this.changed();
    if (this.group instanceof L.MarkerClusterGroup && this._map && markers.length > 0) {
      const done = new Promise<void>((resolve) => { this.loaded = resolve; });
      this.group.addLayers(markers);
      return done;
    }
    if (this.group instanceof L.MarkerClusterGroup) this.group.addLayers(markers);
    else for (const m of markers) this.group.addLayer(m);
    return Promise.resolve();
  }

  private finishLoad(): void {
    const fn = this.loaded;
    this.loaded = null;
    fn?.();
  }

  /** Sets one device's status; false when the device is not on the map. */
  setStatus(id: string, status: Status, lastSeen?: string): boolean {
    const m = this.markers.get(id);
    const p = this.props.get(id);
    if (!m || !p) return false;
    if (p.status === status && !lastSeen) return true;
    p.status = status;
    if (lastSeen) p.lastSeen = lastSeen;
    (m.options as { status?: Status }).status = status;
    m.setIcon(icon(p));
    m.options.title = title(p);
    const el = m.getElement();
    if (el) { el.title = title(p); el.setAttribute('alt', title(p)); }
    if (this.group instanceof L.MarkerClusterGroup) this.group.refreshClusters(m);
    this.changed();
    return true;
  }

  device(id: string): MapDeviceProps | undefined {
    return this.props.get(id);
  }

  latLng(id: string): L.LatLng | undefined {
    return this.markers.get(id)?.getLatLng();
  }

  devices(): IterableIterator<MapDeviceProps> {
    return this.props.values();
  }

  counts(): StatusCounts {
    const c: StatusCounts = { total: 0, up: 0, down: 0, unknown: 0 };
    for (const p of this.props.values()) { c.total++; c[p.status]++; }
    return c;
  }

  /** Zooms until the device's marker is visible (out of its cluster), then calls `done`. */
  reveal(id: string, done?: () => void): boolean {
    const m = this.markers.get(id);
    if (!m) return false;
    if (this.group instanceof L.MarkerClusterGroup) this.group.zoomToShowLayer(m, () => done?.());
    else { this._map?.setView(m.getLatLng(), Math.max(this._map.getZoom(), 16)); done?.(); }
    return true;
  }

  onDataChange(fn: () => void): () => void {
    this.changeListeners.add(fn);
    return () => this.changeListeners.delete(fn);
  }

  private changed(): void {
    for (const fn of this.changeListeners) fn();
  }
}
