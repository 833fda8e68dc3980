/**
 * Incidents: maximal runs of down time of one device (DESIGN.md), cut from the device's timeline
 * (timeline.ts). Unknown time and maintenance end a run, exactly as they are excluded from uptime, so the durations of a device's incidents
 * add up to its down_ms. An incident is ongoing when it still holds at `now`.
 */
import { deviceTimeline, type TimelineInput } from './timeline.js';

export interface Incident {
  device: string;
  start: number;
  /** null while ongoing */
  end: number | null;
  duration_ms: number;
  ongoing: boolean;
  /** the run was already under way at `from`, so the real start may be earlier */
  startsBeforeWindow: boolean;
  /** not ongoing but cut by the window's `to`: the real end may be later */
  endsAfterWindow: boolean;
  impact: IncidentImpact;
}

export interface IncidentImpact {
  area: string;
  tech: 'fibre' | 'wifi';
  /** fibre: households passed behind the node; wifi: 0 */
  households: number;
  /** wifi: the AP's recent client count (given by the caller); fibre: 0 */
  clients: number;
  /** households × hours (fibre) or clients × hours (wifi): the figure to rank outages by */
  impact_hours: number;
}

export interface ImpactInput {
  device: string;
  tech: 'fibre' | 'wifi';
  area: string;
  householdsPassed?: number;
  /** a wifi AP's recent client count (e.g. mean of `clients` before the outage) */
  recentClients?: number;
}

export function deviceIncidents(input: TimelineInput, who: ImpactInput): Incident[] {
  const t = deviceTimeline(input);
  const households = who.tech === 'fibre' ? who.householdsPassed ?? 0 : 0;
  const clients = who.tech === 'wifi' ? who.recentClients ?? 0 : 0;
  // a run reaching the end of the window is ongoing only when that end is `now`
  // (the window was not cut short by `to`) and the down state was still fresh there
  const before = [...input.samples].filter((x) => x.time < input.from).sort((a, b) => a.time - b.time).pop();
  const startedDown = before !== undefined && !before.up && !before.unreadable;
  return t.down.map((s) => {
    const ongoing = s.end === t.window.end && t.window.end === input.now;
    const duration = s.end - s.start;
    return {
      device: who.device,
      start: s.start,
      end: ongoing ? null : s.end,
      duration_ms: duration,
      ongoing,
      startsBeforeWindow: s.start === t.window.start && startedDown,
      endsAfterWindow: !ongoing && s.end === t.window.end && t.window.end === input.to,
      impact: { area: who.area, tech: who.tech, households, clients, impact_hours: ((households + clients) * duration) / 3_600_000 },
    };
  });
}

/** Worst first: by impact, then duration, then start, then device (a stable order for ties). */
export function rankByImpact(incidents: readonly Incident[]): Incident[] {
  return [...incidents].sort((a, b) => b.impact.impact_hours - a.impact.impact_hours || b.duration_ms - a.duration_ms || a.start - b.start || a.device.localeCompare(b.device));
}
