/**
 * Area choropleth: each municipality filled by the selected metric (fibre coverage, wifi
 * coverage or uptime), in five bins with a "no data" hatch-free grey. The legend (legend.ts)
 * reads the same bins, so the map and its key cannot disagree.
 */
import L from '../leaflet-global.js';
import type { AreaProps, AreasGeo } from '../api.js';
import { pct } from '../format.js';

export type AreaMetric = 'fibreCoverage' | 'wifiCoverage' | 'uptime';

export const AREA_METRICS: Readonly<Record<AreaMetric, string>> = {
  fibreCoverage: 'Fibre coverage (households passed)',
  wifiCoverage: 'Public wifi coverage (population)',
  uptime: 'Uptime',
};

/** lower bounds of the bins (ratio), and their fill, light to dark */
export const BINS: readonly { min: number; colour: string }[] = [
  { min: 0, colour: '#f1eef6' },
  { min: 0.2, colour: '#bdc9e1' },
  { min: 0.4, colour: '#74a9cf' },
  { min: 0.6, colour: '#2b8cbe' },
  { min: 0.8, colour: '#045a8d' },
];
export const NO_DATA_COLOUR = '#9e9e9e';

export function metricValue(p: AreaProps, metric: AreaMetric): number | null {
  const v = metric === 'fibreCoverage' ? p.fibreCoverage : metric === 'wifiCoverage' ? p.wifiPopulationCoverage : p.uptime;
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export function binColour(v: number | null): string {
  if (v === null) return NO_DATA_COLOUR;
  let colour = BINS[0]!.colour;
  for (const b of BINS) if (v >= b.min) colour = b.colour;
  return colour;
}

export class AreasLayer extends L.Layer {
  private readonly geo: L.GeoJSON;
  private metric: AreaMetric = 'fibreCoverage';
  private data: AreasGeo | null = null;

  constructor(private readonly onSelect: (p: AreaProps) => void) {
    super();
    this.geo = L.geoJSON(undefined, {
      style: (f) => this.style(f?.properties as AreaProps),
      onEachFeature: (f, layer) => this.bind(f.properties as AreaProps, layer as L.Path),
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

  setData(fc: AreasGeo): void {
    this.data = fc;
    this.geo.clearLayers();
    this.geo.addData(fc);
  }

  setMetric(metric: AreaMetric): void {
    this.metric = metric;
    this.geo.setStyle((f) => this.style(f?.properties as AreaProps));
    this.geo.eachLayer((l) => this.label(l as L.Path));
  }

  get currentMetric(): AreaMetric {
    return this.metric;
  }

  count(): number {
    return this.data?.features.length ?? 0;
  }

  bounds(): L.LatLngBounds | null {
    const b = this.geo.getBounds();
    return b.isValid() ? b : null;
  }

  private style(p: AreaProps | undefined): L.PathOptions {
    const v = p ? metricValue(p, this.metric) : null;
    return { className: 'na-area', color: '#333', weight: 1, fillColor: binColour(v), fillOpacity: 0.55 };
  }

  private text(p: AreaProps): string {
    return `${p.name}: ${AREA_METRICS[this.metric]} ${pct(metricValue(p, this.metric))}`;
  }

  private label(layer: L.Path): void {
    const p = (layer as L.Path & { feature?: { properties: AreaProps } }).feature?.properties;
    if (!p) return;
    layer.setTooltipContent(this.text(p));
  }

  private bind(p: AreaProps, layer: L.Path): void {
    layer.bindTooltip(this.text(p), { sticky: true });
    layer.on('click', () => this.onSelect(p));
    layer.on('add', () => {
      // SVG paths are not focusable by default: make each area reachable by Tab and Enter.
      const el = layer.getElement();
      if (!el) return;
      el.setAttribute('tabindex', '0');
      el.setAttribute('role', 'button');
      el.setAttribute('aria-label', `Area ${p.name}`);
      el.setAttribute('data-area', p.id);
      el.addEventListener('keydown', (e) => {
        if ((e as KeyboardEvent).key === 'Enter' || (e as KeyboardEvent).key === ' ') { e.preventDefault(); this.onSelect(p); }
      });
    });
  }
}
