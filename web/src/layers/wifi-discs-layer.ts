/**
 * Wifi coverage discs: one circle of the AP's radiusM around each wifi AP, drawn on one canvas
 * (thousands of SVG circles would slow panning), solid when the AP is up, dashed otherwise.
 * The circles are built when the layer is first shown (it is off by default): 50 000 APs cost
 * nothing on the map's first draw.
 */
import L from '../leaflet-global.js';
import type { Status } from '../api.js';
import type { DeviceTable } from './device-table.js';

const DEFAULT_RADIUS_M = 50;

function style(status: Status): L.PathOptions {
  return status === 'up'
    ? { color: '#1a9850', weight: 1, fillColor: '#66bd63', fillOpacity: 0.25, dashArray: undefined }
    : { color: status === 'down' ? '#d73027' : '#757575', weight: 1, fillOpacity: 0.05, dashArray: '4 4' };
}

export class WifiDiscsLayer extends L.Layer {
  private readonly group = L.layerGroup();
  private readonly renderer = L.canvas({ padding: 0.5 });
  /** the discs built, by the AP's index in the table */
  private readonly discs = new Map<number, L.Circle>();
  /** the devices (shared with the devices layer, which writes their statuses), read when the layer is shown */
  private table: DeviceTable | null = null;
  private aps = 0;
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

  setDevices(table: DeviceTable): void {
    this.table = table;
    this.aps = 0;
    for (let i = 0; i < table.count; i++) if (table.tech(i) === 'wifi') this.aps++;
    this.built = false;
    if (this._map) this.build();
  }

  /** Restyles an AP's disc for its new status (the table already holds it). */
  setStatus(id: string, status: Status): void {
    const i = this.table?.indexOf(id);
    if (i !== undefined) this.discs.get(i)?.setStyle(style(status));
  }

  count(): number {
    return this.aps;
  }

  private build(): void {
    this.group.clearLayers();
    this.discs.clear();
    const t = this.table;
    if (t) {
      for (let i = 0; i < t.count; i++) {
        if (t.tech(i) !== 'wifi') continue;
        const c = L.circle([t.lat[i]!, t.lon[i]!], { radius: t.radius(i) ?? DEFAULT_RADIUS_M, renderer: this.renderer, interactive: false, ...style(t.status(i)) });
        this.discs.set(i, c);
        this.group.addLayer(c);
      }
    }
    this.built = true;
  }
}
