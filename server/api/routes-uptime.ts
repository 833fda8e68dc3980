/**
 * Uptime (grouped by device, site, area or technology) and incidents. Device state, uptime and
 * incidents come from server/status (group sums from server/analytics/uptime.ts); this module
 * only adds the APs' client counts to their incidents' impact and shapes JSON.
 */
import type { Request, Response } from 'express';
import { z } from 'zod';
import { rankByImpact, type Incident } from '../status/index.js';
import { groupUptime, groupUptimeRatio, type UptimeResult } from '../analytics/uptime.js';
import type { GroupTimes, UptimeGroupTag } from '../status/group-uptimes.js';
import { INCIDENT_JSON, UPTIME_ROW, type IncidentJson, type UptimeRow } from '../analytics/body-schemas.js';
import type { Device } from '../../core/device.js';
import { badParameter } from '../errors.js';
import type { ApiDeps } from './deps.js';
import { clientImpactOf, groupedUptimesOf, incidentsOf, uptimesOf } from './live-reads.js';
import { DAY_MS, intParam, iso, parseQuery, resolveWindow, windowShape } from './params.js';
import { COMMON_ERRORS, type RouteSpec } from './route-table.js';
import { incidentsCsv } from './incidents-csv.js';

/** uptime reads hourly rollups, kept 5 years (the default long retention) */
export const MAX_UPTIME_WINDOW_MS = 1825 * DAY_MS;
/** incidents need raw samples */
export const MAX_INCIDENT_WINDOW_MS = 93 * DAY_MS;

const uptimeQuery = {
  ...windowShape,
  groupBy: z.enum(['device', 'site', 'area', 'tech']).default('device'),
  weight: z.enum(['time', 'households']).default('time'),
};
const incidentQuery = {
  ...windowShape,
  device: z.string().max(200).optional(),
  area: z.string().max(200).optional(),
  tech: z.enum(['fibre', 'wifi']).optional(),
  ongoing: z.enum(['true', 'false']).optional(),
  sort: z.enum(['start', 'duration', 'impact']).default('start'),
  order: z.enum(['asc', 'desc']).optional(),
  limit: intParam(1, 10_000).default(1000),
  format: z.enum(['json', 'csv']).default('json'),
};

export type { UptimeRow };

/** The devices by group key, every area and both technologies listed even without devices. */
function groupMembers(deps: ApiDeps, devices: readonly Device[], groupBy: 'device' | 'site' | 'area' | 'tech'): Map<string, Device[]> {
  const inv = deps.inventory();
  const keyOf = (d: Device): string => (groupBy === 'device' ? d.id : groupBy === 'site' ? d.site : groupBy === 'area' ? d.area : d.tech);
  const groups = new Map<string, Device[]>();
  // every area and both technologies are listed, even without devices (uptime null)
  if (groupBy === 'area') for (const a of inv.areas) groups.set(a.id, []);
  if (groupBy === 'tech') { groups.set('fibre', []); groups.set('wifi', []); }
  for (const d of devices) {
    const k = keyOf(d);
    const list = groups.get(k);
    if (list) list.push(d); else groups.set(k, [d]);
  }
  return groups;
}

function groupName(deps: ApiDeps, groupBy: 'device' | 'site' | 'area' | 'tech', key: string): string {
  return groupBy === 'area' ? (key === '' ? 'outside every area' : deps.inventory().area(key)?.name ?? key) : key;
}

function byKey(a: UptimeRow, b: UptimeRow): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

export function groupRows(deps: ApiDeps, devices: readonly Device[], byDevice: ReadonlyMap<string, UptimeResult>, groupBy: 'device' | 'site' | 'area' | 'tech', weight: 'time' | 'households'): UptimeRow[] {
  const rows: UptimeRow[] = [];
  for (const [key, members] of groupMembers(deps, devices, groupBy)) {
    const g = groupUptime(members.map((d) => ({ result: byDevice.get(d.id)!, ...(d.householdsPassed !== undefined ? { householdsPassed: d.householdsPassed } : {}) })), weight);
    rows.push({ key, name: groupName(deps, groupBy, key), devices: g.devices, up_ms: g.up_ms, down_ms: g.down_ms, unknown_ms: g.unknown_ms, maintenance_ms: g.maintenance_ms, uptime: g.uptime });
  }
  return rows.sort(byKey);
}

/** groupRows with weight 'time' from the groups' sums (status/group-uptimes.ts) instead of per-device results: the same rows. */
export function groupRowsOfTotals(deps: ApiDeps, devices: readonly Device[], byGroup: ReadonlyMap<string, GroupTimes>, groupBy: UptimeGroupTag): UptimeRow[] {
  const rows: UptimeRow[] = [];
  for (const [key, members] of groupMembers(deps, devices, groupBy)) {
    const g = byGroup.get(key) ?? { devices: 0, up_ms: 0, down_ms: 0, unknown_ms: 0, maintenance_ms: 0 };
    if (g.devices !== members.length) throw new Error(`uptime group ${JSON.stringify(key)}: ${g.devices} devices summed, ${members.length} in the inventory`);
    rows.push({ key, name: groupName(deps, groupBy, key), devices: members.length, up_ms: g.up_ms, down_ms: g.down_ms, unknown_ms: g.unknown_ms, maintenance_ms: g.maintenance_ms, uptime: groupUptimeRatio([g]) });
  }
  return rows.sort(byKey);
}

function knownDevice(deps: ApiDeps, id: string | undefined): void {
  if (id !== undefined && !deps.inventory().byId(id)) throw badParameter('device', `no device with id ${JSON.stringify(id.slice(0, 200))}`);
}

