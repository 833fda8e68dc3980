/**
 * The API answers the operators' views read (README "HTTP API"), typed from the server's OpenAPI
 * document (api-types.ts) where the route documents its body, and their fetchers. The views show
 * these figures as they come: counting and ranking that the server does (uptime sums, impact
 * ranking) is not redone here.
 */
import { getJson, type Body, type Status, type Tech } from '../api.js';

/** the fields of an /api/devices entry the views read (the server's schema has more) */
export type DeviceRow = Pick<Body<'/api/devices'>[number], 'id' | 'tech' | 'site' | 'area' | 'status' | 'statusReason'>;
export type UptimeGroup = Body<'/api/uptime'>[number];

export type IncidentRow = Body<'/api/incidents'>[number];

/** /api/health: status, and with read access version, uptime_s, then one object per component */
export type Health = Body<'/api/health'>;
/** one component of a health answer: ok, its detail sentence, and figures of its own */
export type ComponentHealth = Extract<Health[string], { ok: boolean }>;

export type DeviceTimeline = Body<'/api/devices/{id}/timeline'>;
export type StateSpan = DeviceTimeline['spans'][number];
export type SpanState = StateSpan['state'];

/** `to` absent = now, as the server reads it: only then can an incident be ongoing (a window
 *  that ends before the server's now cuts every run at its end) */
export interface IncidentQuery {
  from: string;
  to?: string | undefined;
  area?: string | undefined;
  tech?: Tech | undefined;
  ongoing?: 'true' | 'false' | undefined;
  sort?: 'start' | 'duration' | 'impact' | undefined;
  order?: 'asc' | 'desc' | undefined;
  limit?: number | undefined;
}

/** The query parameters of an incident query (absent ones left out). */
export function incidentParams(q: IncidentQuery): Record<string, string> {
  return Object.fromEntries(Object.entries(q).filter((e): e is [string, string | number] => e[1] !== undefined).map(([k, v]) => [k, String(v)]));
}

export const viewsApi = {
  devices: (signal?: AbortSignal) => getJson<DeviceRow[]>('/api/devices', {}, signal),
  uptime: (groupBy: 'tech' | 'area', from: string, to: string, signal?: AbortSignal) => getJson<UptimeGroup[]>('/api/uptime', { from, to, groupBy }, signal),
  incidents: (q: IncidentQuery, signal?: AbortSignal) => getJson<IncidentRow[]>('/api/incidents', incidentParams(q), signal),
  /** the device's states from `from` to now */
  timeline: (device: string, from: string, signal?: AbortSignal) =>
    getJson<DeviceTimeline>(`/api/devices/${encodeURIComponent(device)}/timeline`, { from }, signal),
  /** /api/health, asked to answer 200 when degraded too (no console error for an expected 503); 503 still read */
  health: async (signal?: AbortSignal): Promise<Health> => {
    const res = await fetch('/api/health?degradedStatus=200', { headers: { accept: 'application/json' }, signal });
    if (res.status !== 200 && res.status !== 503) throw new Error(`/api/health: HTTP ${res.status}`);
    return (await res.json()) as Health;
  },
};

/** The components of a health answer (every object-valued key), by name. */
export function healthComponents(h: Health): [string, ComponentHealth][] {
  return Object.entries(h)
    .filter((e): e is [string, ComponentHealth] => typeof e[1] === 'object' && e[1] !== null && typeof e[1].ok === 'boolean');
}
