/**
 * What server/status/ says about a recording (pure): per device the timeline, uptime and
 * incidents over the window, and each collector's dead spans. The same functions the API, the
 * rollups and the reports call; nothing here decides a state.
 */
import type { Span } from '../../server/analytics/intervals.js';
import {
  collectorGaps, collectorOf, deviceIncidents, deviceTimeline, intervalMsOf, lookbackMs, maxIntervalMs, uptimeOf,
  MAX_HEARTBEAT_S, type CollectorStatusPoint, type EvidenceSample, type Incident, type UptimeResult,
} from '../../server/status/index.js';
import type { Recording } from './recorder.js';
import type { ExpectedAlert, ExpectedIncident, Scenario } from './types.js';

export interface Figures {
  uptime: Map<string, UptimeResult>;
  incidents: Map<string, Incident[]>;
  unreadable: Map<string, Span[]>;
  gaps: Map<string, Span[]>;
}

export function samplesOf(rec: Recording): Map<string, EvidenceSample[]> {
  const out = new Map<string, EvidenceSample[]>();
  for (const p of rec.points) {
    if (p.measurement !== 'device_status') continue;
    const id = p.tags['device']!;
    const unreadable = p.fields['unreadable'] === 1;
    const s: EvidenceSample = { time: p.time, up: !unreadable && p.fields['up'] === 1 };
    if (unreadable) s.unreadable = true;
    const reason = p.fields['reason'];
    if (typeof reason === 'string') s.reason = reason;
    const list = out.get(id);
    if (list) list.push(s); else out.set(id, [s]);
  }
  return out;
}

export function collectorPointsOf(rec: Recording): CollectorStatusPoint[] {
  return rec.points.filter((p) => p.measurement === 'collector_status').map((p) => {
    const hb = p.fields['heartbeat_s'];
    return { time: p.time, collector: p.tags['collector']!, instance: p.tags['instance']!, connected: p.fields['connected'] === 1, heartbeatS: typeof hb === 'number' ? hb : undefined };
  });
}

/** Figures over [from, to), `now` = to, as server/status computes them from the recording. */
export function figuresOf(rec: Recording, from: number, to: number): Figures {
  const lookback = lookbackMs(maxIntervalMs(rec.devices, rec.intervals), 1000 * MAX_HEARTBEAT_S);
  const gaps = collectorGaps(collectorPointsOf(rec), from - lookback, to);
  const samples = samplesOf(rec);
  const out: Figures = { uptime: new Map(), incidents: new Map(), unreadable: new Map(), gaps: new Map() };
  for (const [name, spans] of gaps) out.gaps.set(name, spans.filter((g) => g.end > from).map((g) => ({ start: Math.max(g.start, from), end: g.end })));
  for (const d of rec.devices) {
    const input = {
      samples: samples.get(d.id) ?? [], from, to, now: to, intervalMs: intervalMsOf(d, rec.intervals),
      collectorDown: gaps.get(collectorOf(d)) ?? [], maintenance: rec.maintenance.get(d.id) ?? [],
    };
    const t = deviceTimeline(input);
    out.uptime.set(d.id, uptimeOf(t));
    out.unreadable.set(d.id, t.unreadable);
    out.incidents.set(d.id, deviceIncidents(input, { device: d.id, tech: d.tech, area: d.area }));
  }
  return out;
}

/** Incidents as the scenarios write them: ms from t0. */
export function relativeIncidents(list: readonly Incident[], t0: number): ExpectedIncident[] {
  return list.map((i) => ({ start: i.start - t0, end: i.end === null ? null : i.end - t0, duration_ms: i.duration_ms }));
}

export function relativeSpans(list: readonly Span[], t0: number): Array<{ start: number; end: number }> {
  return list.map((s) => ({ start: s.start - t0, end: s.end - t0 }));
}

/**
 * The alerts the figures imply (issue 11 item 4: a device-down alert opens and resolves on an
 * incident's span; a collector_down alert on the collector's dead span; device_unreadable on an
 * unreadable span), ms from t0, in a stable order. A span still running at the window's end
 * (which is `now`) is an open alert.
 */
export function impliedAlerts(s: Scenario, f: Figures, t0: number): ExpectedAlert[] {
  const end = t0 + s.window.to;
  const out: ExpectedAlert[] = [];
  for (const [id, list] of f.incidents) for (const i of list) out.push({ rule: 'device_down', subject: id, opens: i.start - t0, resolves: i.end === null ? null : i.end - t0 });
  for (const [name, list] of f.gaps) for (const g of list) out.push({ rule: 'collector_down', subject: name, opens: g.start - t0, resolves: g.end >= end ? null : g.end - t0 });
  for (const [id, list] of f.unreadable) for (const u of list) out.push({ rule: 'device_unreadable', subject: id, opens: u.start - t0, resolves: u.end >= end ? null : u.end - t0 });
  return sortAlerts(out);
}

export function sortAlerts(list: readonly ExpectedAlert[]): ExpectedAlert[] {
  return [...list].sort((a, b) => a.opens - b.opens || a.rule.localeCompare(b.rule) || a.subject.localeCompare(b.subject));
}
