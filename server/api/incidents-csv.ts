/**
 * Incidents as CSV (GET /api/incidents?format=csv): one row per incident, in the order and with
 * the filters of the JSON answer, cells written by server/csv.ts (RFC 4180 quoting, formula
 * injection guarded). Durations in seconds and impact in households- or clients-hours, so a
 * spreadsheet sums them without parsing.
 */
import { csvRow } from '../csv.js';
import type { Incident } from '../status/index.js';

export const INCIDENT_CSV_HEAD = 'device,tech,area,area_name,start,end,duration_s,ongoing,households,clients,impact_hours,starts_before_window,ends_after_window';

export function incidentsCsv(incidents: readonly Incident[], areaName: (id: string) => string): string {
  const iso = (ms: number): string => new Date(ms).toISOString();
  const rows = incidents.map((i) => csvRow([
    i.device, i.impact.tech, i.impact.area, areaName(i.impact.area), iso(i.start), i.end === null ? '' : iso(i.end),
    i.duration_ms / 1000, i.ongoing, i.impact.households, i.impact.clients, i.impact.impact_hours,
    i.startsBeforeWindow, i.endsAfterWindow,
  ]));
  return [INCIDENT_CSV_HEAD, ...rows].join('\r\n') + '\r\n';
}
