/**
 * The area panel: the area's coverage and uptime (from the choropleth's data, the same window),
 * its DESI indicators for the period containing the window's end, and the DESI CSV download.
 */
import { api, type AreaProps, type DesiIndicator, type Window } from '../api.js';
import { pct } from '../format.js';
import { facts, message, section, type Panel } from './panel.js';

/** the calendar quarter containing `ms`, as the DESI report's `period` (e.g. 2026-Q3) */
export function quarterOf(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-Q${Math.floor(d.getUTCMonth() / 3) + 1}`;
}

function indicatorValue(i: DesiIndicator): string {
  if (!i.available || i.value === null) return `not available${i.reason ? `: ${i.reason}` : ''}`;
  // units are '%' or '% of households': one decimal, as the facts above
  return i.unit.startsWith('%') ? `${i.value.toFixed(1)} ${i.unit}` : `${i.value} ${i.unit}`;
}

export async function showArea(panel: Panel, area: AreaProps, w: Window): Promise<void> {
  const { body, signal } = panel.open(area.name, 'area');
  body.dataset['area'] = area.id;
  body.append(facts([
    ['Households', `${area.households.toLocaleString()}${area.householdsEstimated ? ' (estimated)' : ''}`, 'households'],
    ['Fibre coverage (as built)', pct(area.fibreCoverage), 'fibre'],
    ['Fibre coverage (live)', pct(area.fibreCoverageLive), 'fibre-live'],
    ['Wifi area coverage', pct(area.wifiAreaCoverage), 'wifi-area'],
    ['Wifi population coverage', pct(area.wifiPopulationCoverage), 'wifi-population'],
    ['Uptime in window', pct(area.uptime, 2), 'uptime'],
  ]));
  const period = quarterOf(w.to);
  const desi = section(`DESI indicators, ${period}`);
  const link = document.createElement('a');
  link.href = api.desiCsvUrl(period);
  link.download = `desi-${period}.csv`;
  link.className = 'na-download';
  link.textContent = `Download the DESI report for ${period} (CSV)`;
  // every municipality side by side, with charts: the DESI view (web/src/desi/)
  const view = document.createElement('a');
  view.href = `/desi?period=${encodeURIComponent(period)}`;
  view.className = 'na-desi-view';
  view.textContent = `All areas in the DESI report view (${period})`;
  desi.append(link, ' ', view);
  body.append(desi);
  try {
    const report = await api.desi(period, signal);
    if (signal.aborted) return;
    const scope = report.scopes.find((s) => s.scope === 'area' && s.id === area.id);
    if (!scope) desi.append(message('No DESI figures for this area in this period.'));
    else {
      const table = document.createElement('table');
      table.className = 'na-desi';
      table.innerHTML = '<thead><tr><th scope="col">Code</th><th scope="col">Indicator</th><th scope="col">Value</th></tr></thead>';
      const tbody = document.createElement('tbody');
      for (const i of scope.indicators) {
        const tr = document.createElement('tr');
        for (const [text, title] of [[i.code, ''], [i.name, i.definition], [indicatorValue(i), `completeness ${pct(i.completeness)}`]] as const) {
          const td = document.createElement('td');
          td.textContent = text;
          if (title) td.title = title;
          tr.append(td);
        }
        tbody.append(tr);
      }
      table.append(tbody);
      desi.insertBefore(table, link);
    }
  } catch (err) {
    if (!signal.aborted) desi.insertBefore(message(`DESI indicators unavailable: ${(err as Error).message}`, 'error'), link);
  } finally {
    body.removeAttribute('aria-busy');
  }
}
