/**
 * The public status page as one server-rendered HTML document: no script, no map and no base
 * tiles, so it reads with JavaScript off, on a 360 px phone and from the keyboard (its only
 * interactive elements are links). Everything shown comes from the PublicStatus object that
 * /api/public/status.json serves, so the two cannot disagree.
 */
import type { ComponentStatus, PublicStatus } from './status-summary.js';

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const LABEL: Record<ComponentStatus, string> = {
  operational: 'Operational',
  degraded_performance: 'Degraded performance',
  partial_outage: 'Partial outage',
  major_outage: 'Major outage',
};
const TECH: Record<string, string> = { fibre: 'Fibre', wifi: 'Public wifi' };

export function statusLabel(s: ComponentStatus | null): string {
  return s ? LABEL[s] : 'No current data';
}

const when = (iso: string): string => iso.replace('T', ' ').replace(/:\d\d\.\d+Z$/, ' UTC');

function durationText(startIso: string, endIso: string): string {
  const min = Math.round((Date.parse(endIso) - Date.parse(startIso)) / 60_000);
  return min < 60 ? `${min} min` : `${Math.floor(min / 60)} h ${min % 60} min`;
}

export function renderStatusPage(s: PublicStatus, links: { json: string; datasets?: string }): string {
  const rows = s.components.map((c) => `
        <tr data-component="${esc(c.id)}">
          <th scope="row">${esc(c.areaName)}</th>
          <td>${esc(TECH[c.tech] ?? c.tech)}</td>
          <td><span class="state ${esc(c.status ?? 'unknown')}" data-status="${esc(c.status ?? '')}">${esc(statusLabel(c.status))}</span></td>
          <td class="n">${c.devices.up} / ${c.devices.down} / ${c.devices.unknown}</td>
        </tr>`).join('');
  const incidents = s.incidents.length === 0
    ? `<p>No incidents in the last ${s.history.days} days.</p>`
    : `<ol class="incidents">${s.incidents.map((i) => `
        <li data-incident="${esc(`${i.area}/${i.tech}/${i.start}`)}">
          <strong>${esc(TECH[i.tech] ?? i.tech)} in ${esc(i.areaName)}</strong> — ${i.ongoing ? '<em>ongoing</em>' : 'resolved'}<br>
          ${esc(when(i.start))} – ${i.end ? `${esc(when(i.end))} (${durationText(i.start, i.end)})` : 'now'};
          ${i.outages} ${i.outages === 1 ? 'outage' : 'overlapping outages'}${i.households > 0 ? `, ${i.households} households` : ''}
        </li>`).join('')}
      </ol>`;
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${esc(s.page.title)}</title>
  <link rel="icon" href="data:,">
  <style>
    body { font: 16px/1.45 system-ui, sans-serif; margin: 0 auto; padding: 1rem; max-width: 60rem; color: #1b1b1b; }
    h1 { font-size: 1.5rem; margin: 0 0 .5rem; }
    .overall { padding: .75rem 1rem; border-radius: 6px; background: #e8f5e9; font-weight: 600; }
    .overall.minor { background: #fff8e1; } .overall.major { background: #ffe0b2; } .overall.critical { background: #ffcdd2; } .overall.unknown { background: #eceff1; }
    table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
    th, td { text-align: left; padding: .4rem .5rem; border-bottom: 1px solid #ddd; vertical-align: top; }
    th, td { overflow-wrap: break-word; }
    .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
    td.n { white-space: nowrap; font-variant-numeric: tabular-nums; }
    .state { font-weight: 600; }
    .operational { color: #1b5e20; } .degraded_performance { color: #8d6e00; } .partial_outage { color: #bf360c; } .major_outage { color: #b71c1c; } .unknown { color: #455a64; }
    .incidents { padding-left: 1.2rem; } .incidents li { margin-bottom: .6rem; }
    a:focus-visible { outline: 3px solid #0d47a1; outline-offset: 2px; }
    /* a phone: one card per component (area; service and status; counts) instead of four columns */
    @media (max-width: 480px) {
      body { padding: .5rem; }
      thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
      tr { display: grid; grid-template-columns: 1fr 1fr; border-bottom: 1px solid #ddd; padding: .3rem 0; }
      th, td { border: 0; padding: .1rem .25rem; }
      th[scope="row"] { grid-column: 1 / -1; }
      td.n { grid-column: 1 / -1; color: #455a64; }
      td.n::before { content: "Up / down / unknown: "; }
    }
  </style>
</head>
<body>
  <main>
    <h1>${esc(s.page.title)}</h1>
    <p class="overall ${esc(s.status.indicator)}" data-indicator="${esc(s.status.indicator)}">${esc(s.status.description)}</p>
    <p>Updated ${esc(when(s.page.updated_at))}. States are counted per area and technology; a device without recent data is counted as unknown, never as down.</p>
    <h2>Current status</h2>
    <table>
      <caption class="visually-hidden">Status by area and technology; devices up / down / unknown</caption>
      <thead><tr><th scope="col">Area</th><th scope="col">Service</th><th scope="col">Status</th><th scope="col">Up / down / unknown</th></tr></thead>
      <tbody>${rows}
      </tbody>
    </table>
    <h2>Incidents, last ${s.history.days} days</h2>
    ${incidents}
    <p><a href="${esc(links.json)}">This page as JSON</a>${links.datasets ? ` · <a href="${esc(links.datasets)}">Open data</a>` : ''}</p>
  </main>
</body>
</html>
`;
}
