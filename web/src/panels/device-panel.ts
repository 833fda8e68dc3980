/**
 * The device panel: status, last seen, uptime over the window (from /api/uptime, the same figure
 * the API reports), the window's incidents, and a chart of the device's status over the window.
 */
import { api, type Window } from '../api.js';
import { duration, pct, when } from '../format.js';
import { lineChart } from './chart.js';
import { facts, message, section, type Panel } from './panel.js';

export async function showDevice(panel: Panel, id: string, w: Window, step: string): Promise<void> {
  const { body, signal } = panel.open(`Device ${id}`, 'device');
  body.dataset['device'] = id;
  try {
    const [detail, uptime, incidents, series] = await Promise.all([
      api.device(id, signal),
      api.deviceUptime(id, w, signal),
      api.incidents(w, { device: id }, signal),
      api.series(id, 'up', w, step, signal).catch((err: Error) => err),
    ]);
    if (signal.aborted) return;
    body.append(facts([
      ['Status', detail.status, 'status'],
      ['Technology', detail.tech === 'wifi' ? 'public wifi access point' : 'fibre node', 'tech'],
      ['Site', detail.site, 'site'],
      ['Area', detail.areaName ?? (detail.area !== '' ? detail.area : 'outside every area'), 'area'],
      ['Last seen', when(detail.lastSeen), 'last-seen'],
      ['Uptime in window', pct(uptime?.uptime ?? null, 2), 'uptime'],
      ['Down time', uptime ? duration(uptime.down_ms / 1000) : 'no data', 'down'],
      ['Unknown time', uptime ? duration(uptime.unknown_ms / 1000) : 'no data', 'unknown'],
    ]));

    const chart = section('Status over the window');
    if (series instanceof Error) chart.append(message(`Chart unavailable: ${series.message}`, 'error'));
    else chart.append(lineChart(series, { from: w.from, to: w.to, min: 0, max: 1, label: 'Share of time up', format: (v) => pct(v, 0) }));
    body.append(chart);

    const inc = section(`Incidents (${incidents.length})`);
    if (incidents.length === 0) inc.append(message('No outage in this window.'));
    else {
      const ul = document.createElement('ul');
      ul.className = 'na-incidents';
      for (const i of incidents.slice(0, 20)) {
        const li = document.createElement('li');
        li.textContent = i.ongoing
          ? `down since ${when(i.start)} (ongoing, ${duration(i.duration_ms / 1000)})`
          : `${when(i.start)}: down ${duration(i.duration_ms / 1000)}`;
        ul.append(li);
      }
      inc.append(ul);
      if (incidents.length > 20) inc.append(message(`and ${incidents.length - 20} more`));
    }
    body.append(inc);
  } catch (err) {
    if (!signal.aborted) body.append(message(`Could not load device ${id}: ${(err as Error).message}`, 'error'));
  } finally {
    body.removeAttribute('aria-busy');
  }
}
