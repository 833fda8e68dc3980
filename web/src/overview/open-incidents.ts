/**
 * Overview panel: the incidents still open, worst first by impact (GET /api/incidents with
 * ongoing=true&sort=impact: households × hours for fibre nodes, clients × hours for wifi APs, as
 * the server ranks them), with the households and clients each one cuts off.
 */
import { duration, escapeHtml, when } from '../format.js';
import type { IncidentRow } from '../views/views-api.js';

export function renderOpenIncidents(el: HTMLElement, rows: readonly IncidentRow[], areaName: (id: string) => string, windowDays: number): void {
  if (rows.length === 0) {
    el.innerHTML = `<p class="na-empty" data-open-incidents="0">No open incidents.</p>`;
    return;
  }
  const body = rows.map((i) => `<tr data-incident="${escapeHtml(i.device)}">
      <th scope="row" class="na-row-head"><a href="/incidents?ongoing=true&amp;area=${encodeURIComponent(i.impact.area)}">${escapeHtml(i.device)}</a></th>
      <td data-label="area">${escapeHtml(areaName(i.impact.area))}</td>
      <td data-label="tech">${i.impact.tech}</td>
      <td data-label="since">${i.startsBeforeWindow ? `before ${escapeHtml(when(i.start))}` : escapeHtml(when(i.start))}</td>
      <td class="n" data-label="for">${duration(i.duration_ms / 1000)}</td>
      <td class="n" data-label="households" data-households>${i.impact.households}</td>
      <td class="n" data-label="clients" data-clients>${Math.round(i.impact.clients)}</td>
    </tr>`).join('');
  el.innerHTML = `<table class="na-table na-table--cards" data-open-incidents="${rows.length}">
    <caption>Worst first: households (fibre) or clients (wifi) × hours down; looked back ${windowDays} days</caption>
    <thead><tr><th scope="col">Device</th><th scope="col">Area</th><th scope="col">Tech</th><th scope="col">Since</th><th scope="col" class="n">For</th><th scope="col" class="n">Households</th><th scope="col" class="n">Clients</th></tr></thead>
    <tbody>${body}</tbody></table>`;
}
