/**
 * Overview panel: the collectors', broker's and the rest of the service's health, as
 * GET /api/health gives it (each component ok or degraded, with its detail sentence).
 * Collectors and broker first: they decide whether the status shown can be trusted.
 */
import { escapeHtml } from '../format.js';
import { healthComponents, type Health } from '../views/views-api.js';

const FIRST = ['collectors', 'broker', 'pipeline', 'store'];

export function renderHealth(el: HTMLElement, h: Health): void {
  const parts = healthComponents(h).sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
  const items = parts.map(([name, c]) => `<li data-component="${escapeHtml(name)}" data-ok="${c.ok}">
      <strong>${escapeHtml(name)}</strong>: <span class="na-state na-state--${c.ok ? 'ok' : 'degraded'}">${c.ok ? 'ok' : 'degraded'}</span>
      ${c.detail ? `<br><span class="na-note">${escapeHtml(String(c.detail))}</span>` : ''}
    </li>`).join('');
  el.innerHTML = `<p data-health="${h.status}">Service: <span class="na-state na-state--${h.status === 'ok' ? 'ok' : 'degraded'}">${h.status}</span></p>
    <ul class="na-health">${items}</ul>`;
}

function rank(name: string): number {
  const i = FIRST.indexOf(name);
  return i < 0 ? FIRST.length : i;
}
