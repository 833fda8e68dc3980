/**
 * Wifi coverage discs: one circle of the AP's radiusM around each wifi AP, drawn on one canvas
 * (thousands of SVG circles would slow panning), solid when the AP is up, dashed otherwise.
 */
import L from '../leaflet-global.js';
import type { MapDeviceProps, Status } from '../api.js';

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

  override onAdd(map: L.Map): this {
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

  setDevices(devices: Iterable<MapDeviceProps & { lat: number; lon: number }>): void {
    this.group.clearLayers();
    this.discs.clear();
    for (const d of devices) {
      if (d.tech !== 'wifi') continue;
      const c = L.circle([d.lat, d.lon], { radius: d.radiusM ?? DEFAULT_RADIUS_M, renderer: this.renderer, interactive: false, ...style(d.status) });
      this.discs.set(d.id, c);
      this.group.addLayer(c);
    }
  }

  setStatus(id: string, status: Status): void {
    this.discs.get(id)?.setStyle(style(status));
  }

  count(): number {
    return this.discs.size;
  }
}
