/**
 * Legend and metric selector: the choropleth metric (a labelled <select>), its bins in words,
 * the device status colours with the words up / down / unknown, and live device counts — so no
 * information is carried by colour alone.
 */
import L from '../leaflet-global.js';
import { AREA_METRICS, BINS, NO_DATA_COLOUR, type AreaMetric } from '../layers/areas-layer.js';
import type { StatusCounts } from '../layers/devices-layer.js';

export class LegendControl extends L.Control {
  private box: HTMLElement | null = null;
  private cleanup: (() => void) | null = null;

  constructor(private readonly initial: AreaMetric, private readonly onMetric: (m: AreaMetric) => void) {
    super({ position: 'bottomright' });
  }

  override onAdd(): HTMLElement {
    const box = L.DomUtil.create('section', 'na-control na-legend');
    box.setAttribute('aria-label', 'Legend');
    const bins = BINS.map((b, i) => {
      const hi = BINS[i + 1]?.min;
      const range = hi === undefined ? `${b.min * 100} % and more` : `${b.min * 100} – ${hi * 100} %`;
      return `<li><span class="na-swatch" style="background:${b.colour}"></span>${range}</li>`;
    }).join('');
    box.innerHTML = `
      <details open class="na-legend__details">
        <summary>Legend</summary>
        <label for="na-metric">Areas by</label>
        <select id="na-metric">
          ${(Object.keys(AREA_METRICS) as AreaMetric[]).map((m) => `<option value="${m}">${AREA_METRICS[m]}</option>`).join('')}
        </select>
        <ul class="na-legend__bins">${bins}<li><span class="na-swatch" style="background:${NO_DATA_COLOUR}"></span>no data</li></ul>
        <h2>Devices</h2>
        <ul class="na-legend__status">
          <li><span class="na-dot na-dot--up"></span>up <span class="na-count" data-status="up">0</span></li>
          <li><span class="na-dot na-dot--down"></span>down <span class="na-count" data-status="down">0</span></li>
          <li><span class="na-dot na-dot--unknown"></span>unknown <span class="na-count" data-status="unknown">0</span></li>
        </ul>
        <p class="na-legend__total" aria-live="polite"><span class="na-count" data-status="total">0</span> devices;
          F = fibre node, W = wifi access point; a cluster's ring shows its up, down and unknown shares (hover: households behind its down fibre nodes).</p>
      </details>`;
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    // Folded on phones so the legend does not hide the map; one tap or Enter unfolds it.
    if (window.matchMedia('(max-width: 600px)').matches) box.querySelector('details')!.open = false;
    const select = box.querySelector('select')!;
    select.value = this.initial;
    const onChange = (): void => this.onMetric(select.value as AreaMetric);
    select.addEventListener('change', onChange);
    this.cleanup = () => select.removeEventListener('change', onChange);
    this.box = box;
    return box;
  }

  override onRemove(): void {
    this.cleanup?.();
    this.cleanup = null;
    this.box = null;
  }

  setCounts(c: StatusCounts): void {
    if (!this.box) return;
    for (const key of ['total', 'up', 'down', 'unknown'] as const) {
      const el = this.box.querySelector(`.na-count[data-status="${key}"]`);
      if (el) el.textContent = String(c[key]);
    }
  }
}
