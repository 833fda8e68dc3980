/**
 * The open-alerts count in the header (GET /api/alerts, every 30 s): a button saying how many
 * alerts are open; clicking it shows their list under the header. Text, not colour, carries the
 * state, and the list is a plain <ul> a screen reader can walk.
 */
import type { paths } from '../api-types.js';
import { escapeHtml } from '../format.js';

/** the /api/alerts answer, from the server's OpenAPI document (api-types.ts) */
type Alerts = paths['/api/alerts']['get']['responses'][200]['content']['application/json'];
type OpenAlert = Alerts['open'][number];

const REFRESH_MS = 30_000;

export function startAlertsBadge(header: HTMLElement, refreshMs = REFRESH_MS): () => void {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'na-alerts';
  button.setAttribute('aria-expanded', 'false');
  button.setAttribute('aria-controls', 'na-alerts-list');
  const list = document.createElement('section');
  list.id = 'na-alerts-list';
  list.className = 'na-alerts__list';
  list.setAttribute('aria-label', 'Open alerts');
  list.hidden = true;
  header.append(button, list);

  let alerts: OpenAlert[] = [];
  let failed = false;
  const render = (): void => {
    button.textContent = failed ? 'Alerts: unavailable' : alerts.length === 0 ? 'No open alerts' : `${alerts.length} open alert${alerts.length === 1 ? '' : 's'}`;
    button.dataset['count'] = String(alerts.length);
    list.innerHTML = alerts.length === 0
      ? '<p>No open alerts.</p>'
      : `<ul>${alerts.map((a) => `<li data-alert="${escapeHtml(a.id)}"><strong>${escapeHtml(a.summary)}</strong> <span>since ${escapeHtml(new Date(a.startedAt).toLocaleString())}</span></li>`).join('')}</ul>`;
  };

  const controller = new AbortController();
  const refresh = async (): Promise<void> => {
    try {
      const res = await fetch('/api/alerts?limit=0', { headers: { accept: 'application/json' }, signal: controller.signal });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      alerts = ((await res.json()) as Alerts).open;
      failed = false;
    } catch {
      if (controller.signal.aborted) return;
      failed = true;
    }
    render();
  };

  button.addEventListener('click', () => {
    list.hidden = !list.hidden;
    button.setAttribute('aria-expanded', String(!list.hidden));
    if (!list.hidden) void refresh();
  });
  // Escape closes the list from the button too: focus stays there after a click (the list has no
  // focusable items), so a listener on the list alone never heard it.
  const onKey = (e: KeyboardEvent): void => {
    if (e.key === 'Escape' && !list.hidden) { list.hidden = true; button.setAttribute('aria-expanded', 'false'); button.focus(); }
  };
  list.addEventListener('keydown', onKey);
  button.addEventListener('keydown', onKey);

  render();
  void refresh();
  const timer = setInterval(() => void refresh(), refreshMs);
  return () => {
    clearInterval(timer);
    controller.abort();
    button.remove();
    list.remove();
  };
}
