/**
 * The weekly SLA report: uptime per area and per technology (group uptime = Σ up / Σ (up + down),
 * the /api/uptime definition), the incidents of the week worst first, and the devices with the
 * lowest uptime. Pure: the caller reads the store.
 */
import { groupUptime, type UptimeResult } from '../analytics/uptime.js';
import type { UptimeRow } from '../analytics/body-schemas.js';
import type { Incident } from '../status/index.js';
import type { Area } from '../inventory/areas.js';
import type { Device } from '../../core/device.js';
import { csvRow } from '../csv.js';

/** an /api/uptime row (the same schema) with the grouping it belongs to */
export type SlaGroupRow = { scope: 'area' | 'tech' | 'region' } & UptimeRow;

export interface SlaReport {
  type: 'weekly-sla';
  period: string;
  from: string;
  to: string;
  generatedAt: string;
  groups: SlaGroupRow[];
  incidents: { device: string; area: string; tech: string; start: string; end: string | null; duration_ms: number; ongoing: boolean; impact_hours: number }[];
  worstDevices: { device: string; area: string; tech: string; uptime: number | null; down_ms: number; unknown_ms: number }[];
}

export interface SlaInput {
  period: { label: string; from: number; to: number };
  now: number;
  areas: readonly Area[];
  devices: readonly Device[];
  byDevice: ReadonlyMap<string, UptimeResult>;
  incidents: readonly Incident[];
  worst: number;
}

function row(scope: SlaGroupRow['scope'], key: string, name: string, members: readonly Device[], byDevice: ReadonlyMap<string, UptimeResult>): SlaGroupRow {
  const g = groupUptime(members.flatMap((d) => { const r = byDevice.get(d.id); return r ? [{ result: r }] : []; }));
  return { scope, key, name, devices: g.devices, up_ms: g.up_ms, down_ms: g.down_ms, unknown_ms: g.unknown_ms, maintenance_ms: g.maintenance_ms, uptime: g.uptime };
}

export function buildSlaReport(input: SlaInput): SlaReport {
  const { devices, byDevice } = input;
  const groups: SlaGroupRow[] = [row('region', '', 'region', devices, byDevice)];
  for (const a of [...input.areas].sort((x, y) => x.id.localeCompare(y.id))) groups.push(row('area', a.id, a.name, devices.filter((d) => d.area === a.id), byDevice));
  for (const tech of ['fibre', 'wifi'] as const) groups.push(row('tech', tech, tech, devices.filter((d) => d.tech === tech), byDevice));
  const iso = (t: number) => new Date(t).toISOString();
  const worst = devices
    .map((d) => ({ d, r: byDevice.get(d.id) }))
    .filter((x) => x.r !== undefined && x.r.uptime !== null && x.r.down_ms > 0)
    .sort((a, b) => a.r!.uptime! - b.r!.uptime! || b.r!.down_ms - a.r!.down_ms || a.d.id.localeCompare(b.d.id))
    .slice(0, input.worst)
    .map(({ d, r }) => ({ device: d.id, area: d.area, tech: d.tech, uptime: r!.uptime, down_ms: r!.down_ms, unknown_ms: r!.unknown_ms }));
  return {
    type: 'weekly-sla', period: input.period.label, from: iso(input.period.from), to: iso(input.period.to), generatedAt: iso(input.now),
    groups,
    incidents: input.incidents.map((i) => ({ device: i.device, area: i.impact.area, tech: i.impact.tech, start: iso(i.start), end: i.end === null ? null : iso(i.end), duration_ms: i.duration_ms, ongoing: i.ongoing, impact_hours: i.impact.impact_hours })),
    worstDevices: worst,
  };
}

export const SLA_CSV_HEADER = ['section', 'scope', 'key', 'name', 'devices', 'uptime', 'up_ms', 'down_ms', 'unknown_ms', 'maintenance_ms', 'start', 'end', 'duration_ms', 'impact_hours'] as const;

/** RFC 4180 CSV (server/csv.ts: text cells that could start a formula are escaped): the group rows, then incidents, then worst devices, one header for all. */
export function slaCsv(r: SlaReport): string {
  const lines = [SLA_CSV_HEADER.join(',')];
  for (const g of r.groups) lines.push(csvRow(['uptime', g.scope, g.key, g.name, g.devices, g.uptime, g.up_ms, g.down_ms, g.unknown_ms, g.maintenance_ms, '', '', '', '']));
  for (const i of r.incidents) lines.push(csvRow(['incident', 'device', i.device, i.area, 1, null, '', '', '', '', i.start, i.end, i.duration_ms, i.impact_hours]));
  for (const w of r.worstDevices) lines.push(csvRow(['worst', 'device', w.device, w.area, 1, w.uptime, '', w.down_ms, w.unknown_ms, '', '', '', '', '']));
  return lines.join('\r\n') + '\r\n';
}
