/**
 * A bar chart per indicator: the region first, then each municipality, largest first, bars on a
 * 0–100 scale for percentages. Plain HTML and CSS (a list of rows, the bar a sized <span>), so the
 * numbers stay text for screen readers and the chart reflows at 360 px. An indicator no scope can
 * compute gets its "not available" reason instead of an empty chart.
 */
import type { DesiIndicator, DesiReport } from '../api.js';
import { scaleMax, valueText } from './desi-format.js';

interface Bar { scope: 'region' | 'area'; id: string; name: string; indicator: DesiIndicator }

function barRow(bar: Bar, max: number): HTMLLIElement {
  const li = document.createElement('li');
  li.className = `desi-bar desi-bar--${bar.scope}`;
  li.dataset['scope'] = bar.scope;
  li.dataset['id'] = bar.id;
  const name = document.createElement('span');
  name.className = 'desi-bar__name';
  name.textContent = bar.name;
  const track = document.createElement('span');
  track.className = 'desi-bar__track';
  track.setAttribute('aria-hidden', 'true');
  const v = bar.indicator.available ? bar.indicator.value : null;
  if (v !== null) {
    const fill = document.createElement('span');
    fill.className = 'desi-bar__fill';
    fill.style.width = `${Math.max(0, Math.min(100, (100 * v) / max))}%`;
    track.append(fill);
  }
  const value = document.createElement('span');
  value.className = 'desi-bar__value';
  value.dataset['value'] = v === null ? '' : String(v);
  value.textContent = v === null ? 'n/a' : valueText(bar.indicator);
  li.append(name, track, value);
  return li;
}

function chart(code: string, bars: Bar[]): HTMLElement {
  const first = bars[0]!.indicator;
  const fig = document.createElement('figure');
  fig.className = 'desi-chart';
  fig.dataset['code'] = code;
  const cap = document.createElement('figcaption');
  const title = document.createElement('strong');
  title.textContent = `${code} ${first.name}`;
  const def = document.createElement('span');
  def.className = 'desi-chart__definition';
  def.textContent = `${first.definition} Unit: ${first.unit}.`;
  cap.append(title, def);
  fig.append(cap);
  if (!bars.some((b) => b.indicator.available)) {
    const p = document.createElement('p');
    p.className = 'desi-chart__na';
    p.textContent = `Not available: ${first.reason ?? 'the data cannot support it'}.`;
    fig.append(p);
    return fig;
  }
  const [region, ...areas] = bars;
  // largest first; areas without a value last, by name
  areas.sort((a, b) => (b.indicator.value ?? -Infinity) - (a.indicator.value ?? -Infinity) || a.name.localeCompare(b.name));
  const max = scaleMax(first.unit, bars.flatMap((b) => (b.indicator.value === null ? [] : [b.indicator.value])));
  const list = document.createElement('ol');
  list.className = 'desi-bars';
  list.setAttribute('aria-label', `${code} by scope`);
  for (const b of [region!, ...areas]) list.append(barRow(b, max));
  fig.append(list);
  return fig;
}

/** one chart per indicator code, in the order of the region's indicators */
export function indicatorCharts(report: DesiReport): HTMLElement {
  const root = document.createElement('div');
  root.className = 'desi-charts';
  const region = report.scopes.find((s) => s.scope === 'region');
  const codes = (region ?? report.scopes[0])?.indicators.map((i) => i.code) ?? [];
  for (const code of codes) {
    const bars: Bar[] = [];
    for (const s of [...report.scopes].sort((a, b) => (a.scope === 'region' ? -1 : b.scope === 'region' ? 1 : 0))) {
      const indicator = s.indicators.find((i) => i.code === code);
      if (indicator) bars.push({ scope: s.scope, id: s.id, name: s.scope === 'region' ? 'Region' : s.name, indicator });
    }
    if (bars.length > 0) root.append(chart(code, bars));
  }
  return root;
}
