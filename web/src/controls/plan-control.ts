/**
 * Planning mode (issue 16): a control that, while switched on, drops a proposed AP where the map
 * is clicked (click its disc to take it away), draws each AP's coverage disc with the radius the
 * server's propagation model gives (or the fixed radius typed in), and shows the what-if gain live
 * (POST /api/plan: newly covered households and population, the change of wifi population
 * coverage). "Site" runs siting for the visible area (POST /api/plan/siting on a 50 m grid over
 * the map's bounds) and draws the picks with their rank and marginal gain; "Export" downloads the
 * plan as GeoJSON. Nothing is stored on the server. onRemove undoes everything onAdd did.
 * State for tests: data-plan-aps, data-plan-gain (households), data-plan-picks on the control.
 */
import L from '../leaflet-global.js';
import type { paths } from '../api-types.js';

/** the what-if's answer, from the server's OpenAPI document (api-types.ts) */
type PlanAnswer = paths['/api/plan']['post']['responses'][200]['content']['application/json'];
/** the siting's JSON answer, from the same document */
type SitingAnswer = paths['/api/plan/siting']['post']['responses'][200]['content']['application/json'];

async function postJson<T>(path: string, body: unknown, signal: AbortSignal): Promise<T> {
  const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body), signal });
  const json = (await res.json()) as T & { error?: { message?: string } };
  if (!res.ok) throw new Error(json.error?.message ?? `${path}: HTTP ${res.status}`);
  return json;
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-GB');
const AP_STYLE = { color: '#6a1b9a', weight: 2, fillOpacity: 0.25, className: 'na-plan-ap' };
const PICK_STYLE = { color: '#e65100', weight: 2, fillOpacity: 0.2, dashArray: '4 3', className: 'na-plan-pick' };

export class PlanControl extends L.Control {
  private map: L.Map | null = null;
  private box: HTMLElement | null = null;
  private readonly layer = L.layerGroup();
  private aps: { lat: number; lon: number; circle: L.Circle }[] = [];
  private picks: SitingAnswer['picks'] = [];
  private on = false;
  private seq = 0;
  /** the last what-if's words and gain, kept while siting redraws the control */
  private gainText: string | null = null;
  private gain = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private inflight: AbortController | null = null;
  private cleanup: (() => void)[] = [];

  constructor() {
    super({ position: 'topleft' });
  }

  /** true while planning mode is on: map clicks drop APs (main.ts keeps area clicks for it) */
  get active(): boolean {
    return this.on;
  }

  override onAdd(map: L.Map): HTMLElement {
    this.map = map;
    const box = L.DomUtil.create('section', 'na-control na-plan');
    box.setAttribute('aria-label', 'Planning');
    box.innerHTML = `
      <button type="button" class="na-plan__toggle" aria-pressed="false">Planning mode</button>
      <div class="na-plan__body" hidden>
        <p class="na-plan__hint">Click the map to propose an AP; click a disc to remove it.</p>
        <label for="na-plan-reach">AP coverage</label>
        <select id="na-plan-reach">
          <option value="street">street (ITU-R P.1411 NLoS)</option>
          <option value="indoor">indoor (+ P.2109 entry loss)</option>
        </select>
        <label for="na-plan-radius">Fixed radius (m, optional)</label>
        <input id="na-plan-radius" type="number" min="1" max="2000" step="1" placeholder="model">
        <p class="na-plan__gain" aria-live="polite">No AP proposed.</p>
        <label for="na-plan-count">Best sites in view</label>
        <span class="na-plan__row"><input id="na-plan-count" type="number" min="1" max="200" value="5"> <button type="button" class="na-plan__site">Site</button></span>
        <ol class="na-plan__picks"></ol>
        <span class="na-plan__row"><button type="button" class="na-plan__export">Export plan</button> <button type="button" class="na-plan__clear">Clear</button></span>
        <p class="na-plan__error" role="alert"></p>
      </div>`;
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    const q = <T extends HTMLElement>(s: string): T => box.querySelector<T>(s)!;
    const listen = (el: HTMLElement, ev: string, f: () => void): void => { el.addEventListener(ev, f); this.cleanup.push(() => el.removeEventListener(ev, f)); };
    listen(q('.na-plan__toggle'), 'click', () => this.setActive(!this.on));
    listen(q('#na-plan-reach'), 'change', () => this.schedule());
    listen(q('#na-plan-radius'), 'change', () => this.schedule());
    listen(q('.na-plan__site'), 'click', () => void this.site());
    listen(q('.na-plan__export'), 'click', () => this.export());
    listen(q('.na-plan__clear'), 'click', () => this.clear());
    const onMapClick = (e: L.LeafletMouseEvent): void => { if (this.on) this.addAp(e.latlng.lat, e.latlng.lng); };
    map.on('click', onMapClick);
    this.cleanup.push(() => map.off('click', onMapClick));
    this.layer.addTo(map);
    this.box = box;
    this.render();
    return box;
  }

  override onRemove(map: L.Map): void {
    for (const f of this.cleanup.splice(0)) f();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.inflight?.abort();
    this.inflight = null;
    this.layer.clearLayers();
    map.removeLayer(this.layer);
    map.getContainer().classList.remove('na-planning');
    this.aps = [];
    this.picks = [];
    this.on = false;
    this.box = null;
    this.map = null;
  }

