/**
 * A small SVG line chart of one series over the window: no chart library, a title and a text
 * summary for screen readers, gaps (null values) left as gaps rather than drawn as zero.
 */
export interface ChartPoint {
  time: number;
  value: number | null;
}

export interface ChartOptions {
  from: number;
  to: number;
  /** y range; computed from the data when absent */
  min?: number;
  max?: number;
  label: string;
  format: (v: number) => string;
  widthPx?: number;
  heightPx?: number;
}

const NS = 'http://www.w3.org/2000/svg';

function el<K extends keyof SVGElementTagNameMap>(name: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

export function lineChart(points: readonly ChartPoint[], o: ChartOptions): SVGSVGElement {
  const w = o.widthPx ?? 300;
  const h = o.heightPx ?? 90;
  const pad = { l: 34, r: 6, t: 6, b: 16 };
  const values = points.map((p) => p.value).filter((v): v is number => v !== null && Number.isFinite(v));
  const min = o.min ?? (values.length ? Math.min(...values) : 0);
  const max0 = o.max ?? (values.length ? Math.max(...values) : 1);
  const max = max0 === min ? min + 1 : max0;
  const x = (t: number): number => pad.l + ((t - o.from) / Math.max(1, o.to - o.from)) * (w - pad.l - pad.r);
  const y = (v: number): number => pad.t + (1 - (v - min) / (max - min)) * (h - pad.t - pad.b);

  const svg = el('svg', { viewBox: `0 0 ${w} ${h}`, width: '100%', role: 'img', class: 'na-chart' });
  const summary = values.length
    ? `${o.label}: ${values.length} points, from ${o.format(Math.min(...values))} to ${o.format(Math.max(...values))}`
    : `${o.label}: no data in this window`;
  const titleEl = el('title', {});
  titleEl.textContent = summary;
  svg.append(titleEl);
  svg.setAttribute('aria-label', summary);
  svg.append(el('line', { x1: pad.l, x2: w - pad.r, y1: y(min), y2: y(min), class: 'na-chart__axis' }));
  for (const v of [min, max]) {
    const t = el('text', { x: pad.l - 4, y: y(v) + 4, 'text-anchor': 'end', class: 'na-chart__tick' });
    t.textContent = o.format(v);
    svg.append(t);
  }
  let d = '';
  let pen = false;
  for (const p of points) {
    if (p.value === null || !Number.isFinite(p.value) || !Number.isFinite(p.time)) { pen = false; continue; }
    d += `${pen ? 'L' : 'M'}${x(p.time).toFixed(1)},${y(p.value).toFixed(1)}`;
    pen = true;
  }
  svg.append(el('path', { d: d || 'M0,0', class: 'na-chart__line', fill: 'none' }));
  if (!values.length) {
    const t = el('text', { x: w / 2, y: h / 2, 'text-anchor': 'middle', class: 'na-chart__empty' });
    t.textContent = 'no data';
    svg.append(t);
  }
  return svg;
}
