/** Gap hexagons: H3 cells with households that neither fibre nor wifi covers, darker = more. */
import L from '../leaflet-global.js';
import type { Gaps, GapProps } from '../api.js';


export class GapsLayer extends L.Layer {
  private readonly geo: L.GeoJSON;
  private max = 1;

  constructor() {
    super();
    this.geo = L.geoJSON(undefined, {
      style: (f) => {
        const share = Math.min(1, (f?.properties as GapProps).uncoveredHouseholds / this.max);
        return { className: 'na-gap', color: '#7f0000', weight: 0.5, fillColor: '#d7301f', fillOpacity: 0.15 + 0.6 * share };
      },
      onEachFeature: (f, layer) => {
        const p = f.properties as GapProps;
        layer.bindTooltip(`Gap cell: ${Math.round(p.uncoveredHouseholds)} households without fibre or wifi`, { sticky: true });
      },
    });
  }

  override onAdd(map: L.Map): this {
    map.addLayer(this.geo);
    return this;
  }

  override onRemove(map: L.Map): this {
    map.removeLayer(this.geo);
    return this;
  }

  setData(fc: Gaps): void {
    this.max = Math.max(1, ...fc.features.map((f) => f.properties.uncoveredHouseholds));
    this.geo.clearLayers();
    this.geo.addData(fc);
  }

  count(): number {
    return this.geo.getLayers().length;
  }
}
