/**
 * Devices: the inventory with current status, one device, one device's time series, and the map
 * layer of devices. SNMP access (hosts, communities, keys) is never served.
 */
import { DEVICE_TIMELINE, type DeviceTimelineJson } from '../analytics/body-schemas.js';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { Device } from '../../core/device.js';
import type { AggregateFn } from '../store/metric-store.js';
import { ApiError, badParameter } from '../errors.js';
import type { ApiDeps } from './deps.js';
import { DEVICE_DETAIL, DEVICE_ITEM, MAP_DEVICE_COLUMNS, MAP_DEVICES, SERIES_POINT, type DeviceDetailJson, type DeviceStateJson, type PublicDeviceJson, type SeriesPointJson } from './body-schemas.js';
import { geoJsonWriter, MapDevicesBodies, type MapBody } from './map-devices-body.js';
import { columnsWriter } from './map-device-columns.js';
import { statesOf, uptimesOf } from './live-reads.js';
import { DAY_MS, durationParam, iso, parseQuery, resolveWindow, windowShape } from './params.js';
import { COMMON_ERRORS, type RouteSpec } from './route-table.js';
import { deviceTimeline, deviceTimelines, stateSpans, type DeviceState } from '../status/index.js';

/** The metrics a series may show: name -> where it is stored and how buckets combine. */
export const SERIES_METRICS: Readonly<Record<string, { measurement: string; field: string; fn: AggregateFn; unit: string; tech?: Device['tech'] }>> = {
  up: { measurement: 'device_status', field: 'up', fn: 'mean', unit: 'share of samples up (0..1)' },
  rtt_ms: { measurement: 'device_status', field: 'rtt_ms', fn: 'mean', unit: 'ms', tech: 'fibre' },
  in_bps: { measurement: 'interface', field: 'in_bps', fn: 'mean', unit: 'bit/s (mean over interfaces and samples)', tech: 'fibre' },
  out_bps: { measurement: 'interface', field: 'out_bps', fn: 'mean', unit: 'bit/s (mean over interfaces and samples)', tech: 'fibre' },
  rx_dbm: { measurement: 'optical', field: 'rx_dbm', fn: 'mean', unit: 'dBm', tech: 'fibre' },
  tx_dbm: { measurement: 'optical', field: 'tx_dbm', fn: 'mean', unit: 'dBm', tech: 'fibre' },
  clients: { measurement: 'wifi_ap', field: 'clients', fn: 'mean', unit: 'clients', tech: 'wifi' },
  rssi_dbm: { measurement: 'wifi_ap', field: 'rssi_dbm', fn: 'mean', unit: 'dBm', tech: 'wifi' },
  channel_util: { measurement: 'wifi_ap', field: 'channel_util', fn: 'mean', unit: 'share (0..1)', tech: 'wifi' },
};

export const MAX_SERIES_POINTS = 10_000;
export const MAX_SERIES_WINDOW_MS = 400 * DAY_MS;
/** a timeline is cut from raw samples, like incidents */
export const MAX_TIMELINE_WINDOW_MS = 93 * DAY_MS;
const ID_MAX = 200;

export function publicDevice(d: Device): PublicDeviceJson {
  const out: PublicDeviceJson = { id: d.id, tech: d.tech, site: d.site, area: d.area, location: d.location };
  // absent rather than undefined, so that the JSON has no key for what the inventory leaves out
  if (d.householdsPassed !== undefined) out.householdsPassed = d.householdsPassed;
  if (d.accessTech !== undefined) out.accessTech = d.accessTech;
  if (d.radiusM !== undefined) out.radiusM = d.radiusM;
  if (d.intervalS !== undefined) out.intervalS = d.intervalS;
  if (d.subscriptions !== undefined) out.subscriptions = d.subscriptions;
  return out;
}

/** A device's current state (server/status currentStates) as the devices and map JSON give it. */
export function stateJson(s: DeviceState | undefined): DeviceStateJson {
  if (!s) return { status: 'unknown', statusReason: 'no-evidence', lastSeen: null, rtt_ms: null };
  return { status: s.status, statusReason: s.status === 'unknown' ? s.reason ?? null : null, lastSeen: s.lastSeen !== null ? iso(s.lastSeen) : null, rtt_ms: s.rtt_ms };
}