  private setActive(on: boolean): void {
    this.on = on;
    const b = this.box!;
    b.querySelector('.na-plan__toggle')!.setAttribute('aria-pressed', String(on));
    b.querySelector<HTMLElement>('.na-plan__body')!.hidden = !on;
    this.map!.getContainer().classList.toggle('na-planning', on);
  }

  private radio(): { radiusM?: number; radio?: { reach: string } } {
    const fixed = Number(this.box!.querySelector<HTMLInputElement>('#na-plan-radius')!.value);
    if (fixed > 0) return { radiusM: fixed };
    return { radio: { reach: this.box!.querySelector<HTMLSelectElement>('#na-plan-reach')!.value } };
  }

  private addAp(lat: number, lon: number): void {
    const circle = L.circle([lat, lon], { radius: 1, ...AP_STYLE });
    const ap = { lat, lon, circle };
    circle.on('click', (e: L.LeafletMouseEvent) => {
      L.DomEvent.stopPropagation(e);
      this.aps = this.aps.filter((a) => a !== ap);
      this.layer.removeLayer(circle);
      this.gainText = null;
      this.render();
      this.schedule();
    });
    circle.bindTooltip(`Proposed AP ${this.aps.length + 1}`);
    this.layer.addLayer(circle);
    this.aps.push(ap);
    this.gainText = null;
    this.render();
    this.schedule();
  }

  /** the what-if, 250 ms after the last change, the previous request cancelled */
  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => { this.timer = null; void this.evaluate(); }, 250);
  }

  private async evaluate(): Promise<void> {
    const seq = ++this.seq;
    this.inflight?.abort();
    if (this.aps.length === 0) { this.render(); return; }
    const ctl = new AbortController();
    this.inflight = ctl;
    this.say('');
    try {
      const r = await postJson<PlanAnswer>('/api/plan', { aps: this.aps.map((a) => ({ lat: a.lat, lon: a.lon })), ...this.radio(), gapsLimit: 0 }, ctl.signal);
      if (seq !== this.seq || !this.box) return;
      r.aps.forEach((a, i) => this.aps[i]?.circle.setRadius(a.radiusM));
      const dp = r.region.coverage.wifiPopulation.change;
      this.render(`+${fmt(r.region.newlyCoveredHouseholds)} households (${fmt(r.region.newlyCoveredPopulation)} people) newly covered by ${this.aps.length} AP${this.aps.length > 1 ? 's' : ''}`
        + (dp === null ? '' : `; wifi population coverage +${(dp * 100).toFixed(2)} points`), r.region.newlyCoveredHouseholds);
    } catch (err) {
      if ((err as Error).name !== 'AbortError') this.say(`What-if failed: ${(err as Error).message}`);
    }
  }

  private async site(): Promise<void> {
    const b = this.map!.getBounds();
    const count = Number(this.box!.querySelector<HTMLInputElement>('#na-plan-count')!.value) || 5;
    this.say('Siting…');
    try {
      const r = await postJson<SitingAnswer>('/api/plan/siting', { count, bbox: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()], gridSpacingM: 50, ...this.radio() }, new AbortController().signal);
      if (!this.box) return;
      for (const l of this.layer.getLayers()) if ((l as L.Circle & { naPick?: boolean }).naPick) this.layer.removeLayer(l);
      this.picks = r.picks;
      for (const p of r.picks) {
        const c = L.circle([p.lat, p.lon], { radius: p.radiusM, ...PICK_STYLE }) as L.Circle & { naPick?: boolean };
        c.naPick = true;
        c.bindTooltip(`Site ${p.rank}: +${fmt(p.gainHouseholds)} households`, { permanent: r.picks.length <= 10, direction: 'top' });
        this.layer.addLayer(c);
      }
      this.say('');
      this.render();
    } catch (err) {
      this.say(`Siting failed: ${(err as Error).message}`);
    }
  }

  private export(): void {
    const features = [
      ...this.aps.map((a, i) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [a.lon, a.lat] }, properties: { kind: 'proposed-ap', id: `proposed-ap-${i + 1}`, radiusM: a.circle.getRadius() } })),
      ...this.picks.map((p) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [p.lon, p.lat] }, properties: { kind: 'sited', ...p } })),
    ];
    const url = URL.createObjectURL(new Blob([JSON.stringify({ type: 'FeatureCollection', features }, null, 2)], { type: 'application/geo+json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = 'netatlas-plan.geojson';
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }

  private clear(): void {
    this.layer.clearLayers();
    this.aps = [];
    this.picks = [];
    this.gainText = null;
    this.seq++;
    this.inflight?.abort();
    this.render();
  }

  private say(text: string): void {
    if (this.box) this.box.querySelector('.na-plan__error')!.textContent = text;
  }

  private render(gainText?: string, gain?: number): void {
    const b = this.box;
    if (!b) return;
    if (gainText !== undefined) { this.gainText = gainText; this.gain = gain ?? 0; }
    b.querySelector('.na-plan__gain')!.textContent = this.aps.length === 0 ? 'No AP proposed.' : this.gainText ?? 'Computing…';
    b.dataset['planAps'] = String(this.aps.length);
    b.dataset['planGain'] = String(this.aps.length === 0 ? 0 : this.gain);
    b.dataset['planPicks'] = String(this.picks.length);
    b.querySelector('.na-plan__picks')!.innerHTML = this.picks
      .map((p) => `<li>${p.id}: +${fmt(p.gainHouseholds)} households (Σ ${fmt(p.cumulativeHouseholds)})</li>`).join('');
  }
}
