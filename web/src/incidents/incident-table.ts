/**
 * The incidents list: one row per incident as the API ordered it, each with a button that opens
 * the device's timeline over the same window in a row below (loaded when first opened). The
 * buttons are the keyboard route: Tab to one, Enter or Space to open or close it.
 */
import { duration, escapeHtml, when } from '../format.js';
import type { DeviceTimeline, IncidentRow } from '../views/views-api.js';
import { renderTimeline } from './device-timeline.js';

export interface TableOptions {
  areaName(id: string): string;
  /** the device's timeline over the list's window */
  timeline(device: string): Promise<DeviceTimeline>;
}

const COLS = 9;

export function renderIncidents(el: HTMLElement, rows: readonly IncidentRow[], opts: TableOptions): void {
  if (rows.length === 0) {
    el.innerHTML = '<p class="na-empty" data-incidents="0">No incidents match these filters in this window.</p>';
    return;
  }
  const body = rows.map((i, n) => `<tr data-incident="${n}" data-device="${escapeHtml(i.device)}">
      <th scope="row" class="na-row-head"><button type="button" class="na-expand" aria-expanded="false" aria-controls="na-tl-${n}" data-device="${escapeHtml(i.device)}"><span aria-hidden="true">▸</span> ${escapeHtml(i.device)}<span class="na-visually-hidden"> timeline</span></button></th>
      <td data-label="area" data-col="area">${escapeHtml(opts.areaName(i.impact.area))}</td>
      <td data-label="tech" data-col="tech">${i.impact.tech}</td>
      <td data-label="start" data-col="start" data-iso="${i.start}">${i.startsBeforeWindow ? 'before ' : ''}${escapeHtml(when(i.start))}</td>
      <td data-label="end" data-col="end" data-iso="${i.end ?? ''}">${i.ongoing ? '<strong class="na-state na-state--down">ongoing</strong>' : escapeHtml(when(i.end))}</td>
      <td class="n" data-label="duration" data-col="duration" data-ms="${i.duration_ms}">${duration(i.duration_ms / 1000)}</td>
      <td class="n" data-label="households" data-col="households">${i.impact.households}</td>
      <td class="n" data-label="clients" data-col="clients">${Math.round(i.impact.clients)}</td>
      <td class="n" data-label="impact" data-col="impact">${i.impact.impact_hours.toFixed(1)}</td>
    </tr>
    <tr class="na-detail" id="na-tl-${n}" hidden><td colspan="${COLS}"><div class="na-detail__body"></div></td></tr>`).join('');
  el.innerHTML = `<table class="na-table na-table--cards na-incidents-table" data-incidents="${rows.length}">
    <caption>${rows.length} incident${rows.length === 1 ? '' : 's'}; impact = households (fibre) or clients (wifi) × hours down</caption>
    <thead><tr><th scope="col">Device</th><th scope="col">Area</th><th scope="col">Tech</th><th scope="col">Start</th><th scope="col">End</th><th scope="col" class="n">Duration</th><th scope="col" class="n">Households</th><th scope="col" class="n">Clients</th><th scope="col" class="n">Impact (h)</th></tr></thead>
    <tbody>${body}</tbody></table>`;
  el.querySelectorAll<HTMLButtonElement>('button.na-expand').forEach((b) => b.addEventListener('click', () => void toggle(b, opts)));
}

async function toggle(button: HTMLButtonElement, opts: TableOptions): Promise<void> {
  const detail = document.getElementById(button.getAttribute('aria-controls')!)!;
  const open = button.getAttribute('aria-expanded') !== 'true';
  button.setAttribute('aria-expanded', String(open));
  button.querySelector('span[aria-hidden]')!.textContent = open ? '▾' : '▸';
  detail.hidden = !open;
  const body = detail.querySelector<HTMLElement>('.na-detail__body')!;
  if (!open || body.dataset['loaded'] === '1') return;
  body.textContent = 'Loading the timeline…';
  try {
    renderTimeline(body, await opts.timeline(button.dataset['device']!));
    body.dataset['loaded'] = '1';
  } catch (err) {
    body.innerHTML = `<p class="na-msg na-msg--error">Timeline unavailable: ${escapeHtml((err as Error).message)}</p>`;
  }
}