export function uptimeRoutes(deps: ApiDeps): RouteSpec[] {
  return [
    {
      method: 'get', path: '/api/uptime', group: 'read', tag: 'uptime',
      summary: 'Uptime, downtime and unknown time per device, site, area or technology',
      description: 'Group uptime = Σ up / Σ (up + down) over the group\'s devices; unknown time and maintenance excluded. Whole hours come from the hourly rollups when present (header X-Netatlas-Rollup-Ms), the rest from raw samples.',
      query: uptimeQuery,
      paramDocs: { from: 'ISO 8601 or epoch ms; default to − 24 h', to: 'default now; window at most 1825 days', groupBy: 'device | site | area | tech (default device)', weight: 'time | households (fibre nodes count by households passed)' },
      responses: { '200': { description: 'one row per group, sorted by key', body: z.array(UPTIME_ROW) }, ...COMMON_ERRORS },
      handler: async (req: Request, res: Response) => {
        const q = parseQuery(uptimeQuery, req.query);
        const now = deps.now();
        const w = resolveWindow(q, now, MAX_UPTIME_WINDOW_MS, '(the hourly rollups are kept 5 years)');
        const devices = deps.inventory().all();
        // per area, site or technology the store sums the rolled hours per group when that is provably the same answer
        const tag = q.groupBy === 'device' || q.weight !== 'time' ? undefined : q.groupBy;
        const grouped = tag === undefined ? undefined : await groupedUptimesOf(deps, devices, tag, w.from, w.to, now);
        if (grouped && tag !== undefined) {
          res.set('X-Netatlas-Rollup-Ms', String(grouped.sources.rollup_ms)).set('X-Netatlas-Raw-Ms', String(grouped.sources.raw_ms));
          res.json(groupRowsOfTotals(deps, devices, grouped.byGroup, tag));
          return;
        }
        const u = await uptimesOf(deps, devices, w.from, w.to, now);
        res.set('X-Netatlas-Rollup-Ms', String(u.sources.rollup_ms)).set('X-Netatlas-Raw-Ms', String(u.sources.raw_ms));
        res.json(groupRows(deps, devices, u.byDevice, q.groupBy, q.weight));
      },
    },
    {
      method: 'get', path: '/api/incidents', group: 'read', tag: 'uptime',
      summary: 'Outages (maximal runs of down time) with start, end, duration, ongoing and impact',
      query: incidentQuery,
      paramDocs: {
        from: 'ISO 8601 or epoch ms; default to − 24 h', to: 'default now; window at most 93 days (raw data)', device: 'one device id', area: 'area id',
        tech: 'fibre | wifi', ongoing: 'true (still down) | false (ended)',
        sort: 'start (default oldest first) | duration (default longest first) | impact (households or clients × hours, default worst first)',
        order: 'asc | desc: reverses the sort\'s default direction when given', limit: '1..10000, default 1000 (applied after sorting)',
        format: 'json (default) | csv (same rows and order: device, tech, area, area_name, start, end, duration_s, ongoing, households, clients, impact_hours, starts_before_window, ends_after_window)',
      },
      responses: { '200': { description: 'array of incidents (JSON), or CSV with format=csv', body: z.array(INCIDENT_JSON) }, ...COMMON_ERRORS },
      handler: async (req: Request, res: Response) => {
        const q = parseQuery(incidentQuery, req.query);
        knownDevice(deps, q.device);
        const now = deps.now();
        const w = resolveWindow(q, now, MAX_INCIDENT_WINDOW_MS, 'for incidents (they are read from raw samples)');
        const devices = deps.inventory().all().filter((d) => (q.device === undefined || d.id === q.device) && (q.area === undefined || d.area === q.area) && (q.tech === undefined || d.tech === q.tech));
        // oldest first (the default order) with no filter on the runs: only the first `limit` are read
        const firstN = q.sort === 'start' && q.order !== 'desc' && q.ongoing === undefined ? q.limit : undefined;
        const found = devices.length === 0 ? [] : (await incidentsOf(deps, devices, w.from, w.to, now, firstN)).filter((i) => q.ongoing === undefined || i.ongoing === (q.ongoing === 'true'));
        // only sort=impact ranks by the APs' client counts: the other sorts look them up for the rows kept
        const rows = q.sort === 'impact'
          ? sortIncidents(await clientImpactOf(deps, found), q.sort, q.order).slice(0, q.limit)
          : await clientImpactOf(deps, sortIncidents(found, q.sort, q.order).slice(0, q.limit));
        if (q.format === 'csv') {
          const inv = deps.inventory();
          const name = `incidents-${iso(w.from).slice(0, 16).replace(':', '')}-${iso(w.to).slice(0, 16).replace(':', '')}.csv`;
          res.type('text/csv; charset=utf-8').set('Content-Disposition', `attachment; filename="${name}"`).send(incidentsCsv(rows, (id) => inv.area(id)?.name ?? ''));
          return;
        }
        res.json(rows.map(incidentJson));
      },
    },
  ];
}

/** Each sort's natural direction (oldest, longest, worst first); `order` given the other way reverses it, ties kept stable. */
export function sortIncidents(incidents: Incident[], sort: 'start' | 'duration' | 'impact', order?: 'asc' | 'desc'): Incident[] {
  const byStart = (a: Incident, b: Incident): number => a.start - b.start || a.device.localeCompare(b.device);
  const natural = sort === 'impact' ? rankByImpact(incidents)
    : sort === 'duration' ? incidents.sort((a, b) => b.duration_ms - a.duration_ms || byStart(a, b))
    : incidents.sort(byStart);
  const naturalOrder = sort === 'start' ? 'asc' : 'desc';
  return order !== undefined && order !== naturalOrder ? natural.reverse() : natural;
}

function incidentJson(i: Incident): IncidentJson {
  return { ...i, start: iso(i.start), end: i.end === null ? null : iso(i.end) };
}
