/**
 * The incidents view (/incidents): incidents of the chosen window filtered by area, technology
 * and ongoing, sorted by start, duration or impact (the server filters and sorts:
 * GET /api/incidents), each row opening its device's timeline, and a CSV link for exactly the
 * list shown (the same query with format=csv). `data-ready` on <html> is set when the list for
 * the current filters is drawn (tests wait on it); `data-query` is the API query it shows. Live
 * status events are counted in a refresh button rather than redrawing the list by themselves.
 */
import '../styles.css';
import '../views/views.css';
import './incidents.css';
import { apiUrl } from '../api.js';
import { mountNav } from '../nav.js';
import { connectLive } from '../live.js';
import { incidentParams, viewsApi, type UptimeGroup } from '../views/views-api.js';
import { apiQuery, fillForm, filtersFrom, filtersOfForm, filtersQuery, type Filters } from './incident-filters.js';
import { renderIncidents } from './incident-table.js';

const status = document.getElementById('na-status')!;
const form = document.getElementById('in-filters') as HTMLFormElement;
const list = document.getElementById('in-list')!;
const csv = document.getElementById('in-csv') as HTMLAnchorElement;
const refresh = document.getElementById('in-refresh') as HTMLButtonElement;
const say = (text: string, kind: 'note' | 'error' = 'note'): void => { status.textContent = text; status.dataset['kind'] = kind; };

let areas: UptimeGroup[] = [];
let loading: AbortController | null = null;

async function show(f: Filters): Promise<void> {
  loading?.abort();
  refresh.hidden = true;
  const ctl = new AbortController();
  loading = ctl;
  const q = apiQuery(f, Date.now());
  const params = incidentParams(q);
  csv.href = apiUrl('/api/incidents', { ...params, format: 'csv' });
  delete document.documentElement.dataset['ready'];
  list.setAttribute('aria-busy', 'true');
  try {
    const rows = await viewsApi.incidents(q, ctl.signal);
    const names = new Map(areas.map((a) => [a.key, a.name]));
    renderIncidents(list, rows, {
      areaName: (id) => names.get(id) ?? (id === '' ? 'outside every area' : id),
      timeline: (device) => viewsApi.timeline(device, q.from),
    });
    document.documentElement.dataset['query'] = apiUrl('/api/incidents', params);
    document.documentElement.dataset['ready'] = '1';
  } catch (err) {
    if ((err as Error).name === 'AbortError') return;
    list.innerHTML = '';
    say(`Incidents unavailable: ${(err as Error).message}`, 'error');
  } finally {
    if (loading === ctl) list.removeAttribute('aria-busy');
  }
}

async function main(): Promise<void> {
  mountNav('incidents');
  const now = Date.now();
  // the area names for the filter and the list (every area is listed, devices or not)
  areas = await viewsApi.uptime('area', new Date(now - 3_600_000).toISOString(), new Date(now).toISOString())
    .catch((err: Error) => { say(`Area names unavailable: ${err.message}`, 'error'); return []; });
  let filters = filtersFrom(location.search);
  fillForm(form, filters, areas);
  form.addEventListener('change', () => {
    filters = filtersOfForm(form);
    history.replaceState(null, '', `${location.pathname}${filtersQuery(filters)}`);
    void show(filters);
  });
  form.addEventListener('submit', (e) => e.preventDefault());
  await show(filters);

  // Status changes are announced, not applied: redrawing the list under a reader would close the
  // timelines they opened and take their keyboard focus away. The button redraws it.
  let changes = 0;
  refresh.addEventListener('click', () => { changes = 0; refresh.hidden = true; void show(filters); });
  connectLive('/api/events', {
    onChange: () => {
      changes++;
      refresh.textContent = `${changes} status change${changes === 1 ? '' : 's'} since this list was drawn: refresh`;
      refresh.hidden = false;
    },
    onReconnect: () => { refresh.hidden = false; },
    onState: (connected) => { document.documentElement.dataset['live'] = connected ? 'connected' : 'reconnecting'; },
  });
}

main().catch((err: Error) => say(`The incidents view failed to start: ${err.message}`, 'error'));
