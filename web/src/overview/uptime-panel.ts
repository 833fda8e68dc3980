/**
 * Overview panel: uptime over the last 24 h and 30 d per technology (GET /api/uptime?groupBy=tech)
 * and for the region. The region's figure is the same group sum the server makes for a group
 * (README "Definitions": Σ up / Σ (up + down), unknown and maintenance excluded), over the two
 * technology rows, which together hold every device.
 */
import { pct } from '../format.js';
import type { UptimeGroup } from '../views/views-api.js';

export interface UptimeWindows {
  day: readonly UptimeGroup[];
  month: readonly UptimeGroup[];
}

/** Σ up / Σ (up + down) of the rows; null when nothing was known */
export function regionUptime(rows: readonly UptimeGroup[]): number | null {
  const up = rows.reduce((n, r) => n + r.up_ms, 0);
  const down = rows.reduce((n, r) => n + r.down_ms, 0);
  return up + down > 0 ? up / (up + down) : null;
}

const LABEL: Record<string, string> = { fibre: 'Fibre nodes', wifi: 'Public wifi APs' };

export function renderUptime(el: HTMLElement, w: UptimeWindows): void {
  const month = new Map(w.month.map((r) => [r.key, r]));
  const cell = (key: string, span: '24h' | '30d', v: number | null): string =>
    `<td class="n" data-label="${span === '24h' ? '24 h' : '30 d'}" data-uptime="${key}-${span}">${pct(v, 2)}</td>`;
  const rows = [
    `<tr data-group="region"><th scope="row" class="na-row-head">Region</th>${cell('region', '24h', regionUptime(w.day))}${cell('region', '30d', regionUptime(w.month))}</tr>`,
    ...w.day.map((r) => `<tr data-group="${r.key}"><th scope="row" class="na-row-head">${LABEL[r.key] ?? r.key}</th>${cell(r.key, '24h', r.uptime)}${cell(r.key, '30d', month.get(r.key)?.uptime ?? null)}</tr>`),
  ].join('');
  el.innerHTML = `<table class="na-table na-table--cards"><caption>Up time / (up + down) time; unknown and maintenance time count in neither</caption>
    <thead><tr><th scope="col">Uptime</th><th scope="col" class="n">24 h</th><th scope="col" class="n">30 d</th></tr></thead><tbody>${rows}</tbody></table>`;
}
