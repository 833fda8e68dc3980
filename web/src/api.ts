/**
 * Typed fetch of the netatlas HTTP API (DESIGN.md "HTTP API"). Every function takes the time
 * window explicitly so that the time-window selector drives every layer, and throws ApiError with
 * the server's error code and parameter so the page can say what went wrong.
 */
import type { components, paths } from './api-types.js';

// From the server's OpenAPI document (api-types.ts, npm run gen:web-types): the parameters and
// the bodies of the routes whose spec carries a schema (for /api/events, the data of its events).
export type Status = components['schemas']['DeviceState']['status'];
type ErrorBody = components['schemas']['Error'];
type Query<P extends keyof paths> = paths[P]['get'] extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;
/** the body of a GET route's 200 answer (JSON or GeoJSON), for routes whose spec carries a body schema */
export type Body<P extends keyof paths> = paths[P]['get'] extends { responses: { 200: { content: infer C } } } ? C[keyof C] : never;
export type UptimeGroupBy = NonNullable<Query<'/api/uptime'>['groupBy']>;
export type IncidentFilter = Pick<Query<'/api/incidents'>, 'device' | 'area'>;

export interface Window {
  /** epoch ms, inclusive */
  from: number;
  /** epoch ms, exclusive */
  to: number;
}

export type MapDevices = Body<'/api/map/devices'>;
export type MapDeviceProps = MapDevices['features'][number]['properties'];
export type Tech = MapDeviceProps['tech'];
/** what the map draws of every device, as parallel arrays (the page's form: /api/map/devices/columns) */
export type MapDeviceColumns = Body<'/api/map/devices/columns'>;
/** the devices the map page draws (fetched by its cluster worker, or by mapDeviceColumns() unclustered) */
export const MAP_DEVICE_COLUMNS_URL = '/api/map/devices/columns';

export type AreasGeo = Body<'/api/coverage/areas.geojson'>;
export type AreaProps = AreasGeo['features'][number]['properties'];

export type Gaps = Body<'/api/gaps'>;
export type GapProps = Gaps['features'][number]['properties'];

export type DeviceDetail = Body<'/api/devices/{id}'>;

export type UptimeRow = Body<'/api/uptime'>[number];
export type Incident = Body<'/api/incidents'>[number];

type SeriesRow = Body<'/api/devices/{id}/series'>[number];
/** a series row with its bucket start as epoch ms (the API gives ISO 8601), as the charts take it */
export type SeriesPoint = Omit<SeriesRow, 'time'> & { time: number };

export type DesiReport = Body<'/api/reports/desi'>;
export type DesiIndicator = DesiReport['scopes'][number]['indicators'][number];

/** the data of a `status` event of /api/events */
export type StatusEvent = components['schemas']['StatusEvent'];

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(message: string, readonly status: number, readonly code?: string, readonly parameter?: string) {
    super(message);
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** `from`/`to` query parameters of a window. */
export function windowParams(w: Window): Record<string, string> {
  return { from: iso(w.from), to: iso(w.to) };
}

export function apiUrl(path: string, params: Record<string, string | number | undefined> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, String(v));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

export async function getJson<T>(path: string, params: Record<string, string | number | undefined> = {}, signal?: AbortSignal): Promise<T> {
  return readJson<T>(path, await fetch(apiUrl(path, params), { headers: { accept: 'application/json' }, signal }));
}

/** The body of an answer to `path`, or an ApiError with the server's code and parameter. */
export async function readJson<T>(path: string, res: Response): Promise<T> {
  if (!res.ok) {
    let code: string | undefined;
    let parameter: string | undefined;
    let message = `${path}: HTTP ${res.status}`;
    try {
      // the catalogue's error body, when the answer is JSON at all
      const body = (await res.json()) as Partial<ErrorBody>;
      code = body.error?.code;
      parameter = body.error?.parameter;
      if (body.error?.message) message = `${path}: ${body.error.message}`;
    } catch {
      // not JSON: keep the HTTP status as the message
    }
    throw new ApiError(message, res.status, code, parameter);
  }
  return (await res.json()) as T;
}

export const api = {
  mapDeviceColumns: (signal?: AbortSignal) => getJson<MapDeviceColumns>(MAP_DEVICE_COLUMNS_URL, {}, signal),
  areas: (w: Window, signal?: AbortSignal) => getJson<AreasGeo>('/api/coverage/areas.geojson', windowParams(w), signal),
  gaps: (limit: number, signal?: AbortSignal) => getJson<Gaps>('/api/gaps', { limit }, signal),
  device: (id: string, signal?: AbortSignal) => getJson<DeviceDetail>(`/api/devices/${encodeURIComponent(id)}`, {}, signal),
  uptime: (w: Window, groupBy: UptimeGroupBy, signal?: AbortSignal) =>
    getJson<UptimeRow[]>('/api/uptime', { ...windowParams(w), groupBy }, signal),
  /** one device's row of /api/uptime?groupBy=device; undefined when the API has none */
  deviceUptime: async (id: string, w: Window, signal?: AbortSignal): Promise<UptimeRow | undefined> =>
    (await getJson<UptimeRow[]>('/api/uptime', { ...windowParams(w), groupBy: 'device' }, signal)).find((r) => r.key === id),
  incidents: (w: Window, filter: IncidentFilter, signal?: AbortSignal) =>
    getJson<Incident[]>('/api/incidents', { ...windowParams(w), ...filter }, signal),
  series: async (id: string, metric: string, w: Window, step: string, signal?: AbortSignal): Promise<SeriesPoint[]> => {
    const rows = await getJson<SeriesRow[]>(`/api/devices/${encodeURIComponent(id)}/series`, { metric, ...windowParams(w), step }, signal);
    return rows.map((r) => ({ time: Date.parse(r.time), value: r.value }));
  },
  desiCsvUrl: (period: string) => apiUrl('/api/reports/desi', { period, format: 'csv' }),
  desi: (period: string, signal?: AbortSignal) => getJson<DesiReport>('/api/reports/desi', { period, format: 'json' }, signal),
};
