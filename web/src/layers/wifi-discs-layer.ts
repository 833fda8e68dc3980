/**
 * Wifi coverage discs: one circle of the AP's radiusM around each wifi AP, drawn on one canvas
 * (thousands of SVG circles would slow panning), solid when the AP is up, dashed otherwise.
 * The circles are built when the layer is first shown (it is off by default): 50 000 APs cost
 * nothing on the map's first draw.
 */
import L from '../leaflet-global.js';
import type { MapDevices, Status } from '../api.js';

const DEFAULT_RADIUS_M = 50;

function style(status: Status): L.PathOptions {
  return status === 'up'
    ? { color: '#1a9850', weight: 1, fillColor: '#66bd63', fillOpacity: 0.25, dashArray: undefined }
    : { color: status === 'down' ? '#d73027' : '#757575', weight: 1, fillOpacity: 0.05, dashArray: '4 4' };
}

export class WifiDiscsLayer extends L.Layer {
  private readonly group = L.layerGroup();
  private readonly renderer = L.canvas({ padding: 0.5 });
  private readonly discs = new Map<string, L.Circle>();
  /** the APs to draw, kept until the layer is shown */
  private readonly aps = new Map<string, { lat: number; lon: number; radiusM: number; status: Status }>();
  private built = false;

  override onAdd(map: L.Map): this {
    if (!this.built) this.build();
    map.addLayer(this.group);
    return this;
  }

  override onRemove(map: L.Map): this {
    map.removeLayer(this.group);
    // Leaflet adds a path's renderer to the map on first use and never removes it: this layer's
    // canvas would stay in the overlay pane after the discs are gone.
    map.removeLayer(this.renderer);
    return this;
  }

  setDevices(fc: MapDevices): void {
    this.aps.clear();
    for (const f of fc.features) {
      const p = f.properties;
      if (p.tech !== 'wifi') continue;
      this.aps.set(p.id, { lon: f.geometry.coordinates[0]!, lat: f.geometry.coordinates[1]!, radiusM: p.radiusM ?? DEFAULT_RADIUS_M, status: p.status });
    }
    this.built = false;
    if (this._map) this.build();
  }

  setStatus(id: string, status: Status): void {
    const ap = this.aps.get(id);
    if (ap) ap.status = status;
    this.discs.get(id)?.setStyle(style(status));
  }

  count(): number {
    return this.aps.size;
  }

  private build(): void {
    this.group.clearLayers();
    this.discs.clear();
    for (const [id, d] of this.aps) {
      const c = L.circle([d.lat, d.lon], { radius: d.radiusM, renderer: this.renderer, interactive: false, ...style(d.status) });
      this.discs.set(id, c);
      this.group.addLayer(c);
    }
    this.built = true;
  }
}
