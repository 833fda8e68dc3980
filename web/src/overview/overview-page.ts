/**
 * The operators' overview (/overview): current status counts, uptime over 24 h and 30 d, the open
 * incidents by impact, the five worst areas and the service's health, each panel from its API
 * answer. Live: status events (/api/events) update the counts at once and, a moment later, the
 * panels that depend on them. `data-ready` on <html> is set once every panel has drawn (tests wait
 * on it), `data-live` says whether the event stream is connected.
 */
import '../styles.css';
import '../views/views.css';
import { mountNav } from '../nav.js';
import { connectLive } from '../live.js';
import { apiUrl } from '../api.js';
import { incidentParams, viewsApi, type DeviceRow, type IncidentQuery } from '../views/views-api.js';
import { StatusCounts } from './status-counts.js';
import { renderUptime } from './uptime-panel.js';
import { renderOpenIncidents } from './open-incidents.js';
import { renderWorstAreas } from './worst-areas.js';
import { renderHealth } from './health-panel.js';

const DAY_MS = 86_400_000;
/** open incidents are looked for in the last week: one that began earlier shows "before" its start */
const INCIDENT_DAYS = 7;
const OPEN_INCIDENTS_SHOWN = 10;
/** panels that follow status changes are redrawn at most this often */
const REFRESH_MS = 3000;

const status = document.getElementById('na-status')!;
const panel = (id: string): HTMLElement => document.getElementById(id)!;
const say = (text: string, kind: 'note' | 'error' = 'note'): void => { status.textContent = text; status.dataset['kind'] = kind; };
const isoAgo = (now: number, ms: number): string => new Date(now - ms).toISOString();

const counts = new StatusCounts(panel('ov-counts'));
let devices: DeviceRow[] = [];
let areaNames = new Map<string, string>();

/**
 * Runs one panel's load; a failure is said in the panel and does not stop the others. `sources`
 * (the API URLs the panel shows) go to its data-source, so a test can ask the API the same.
 */
async function load(el: HTMLElement, what: string, run: () => Promise<void>, sources: readonly string[] = []): Promise<void> {
  el.setAttribute('aria-busy', 'true');
  el.dataset['source'] = sources.join(' ');
  // a redraw replaces the panel's links: a keyboard user's focus goes back to the same link
  const focused = el.contains(document.activeElement) ? (document.activeElement as HTMLElement).getAttribute('href') : null;
  try {
    await run();
    if (focused) el.querySelector<HTMLElement>(`a[href="${CSS.escape(focused)}"]`)?.focus();
  } catch (err) {
    el.innerHTML = `<p class="na-msg na-msg--error">${what} unavailable: ${(err as Error).message}</p>`;
  } finally {
    el.removeAttribute('aria-busy');
  }
}

const downNow = (area: string): number => devices.filter((d) => d.area === area && d.status === 'down').length;

async function loadDevices(): Promise<void> {
  await load(panel('ov-counts'), 'Status counts', async () => { devices = await viewsApi.devices(); counts.set(devices); }, ['/api/devices']);
}

async function loadUptime(now: number): Promise<void> {
  const [day, month, to] = [isoAgo(now, DAY_MS), isoAgo(now, 30 * DAY_MS), isoAgo(now, 0)];
  await Promise.all([
    load(panel('ov-uptime'), 'Uptime', async () => {
      const [d, m] = await Promise.all([viewsApi.uptime('tech', day, to), viewsApi.uptime('tech', month, to)]);
      renderUptime(panel('ov-uptime'), { day: d, month: m });
    }, [apiUrl('/api/uptime', { from: day, to, groupBy: 'tech' }), apiUrl('/api/uptime', { from: month, to, groupBy: 'tech' })]),
    load(panel('ov-worst'), 'Worst areas', async () => {
      const areas = await viewsApi.uptime('area', day, to);
      areaNames = new Map(areas.map((a) => [a.key, a.name]));
      renderWorstAreas(panel('ov-worst'), areas, downNow);
    }, [apiUrl('/api/uptime', { from: day, to, groupBy: 'area' })]),
  ]);
}

async function loadIncidents(now: number): Promise<void> {
  // no `to`: the window runs to the server's now, the only window in which a run is ongoing
  const q: IncidentQuery = { from: isoAgo(now, INCIDENT_DAYS * DAY_MS), ongoing: 'true', sort: 'impact', limit: OPEN_INCIDENTS_SHOWN };
  await load(panel('ov-incidents'), 'Open incidents', async () => {
    renderOpenIncidents(panel('ov-incidents'), await viewsApi.incidents(q), (id) => areaNames.get(id) ?? id, INCIDENT_DAYS);
  }, [apiUrl('/api/incidents', incidentParams(q))]);
}

async function loadHealth(): Promise<void> {
  await load(panel('ov-health'), 'Health', async () => renderHealth(panel('ov-health'), await viewsApi.health()), ['/api/health']);
}

/** Everything but the counts, which live events keep current by themselves. */
async function refreshDependents(): Promise<void> {
  const now = Date.now();
  await loadUptime(now);
  await Promise.all([loadIncidents(now), loadHealth()]);
  document.documentElement.dataset['refreshed'] = String(Date.now());
}

let timer: ReturnType<typeof setTimeout> | undefined;
function scheduleRefresh(): void {
  if (timer !== undefined) return;
  timer = setTimeout(() => { timer = undefined; void refreshDependents(); }, REFRESH_MS);
}

async function main(): Promise<void> {
  mountNav('overview');
  await loadDevices();
  // area names first (the incidents panel names areas), then the rest side by side
  const now = Date.now();
  await loadUptime(now);
  await Promise.all([loadIncidents(now), loadHealth()]);
  document.documentElement.dataset['ready'] = '1';

  connectLive('/api/events', {
    onChange: (c) => {
      const d = devices.find((x) => x.id === c.device);
      if (d) d.status = c.status;
      if (!counts.update(c.device, c.status)) void loadDevices();
      scheduleRefresh();
    },
    onReconnect: () => { void loadDevices().then(refreshDependents); },
    onState: (connected) => {
      document.documentElement.dataset['live'] = connected ? 'connected' : 'reconnecting';
      panel('ov-live').textContent = connected ? 'Live: updates as devices change.' : 'Live updates interrupted; reconnecting…';
    },
  });
}

main().catch((err: Error) => say(`The overview failed to start: ${err.message}`, 'error'));
