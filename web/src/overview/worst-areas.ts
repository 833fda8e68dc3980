/**
 * Overview panel: the five areas with the lowest uptime over the last 24 h (GET /api/uptime
 * ?groupBy=area), ties broken by the longer down time; areas with nothing known (uptime null)
 * are not ranked. Each shows its down time and how many of its devices are down now.
 */
import { duration, escapeHtml, pct } from '../format.js';
import type { UptimeGroup } from '../views/views-api.js';

export const WORST_AREAS = 5;

export function worstAreas(rows: readonly UptimeGroup[], n = WORST_AREAS): UptimeGroup[] {
  return rows.filter((r) => r.uptime !== null)
    .sort((a, b) => a.uptime! - b.uptime! || b.down_ms - a.down_ms || a.key.localeCompare(b.key))
    .slice(0, n);
}

export function renderWorstAreas(el: HTMLElement, rows: readonly UptimeGroup[], downNow: (area: string) => number): void {
  const worst = worstAreas(rows);
  if (worst.length === 0) {
    el.innerHTML = '<p class="na-empty">No area had any device known up or down in the last 24 h.</p>';
    return;
  }
  const body = worst.map((r) => `<tr data-area="${escapeHtml(r.key)}">
      <th scope="row" class="na-row-head"><a href="/incidents?area=${encodeURIComponent(r.key)}">${escapeHtml(r.name)}</a></th>
      <td class="n" data-label="uptime 24 h" data-uptime>${pct(r.uptime, 2)}</td>
      <td class="n" data-label="down time">${duration(r.down_ms / 1000)}</td>
      <td class="n" data-label="down now" data-down-now>${downNow(r.key)} of ${r.devices}</td>
    </tr>`).join('');
  el.innerHTML = `<table class="na-table na-table--cards"><caption>Lowest uptime over the last 24 h</caption>
    <thead><tr><th scope="col">Area</th><th scope="col" class="n">Uptime 24 h</th><th scope="col" class="n">Down time</th><th scope="col" class="n">Devices down now</th></tr></thead>
    <tbody>${body}</tbody></table>`;
}
