/**
 * The planner's gaps view on the map page (/#gaps): the ranked list (gaps-list.ts) beside the map
 * — under it on a phone — and the hexagon layer, from one GET /api/gaps. The hash opens and closes
 * it, so the header's Gaps link, Back and a shared link all work; choosing a row zooms the map to
 * that cell and outlines it. Exports are the server's (GET /api/gaps?area=&format=csv|geojson),
 * with the same limit as the list, so a file holds the cells the list shows.
 */
import './gaps.css';
import L from '../leaflet-global.js';
import { api, apiUrl, type Gaps } from '../api.js';
import type { GapsLayer } from '../layers/gaps-layer.js';
import { GapsList } from './gaps-list.js';
import { toRows, type GapRow } from './gaps-sort.js';

export const GAPS_HASH = '#gaps';

export interface GapsViewOptions {
  map: L.Map;
  layer: GapsLayer;
  /** cells asked for (worst first), for the layer, the list and the exports */
  limit: number;
  say(text: string, kind?: 'note' | 'error'): void;
}

export class GapsView {
  private readonly list: GapsList;
  private loading: Promise<void> | null = null;
  private rings = new Map<string, L.LatLngExpression[]>();
  private outline: L.Polygon | null = null;

  constructor(private readonly opts: GapsViewOptions) {
    this.list = new GapsList({
      onSelect: (row) => this.zoomTo(row),
      onClose: () => this.leave(),
      exportUrl: (area, format) => apiUrl('/api/gaps', { limit: opts.limit, area: area || undefined, format: format === 'csv' ? 'csv' : undefined }),
    });
    // beside the map, before the details panel
    opts.map.getContainer().after(this.list.root);
    opts.map.on('overlayadd', (e: L.LayersControlEvent) => { if (e.layer === opts.layer) void this.load(); });
    window.addEventListener('hashchange', () => this.sync(true));
    this.sync(false);
  }

  /** fetches the cells once (again after a failure) into the layer and the list */
  load(): Promise<void> {
    this.loading ??= api.gaps(this.opts.limit).then((fc: Gaps) => {
      this.opts.layer.setData(fc);
      this.rings = new Map(fc.features.map((f) => [f.properties.cell, f.geometry.coordinates[0]!.map(([lon, lat]) => L.latLng(lat!, lon!))]));
      this.list.setRows(toRows(fc.features.map((f) => f.properties)));
      document.documentElement.dataset['gaps'] = String(fc.features.length);
    }).catch((err: Error) => {
      this.loading = null;
      this.opts.say(`Gaps unavailable: ${err.message}`, 'error');
    });
    return this.loading;
  }

  private sync(byUser: boolean): void {
    const open = location.hash === GAPS_HASH;
    if (open === !this.list.root.hidden) return;
    this.list.root.hidden = !open;
    this.opts.map.invalidateSize({ pan: false });
    if (!open) { this.clearOutline(); return; }
    if (!this.opts.map.hasLayer(this.opts.layer)) this.opts.layer.addTo(this.opts.map);
    void this.load();
    if (byUser) this.list.focusTitle();
  }

  /** closing drops the hash (no '#' left behind) and tells the navigation, which listens for it */
  private leave(): void {
    history.replaceState(null, '', location.pathname + location.search);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    document.querySelector<HTMLElement>('.na-nav a[data-view="gaps"]')?.focus();
  }

  private zoomTo(row: GapRow): void {
    const ring = this.rings.get(row.cell);
    if (!ring) return;
    this.clearOutline();
    this.outline = L.polygon(ring, { className: 'na-gap-current', color: '#0b57d0', weight: 3, fill: false, interactive: false }).addTo(this.opts.map);
    this.opts.map.fitBounds(this.outline.getBounds(), { maxZoom: 15, animate: false, padding: [24, 24] });
    document.documentElement.dataset['gapCell'] = row.cell;
  }

  private clearOutline(): void {
    this.outline?.remove();
    this.outline = null;
  }
}
