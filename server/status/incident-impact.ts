/**
 * The client side of a wifi incident's impact, for every list of incidents (GET /api/incidents and
 * the weekly SLA report): the AP's mean client count in the clock hour before the one its outage
 * began in, and clients × hours down. Fibre incidents carry their households already.
 */
import type { MetricStore } from '../store/metric-store.js';
import { HOUR_MS } from './device-uptimes.js';
import type { Incident } from './incidents.js';

export async function withClientImpact(store: MetricStore, incidents: Incident[]): Promise<Incident[]> {
  const wifi = incidents.filter((i) => i.impact.tech === 'wifi');
  if (wifi.length === 0) return incidents;
  const aps = [...new Set(wifi.map((i) => i.device))];
  // only the hours before the APs' outage starts are read, not the whole window
  const hourBefore = (i: Incident): number => Math.floor(i.start / HOUR_MS) * HOUR_MS - HOUR_MS;
  const starts = wifi.map(hourBefore);
  const start = starts.reduce((a, b) => Math.min(a, b)), end = starts.reduce((a, b) => Math.max(a, b)) + HOUR_MS;
  const rows = await store.queryAggregate({ measurement: 'wifi_ap', field: 'clients', fn: 'mean', from: start, to: end, stepMs: HOUR_MS, groupBy: ['device'], ...(aps.length === 1 ? { where: { device: aps[0]! } } : {}) });
  const clients = new Map(rows.map((r) => [`${r.tags['device']}@${r.time}`, r.value ?? 0]));
  return incidents.map((i) => {
    if (i.impact.tech !== 'wifi') return i;
    const c = clients.get(`${i.device}@${hourBefore(i)}`) ?? 0;
    return { ...i, impact: { ...i.impact, clients: c, impact_hours: (c * i.duration_ms) / HOUR_MS } };
  });
}
