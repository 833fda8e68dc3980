/**
 * One device's timeline in the incidents list: its states over the window (GET /api/devices/:id/
 * timeline, decided by server/status) drawn as a bar, and its down, unknown and maintenance spans
 * written out, so colour is not the only carrier. The bar scales with its box (SVG viewBox), so it
 * fits a 360 px screen.
 */
import { duration, escapeHtml, when } from '../format.js';
import type { DeviceTimeline, StateSpan } from '../views/views-api.js';

const WIDTH = 1000;
const FILL: Record<StateSpan['state'], string> = { up: '#1a9850', down: '#d73027', unknown: '#9e9e9e', maintenance: '#1565c0' };

export function renderTimeline(el: HTMLElement, t: DeviceTimeline): void {
  const from = Date.parse(t.from), to = Date.parse(t.to);
  const span = Math.max(1, to - from);
  const x = (iso: string): number => ((Date.parse(iso) - from) / span) * WIDTH;
  const rects = t.spans.map((s) => `<rect x="${x(s.start).toFixed(2)}" width="${Math.max(0.5, x(s.end) - x(s.start)).toFixed(2)}" y="0" height="24" fill="${FILL[s.state]}" data-state="${s.state}" data-start="${s.start}" data-end="${s.end}"><title>${s.state}${s.reason ? ` (${escapeHtml(s.reason)})` : ''}: ${escapeHtml(when(s.start))} – ${escapeHtml(when(s.end))}</title></rect>`).join('');
  const notUp = t.spans.filter((s) => s.state !== 'up');
  const list = notUp.length === 0
    ? '<p class="na-note">Up all along the window.</p>'
    : `<ul class="na-spans">${notUp.map((s) => `<li data-state="${s.state}"><span class="na-state na-state--${s.state === 'maintenance' ? 'unknown' : s.state}">${s.state}</span>${s.reason ? ` (${escapeHtml(s.reason)})` : ''}: ${escapeHtml(when(s.start))} – ${escapeHtml(when(s.end))}, ${duration((Date.parse(s.end) - Date.parse(s.start)) / 1000)}</li>`).join('')}</ul>`;
  el.innerHTML = `<figure class="na-timeline" data-device="${escapeHtml(t.device)}">
      <svg viewBox="0 0 ${WIDTH} 24" preserveAspectRatio="none" role="img" aria-label="States of ${escapeHtml(t.device)} from ${escapeHtml(when(t.from))} to ${escapeHtml(when(t.to))}">${rects}</svg>
      <figcaption class="na-timeline__axis"><span>${escapeHtml(when(t.from))}</span><span>${escapeHtml(when(t.to))}</span></figcaption>
    </figure>${list}`;
}
