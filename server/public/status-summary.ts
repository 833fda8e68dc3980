/**
 * The public status, aggregated by area and technology only: no device id and no position finer
 * than an area ever enters these objects (the leak test greps the page and the JSON for every
 * device id). Device states and incidents come from server/status; this module only counts them
 * and names the result in Statuspage's vocabulary.
 */
import type { Device } from '../../core/device.js';
import type { DeviceState, Incident } from '../status/index.js';

export type ComponentStatus = 'operational' | 'degraded_performance' | 'partial_outage' | 'major_outage';
export type Tech = Device['tech'];

export interface PublicComponent {
  /** `<area id>/<tech>`: stable, names no device */
  id: string;
  area: string;
  areaName: string;
  tech: Tech;
  /** null when no device of the component has a known state (all unknown: we cannot say) */
  status: ComponentStatus | null;
  devices: { total: number; up: number; down: number; unknown: number };
}

export interface PublicIncident {
  area: string;
  areaName: string;
  tech: Tech;
  start: string;
  /** null while ongoing */
  end: string | null;
  ongoing: boolean;
  /** Statuspage incident status: investigating while ongoing, resolved after */
  status: 'investigating' | 'resolved';
  /** how many device outages overlapped in this incident */
  outages: number;
  /** fibre: households behind the nodes that were down (summed over the overlapping outages) */
  households: number;
}

export interface PublicStatus {
  page: { title: string; updated_at: string };
  /** the page's overall indicator (Statuspage: none, minor, major, critical) */
  status: { indicator: 'none' | 'minor' | 'major' | 'critical' | 'unknown'; description: string };
  components: PublicComponent[];
  incidents: PublicIncident[];
  history: { from: string; to: string; days: number };
}

/**
 * Down share of the devices whose state is known -> component status. Unknown devices are not
 * counted as down (DESIGN.md: unknown is never down) nor as up. Thresholds: none down is
 * operational, under 10 % degraded, under 50 % partial outage, half or more a major outage.
 */
export function componentStatus(up: number, down: number): ComponentStatus | null {
  const known = up + down;
  if (known === 0) return null;
  const share = down / known;
  if (share === 0) return 'operational';
  if (share < 0.1) return 'degraded_performance';
  if (share < 0.5) return 'partial_outage';
  return 'major_outage';
}

const INDICATOR: Record<ComponentStatus, { indicator: PublicStatus['status']['indicator']; description: string; rank: number }> = {
  operational: { indicator: 'none', description: 'All Systems Operational', rank: 0 },
  degraded_performance: { indicator: 'minor', description: 'Minor Service Outage', rank: 1 },
  partial_outage: { indicator: 'major', description: 'Partial System Outage', rank: 2 },
  major_outage: { indicator: 'critical', description: 'Major System Outage', rank: 3 },
};

export interface SummaryInput {
  title: string;
  devices: readonly Device[];
  areas: readonly { id: string; name: string }[];
  states: ReadonlyMap<string, DeviceState>;
  /** the devices' incidents over the history window (any order) */
  incidents: readonly Incident[];
  from: number;
  now: number;
  days: number;
}

const OUTSIDE = { id: '', name: 'Outside the mapped areas' };
const TECH_ORDER: readonly Tech[] = ['fibre', 'wifi'];

export function publicStatus(input: SummaryInput): PublicStatus {
  const names = new Map(input.areas.map((a) => [a.id, a.name]));
  const nameOf = (area: string): string => names.get(area) ?? OUTSIDE.name;
  const byKey = new Map<string, PublicComponent>();
  for (const d of input.devices) {
    const key = `${d.area}/${d.tech}`;
    let c = byKey.get(key);
    if (!c) byKey.set(key, c = { id: key, area: d.area, areaName: nameOf(d.area), tech: d.tech, status: null, devices: { total: 0, up: 0, down: 0, unknown: 0 } });
    c.devices.total++;
    c.devices[input.states.get(d.id)?.status ?? 'unknown']++;
  }
  const areaRank = new Map(input.areas.map((a, i) => [a.id, i]));
  const components = [...byKey.values()]
    .map((c) => ({ ...c, status: componentStatus(c.devices.up, c.devices.down) }))
    .sort((a, b) => (areaRank.get(a.area) ?? Infinity) - (areaRank.get(b.area) ?? Infinity) || TECH_ORDER.indexOf(a.tech) - TECH_ORDER.indexOf(b.tech));
  const worst = components.reduce<ComponentStatus | null>((w, c) => (c.status && (!w || INDICATOR[c.status].rank > INDICATOR[w].rank) ? c.status : w), null);
  return {
    page: { title: input.title, updated_at: new Date(input.now).toISOString() },
    status: worst ? { indicator: INDICATOR[worst].indicator, description: INDICATOR[worst].description } : { indicator: 'unknown', description: 'No current data' },
    components,
    incidents: mergeIncidents(input.incidents, nameOf, input.now),
    history: { from: new Date(input.from).toISOString(), to: new Date(input.now).toISOString(), days: input.days },
  };
}

/**
 * Device outages of one area and technology that overlap (or touch) become one public incident,
 * so the history says "Fibre in Ixelles was down 10:00–10:40 for 3 nodes" and never which node.
 * Newest first.
 */
export function mergeIncidents(incidents: readonly Incident[], nameOf: (area: string) => string, now: number): PublicIncident[] {
  const groups = new Map<string, Incident[]>();
  for (const i of incidents) {
    const key = `${i.impact.area}/${i.impact.tech}`;
    const g = groups.get(key);
    if (g) g.push(i); else groups.set(key, [i]);
  }
  const out: (PublicIncident & { startMs: number })[] = [];
  for (const list of groups.values()) {
    list.sort((a, b) => a.start - b.start);
    let cur: { area: string; tech: Tech; start: number; end: number; ongoing: boolean; outages: number; households: number } | undefined;
    const flush = (): void => {
      if (!cur) return;
      out.push({
        area: cur.area, areaName: nameOf(cur.area), tech: cur.tech, start: new Date(cur.start).toISOString(),
        end: cur.ongoing ? null : new Date(cur.end).toISOString(), ongoing: cur.ongoing, status: cur.ongoing ? 'investigating' : 'resolved',
        outages: cur.outages, households: cur.households, startMs: cur.start,
      });
    };
    for (const i of list) {
      const end = i.end ?? now;
      if (cur && i.start <= cur.end) {
        cur.end = Math.max(cur.end, end);
        cur.ongoing ||= i.ongoing;
        cur.outages++;
        cur.households += i.impact.households;
        continue;
      }
      flush();
      cur = { area: i.impact.area, tech: i.impact.tech, start: i.start, end, ongoing: i.ongoing, outages: 1, households: i.impact.households };
    }
    flush();
  }
  return out.sort((a, b) => b.startMs - a.startMs).map(({ startMs: _s, ...rest }) => rest);
}
