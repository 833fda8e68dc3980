/**
 * The planner's gaps list (DOM only; gaps-view.ts wires it to the map): an area filter, the
 * selection's totals and export links, and a sortable table of the cells, 100 rows at a time.
 * The table is one Tab stop: the arrow keys, Home and End move between rows (a roving tabindex,
 * so 1,500 cells are not 1,500 Tab presses), Enter or a click zooms the map to the row's cell.
 * Rows carry the API's raw numbers as data attributes, so tests compare with the JSON.
 */
import { areasOf, select, type GapRow, type Sort, type SortKey } from './gaps-sort.js';

const PAGE = 100;
// short labels (the area column needs the room at 360 px); `name` is what a screen reader says
const COLUMNS: readonly { key: SortKey; label: string; name: string; numeric: boolean }[] = [
  { key: 'rank', label: '#', name: 'Rank', numeric: true },
  { key: 'areaName', label: 'Area', name: 'Area', numeric: false },
  { key: 'households', label: 'Households', name: 'Households', numeric: true },
  { key: 'uncovered', label: 'Uncovered', name: 'Uncovered households', numeric: true },
];
const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export interface GapsListOptions {
  onSelect(row: GapRow): void;
  onClose(): void;
  /** URL of the selection's export: area '' = every area */
  exportUrl(area: string, format: 'geojson' | 'csv'): string;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

export class GapsList {
  readonly root = el('aside', 'na-gaps');
  private readonly title = el('h2', 'na-gaps__title', 'Coverage gaps');
  private readonly area = el('select');
  private readonly summary = el('p', 'na-gaps__summary');
  private readonly geojson = el('a', 'na-download', 'GeoJSON');
  private readonly csv = el('a', 'na-download', 'CSV');
  private readonly head = el('tr');
  private readonly body = el('tbody');
  private readonly more = el('button', 'na-gaps__more');
  private rows: GapRow[] = [];
  private shown: GapRow[] = [];
  private limit = PAGE;
  private sort: Sort = { key: 'rank', dir: 'asc' };
  private active = 0;
  private current: string | null = null;

  constructor(private readonly opts: GapsListOptions) {
    this.root.id = 'na-gaps';
    this.root.hidden = true;
    this.root.setAttribute('aria-labelledby', 'na-gaps-title');
    this.title.id = 'na-gaps-title';
    this.title.tabIndex = -1;
    const close = el('button', 'na-panel__close', '×');
    close.type = 'button';
    close.setAttribute('aria-label', 'Close the gaps list');
    close.addEventListener('click', () => opts.onClose());
    const top = el('div', 'na-panel__head');
    top.append(this.title, close);
    const intro = el('p', 'na-gaps__intro', 'H3 cells (about 0.1 km²) ranked by the households that neither fibre nor public wifi covers.');
    const label = el('label', 'na-gaps__label', 'Area');
    label.htmlFor = this.area.id = 'na-gaps-area';
    this.area.addEventListener('change', () => this.render(true));
    this.summary.setAttribute('role', 'status');
    const exp = el('p', 'na-gaps__export', 'Export the selection: ');
    exp.append(this.geojson, ' ', this.csv);
    const table = el('table', 'na-gaps__table');
    const thead = el('thead');
    thead.append(this.head);
    table.append(thead, this.body);
    for (const c of COLUMNS) {
      const th = el('th');
      th.scope = 'col';
      th.dataset['key'] = c.key;
      if (c.numeric) th.className = 'na-num';
      const b = el('button', 'na-gaps__sort', c.label);
      b.type = 'button';
      if (c.name !== c.label) b.setAttribute('aria-label', c.name);
      b.title = `Sort by ${c.name.toLowerCase()}`;
      b.addEventListener('click', () => this.sortBy(c.key, c.numeric && c.key !== 'rank' ? 'desc' : 'asc'));
      th.append(b);
      this.head.append(th);
    }
    this.body.addEventListener('keydown', (e) => this.onKey(e));
    this.body.addEventListener('click', (e) => {
      const tr = (e.target as HTMLElement).closest('tr');
      if (tr) this.choose(this.shown.findIndex((r) => r.cell === tr.dataset['cell']));
    });
    this.more.type = 'button';
    this.more.addEventListener('click', () => { this.limit += PAGE; this.render(false); });
    this.root.addEventListener('keydown', (e) => { if (e.key === 'Escape') opts.onClose(); });
    this.root.append(top, intro, label, this.area, this.summary, exp, table, this.more);
  }

  setRows(rows: GapRow[]): void {
    this.rows = rows;
    const keep = this.area.value;
    this.area.replaceChildren(new Option('All areas', ''), ...areasOf(rows).map((a) => new Option(a.name, a.id)));
    this.area.value = areasOf(rows).some((a) => a.id === keep) ? keep : '';
    this.render(true);
  }

  focusTitle(): void {
    this.title.focus();
  }

  /** marks the row of `cell` as the one on the map (aria-current), or none */
  setCurrent(cell: string | null): void {
    this.current = cell;
    for (const tr of Array.from(this.body.rows)) {
      if (tr.dataset['cell'] === cell) tr.setAttribute('aria-current', 'true');
      else tr.removeAttribute('aria-current');
    }
  }

  private sortBy(key: SortKey, firstDir: 'asc' | 'desc'): void {
    this.sort = this.sort.key === key ? { key, dir: this.sort.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: firstDir };
    this.render(true);
  }

  private render(reset: boolean): void {
    const area = this.area.value;
    if (reset) { this.limit = PAGE; this.active = 0; }
    const all = select(this.rows, area, this.sort);
    this.shown = all.slice(0, this.limit);
    const sum = (k: 'households' | 'uncovered'): number => all.reduce((s, r) => s + r[k], 0);
    this.summary.textContent = `${all.length} cells, ${whole.format(sum('uncovered'))} of ${whole.format(sum('households'))} households uncovered`;
    this.summary.dataset['cells'] = String(all.length);
    this.summary.dataset['uncovered'] = String(sum('uncovered'));
    const what = area ? this.area.selectedOptions[0]?.text ?? area : 'all areas';
    this.geojson.href = this.opts.exportUrl(area, 'geojson');
    this.geojson.download = `gaps${area ? `-${area}` : ''}.geojson`;
    this.geojson.setAttribute('aria-label', `Export the gaps of ${what} as GeoJSON`);
    this.csv.href = this.opts.exportUrl(area, 'csv');
    this.csv.download = `gaps${area ? `-${area}` : ''}.csv`;
    this.csv.setAttribute('aria-label', `Export the gaps of ${what} as CSV`);
    for (const th of Array.from(this.head.cells)) {
      if (th.dataset['key'] === this.sort.key) th.setAttribute('aria-sort', this.sort.dir === 'asc' ? 'ascending' : 'descending');
      else th.removeAttribute('aria-sort');
    }
    this.body.replaceChildren(...this.shown.map((r, i) => this.row(r, i)));
    this.active = Math.min(this.active, Math.max(0, this.shown.length - 1));
    this.more.hidden = all.length <= this.shown.length;
    this.more.textContent = `Show ${Math.min(PAGE, all.length - this.shown.length)} more (${this.shown.length} of ${all.length} shown)`;
    this.setCurrent(this.current);
  }

  private row(r: GapRow, i: number): HTMLTableRowElement {
    const tr = el('tr');
    tr.dataset['cell'] = r.cell;
    tr.dataset['area'] = r.area;
    tr.dataset['households'] = String(r.households);
    tr.dataset['uncovered'] = String(r.uncovered);
    tr.tabIndex = i === this.active ? 0 : -1;
    tr.title = `Zoom the map to cell ${r.cell}`;
    tr.append(el('td', 'na-num', String(r.rank)), el('td', undefined, r.areaName), el('td', 'na-num', whole.format(r.households)), el('td', 'na-num', whole.format(r.uncovered)));
    return tr;
  }

  private focusRow(i: number): void {
    const rows = this.body.rows;
    if (rows.length === 0) return;
    this.active = Math.max(0, Math.min(rows.length - 1, i));
    for (let k = 0; k < rows.length; k++) rows[k]!.tabIndex = k === this.active ? 0 : -1;
    rows[this.active]!.focus();
  }

  private choose(i: number): void {
    const r = this.shown[i];
    if (!r) return;
    this.focusRow(i);
    this.setCurrent(r.cell);
    this.opts.onSelect(r);
  }

  private onKey(e: KeyboardEvent): void {
    const i = this.active;
    const to: Record<string, number> = { ArrowDown: i + 1, ArrowUp: i - 1, Home: 0, End: this.shown.length - 1, PageDown: i + 10, PageUp: i - 10 };
    if (e.key in to) { e.preventDefault(); this.focusRow(to[e.key]!); }
    else if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); this.choose(i); }
  }
}