function deviceOr404(deps: ApiDeps, req: Request): Device {
  const id = String(req.params['id'] ?? '');
  if (id.length > ID_MAX) throw badParameter('id', `longer than ${ID_MAX} characters`);
  const d = deps.inventory().byId(id);
  if (!d) throw new ApiError('not_found', `No device with id ${JSON.stringify(id)}.`);
  return d;
}

const listQuery = {
  tech: z.enum(['fibre', 'wifi']).optional(),
  area: z.string().max(ID_MAX).optional(),
  status: z.enum(['up', 'down', 'unknown']).optional(),
};
const timelineQuery = { ...windowShape };
const seriesQuery = { metric: z.enum(Object.keys(SERIES_METRICS) as [string, ...string[]]).default('up'), ...windowShape, step: durationParam.optional() };

export function deviceRoutes(deps: ApiDeps): RouteSpec[] {
  const mapBodies = new MapDevicesBodies(deps, geoJsonWriter(stateJson));
  const mapColumns = new MapDevicesBodies(deps, columnsWriter(stateJson));
  return [
    {
      method: 'get', path: '/api/devices', group: 'read', tag: 'devices',
      summary: 'Inventory devices with their current status',
      query: listQuery,
      paramDocs: { tech: 'fibre | wifi', area: 'area id', status: 'up | down | unknown (current status; statusReason says why a device is unknown)' },
      responses: { '200': { description: 'array of devices: id, tech, site, area, location, …, status, statusReason, lastSeen, rtt_ms', body: z.array(DEVICE_ITEM) }, ...COMMON_ERRORS },
      handler: async (req: Request, res: Response) => {
        const q = parseQuery(listQuery, req.query);
        let devices = deps.inventory().all().filter((d) => (!q.tech || d.tech === q.tech) && (q.area === undefined || d.area === q.area));
        const states = await statesOf(deps, devices, deps.now());
        if (q.status) devices = devices.filter((d) => states.get(d.id)?.status === q.status);
        res.json(devices.map((d) => ({ ...publicDevice(d), ...stateJson(states.get(d.id)) })));
      },
    },
    {
      method: 'get', path: '/api/devices/:id', group: 'read', tag: 'devices',
      summary: 'One device: inventory data, area name, current status and 24 h uptime',
      pathParams: { id: 'device id' },
      responses: { '200': { description: 'the device: inventory data, areaName, status, statusReason, lastSeen, rtt_ms, uptime_24h', body: DEVICE_DETAIL }, '404': { description: 'not_found: no such device' }, ...COMMON_ERRORS },
      handler: async (req: Request, res: Response) => {
        parseQuery({}, req.query);
        const d = deviceOr404(deps, req);
        const now = deps.now();
        const [states, uptimes] = await Promise.all([statesOf(deps, [d], now), uptimesOf(deps, [d], now - DAY_MS, now, now)]);
        const u = uptimes.byDevice.get(d.id);
        const body: DeviceDetailJson = { ...publicDevice(d), areaName: deps.inventory().area(d.area)?.name ?? null, ...stateJson(states.get(d.id)), uptime_24h: u?.uptime ?? null, uptime_24h_detail: u ?? null };
        res.json(body);
      },
    },
    {
      method: 'get', path: '/api/devices/:id/series', group: 'read', tag: 'devices',
      summary: 'A time series of one device metric, aggregated by the store into buckets of `step`',
      pathParams: { id: 'device id' },
      query: seriesQuery,
      paramDocs: { metric: Object.keys(SERIES_METRICS).join(' | '), from: 'ISO 8601 or epoch ms; default to − 24 h', to: 'default now', step: 'bucket width (30s, 5m, 1h, 1d); default: about 300 buckets' },
      responses: { '200': { description: 'array of {time (ISO 8601, bucket start), value}', body: z.array(SERIES_POINT) }, '404': { description: 'not_found: no such device' }, ...COMMON_ERRORS },
      handler: async (req: Request, res: Response) => {
        const q = parseQuery(seriesQuery, req.query);
        const d = deviceOr404(deps, req);
        const w = resolveWindow(q, deps.now(), MAX_SERIES_WINDOW_MS, 'of raw series');
        const m = SERIES_METRICS[q.metric]!;
        const stepMs = q.step ?? Math.max(60_000, Math.ceil((w.to - w.from) / 300 / 60_000) * 60_000);
        if ((w.to - w.from) / stepMs > MAX_SERIES_POINTS) throw badParameter('step', `too small: the window would have more than ${MAX_SERIES_POINTS} buckets`);
        const rows = await deps.store.queryAggregate({ measurement: m.measurement, field: m.field, fn: m.fn, from: w.from, to: w.to, stepMs, where: { device: d.id } });
        const body: SeriesPointJson[] = rows.map((r) => ({ time: iso(r.time), value: r.value }));
        res.set('X-Netatlas-Unit', m.unit).json(body);
      },
    },
    {
      method: 'get', path: '/api/devices/:id/timeline', group: 'read', tag: 'devices',
      summary: 'One device\'s states over the window as spans: up, down, unknown (with its reason) and maintenance',
      description: 'The spans tile the counted window [from, min(to, now)) in time order, as server/status decides them (the same timeline as uptime and incidents). An unknown span says why: unreadable, collector-down or no-evidence.',
      pathParams: { id: 'device id' },
      query: timelineQuery,
      paramDocs: { from: 'ISO 8601 or epoch ms; default to − 24 h', to: 'default now; window at most 93 days (raw data)' },
      responses: { '200': { description: 'the spans in time order (times ISO 8601)', body: DEVICE_TIMELINE }, '404': { description: 'not_found: no such device' }, ...COMMON_ERRORS },
      handler: async (req: Request, res: Response) => {
        const q = parseQuery(timelineQuery, req.query);
        const d = deviceOr404(deps, req);
        const now = deps.now();
        const w = resolveWindow(q, now, MAX_TIMELINE_WINDOW_MS, 'for a timeline (it is read from raw samples)');
        const inputs = await deviceTimelines(deps.store, { devices: [d], from: w.from, to: w.to, now, intervals: deps.intervals, maintenance: deps.maintenance });
        const input = inputs.get(d.id);
        const t = input ? deviceTimeline(input) : null;
        const end = Math.max(w.from, Math.min(w.to, now));
        const spans = t ? stateSpans(t) : end > w.from ? [{ start: w.from, end, state: 'unknown' as const, reason: 'no-evidence' as const }] : [];
        const body: DeviceTimelineJson = { device: d.id, from: iso(w.from), to: iso(end), spans: spans.map((s) => ({ ...s, start: iso(s.start), end: iso(s.end) })) };
        res.json(body);
      },
    },
    {
      method: 'get', path: '/api/map/devices', group: 'read', tag: 'map',
      summary: 'GeoJSON points of every device with current status and 24 h uptime',
      responses: { '200': { description: 'FeatureCollection of Point features; properties: id, tech, site, area, status, statusReason, lastSeen, rtt_ms, uptime_24h, radiusM?, householdsPassed?', contentType: 'application/geo+json', body: MAP_DEVICES }, ...COMMON_ERRORS },
      handler: (req: Request, res: Response) => sendMapBody(req, res, mapBodies, 'application/geo+json'),
    },
    {
      method: 'get', path: '/api/map/devices/columns', group: 'read', tag: 'map',
      summary: 'What the map draws of every device, as parallel arrays: a compact /api/map/devices',
      description: 'The devices of /api/map/devices in the same order with the same current statuses, as columns: id, lon, lat, tech and status codes (indexes into techs and statuses), householdsPassed and radiusM (null when absent). About a fifth of the bytes at 100 000 devices; the map page reads it. Site, area, statusReason, lastSeen, rtt_ms and the 24 h uptime are not in it: /api/devices/:id has them.',
      responses: { '200': { description: 'the columns, each of length count', body: MAP_DEVICE_COLUMNS }, ...COMMON_ERRORS },
      handler: (req: Request, res: Response) => sendMapBody(req, res, mapColumns, 'application/json'),
    },
  ];
}

/** Sends a kept map body: its ETag (a 304 for If-None-Match), gzipped once per body when the client accepts it. */
async function sendMapBody(req: Request, res: Response, bodies: MapDevicesBodies, type: string): Promise<void> {
  parseQuery({}, req.query);
  const body: MapBody = await bodies.body();
  res.once('finish', () => bodies.refreshAhead());
  res.type(type).set('Vary', 'Accept-Encoding').set('ETag', body.etag);
  if (req.fresh) { res.status(304).end(); return; }
  // gzipped once per body (map-devices-body.ts), and so not by the compression middleware
  if (req.acceptsEncodings('gzip') === 'gzip') res.set('Content-Encoding', 'gzip').send(await bodies.gzipOf(body));
  else res.send(body.json);
}
