/**
 * The condition rules (value thresholds, area uptime, health): each turns store readings into
 * "holds / does not hold" per subject, and the shared debounce machine (condition.ts) turns that
 * into fired/resolved events.
 */
import { groupUptime } from '../analytics/uptime.js';
import { deviceUptimes } from '../status/device-uptimes.js';
import type { Span } from '../analytics/intervals.js';
import type { DefaultIntervals } from '../status/index.js';
import type { Device } from '../../core/device.js';
import type { MetricStore } from '../store/metric-store.js';
import type { AreaUptimeRule, ThresholdRule } from './config.js';
import { OK_CONDITION, stepCondition, type ConditionState } from './condition.js';
import { eventOf, type Alert, type AlertEvent } from './types.js';

export interface ConditionReading {
  key: string;
  holds: boolean;
  rule: Alert['rule'];
  subject: string;
  summary: string;
  severity: Alert['severity'];
  area?: string;
  value?: number;
  forMs: number;
  clearMs: number;
}

export interface ConditionsState {
  conditions: Record<string, ConditionState>;
  alerts: Record<string, Alert>;
}

/** Steps every reading's machine; subjects no longer read count as "does not hold". */
export function stepConditions(state: ConditionsState, readings: readonly ConditionReading[], now: number): AlertEvent[] {
  const events: AlertEvent[] = [];
  const seen = new Set<string>();
  const steps = [...readings];
  for (const key of Object.keys(state.conditions)) {
    if (!readings.some((r) => r.key === key)) {
      const a = state.alerts[key];
      steps.push({ key, holds: false, rule: a?.rule ?? 'threshold', subject: a?.subject ?? key, summary: a?.summary ?? key, severity: 'warning', forMs: 0, clearMs: 0 });
    }
  }
  for (const r of steps) {
    if (seen.has(r.key)) continue;
    seen.add(r.key);
    const step = stepCondition(state.conditions[r.key] ?? OK_CONDITION, r.holds, now, r.forMs, r.clearMs);
    if (step.state.phase === 'ok') delete state.conditions[r.key];
    else state.conditions[r.key] = step.state;
    if (step.fired) {
      const alert: Alert = {
        id: `${r.key}:${step.state.startedAt}`, rule: r.rule, subject: r.subject, severity: r.severity, summary: r.summary,
        startedAt: step.state.startedAt, firedAt: now, resolvedAt: null,
        ...(r.area !== undefined ? { area: r.area } : {}), ...(r.value !== undefined ? { value: r.value } : {}),
      };
      state.alerts[r.key] = alert;
      events.push(eventOf('fired', alert, now));
    }
    if (step.resolved) {
      const alert = state.alerts[r.key];
      if (alert) {
        alert.resolvedAt = now;
        events.push(eventOf('resolved', alert, now));
        delete state.alerts[r.key];
      }
    }
  }
  return events;
}

export async function thresholdReadings(store: MetricStore, rules: readonly ThresholdRule[], now: number, inMaintenance: (device: string) => boolean): Promise<ConditionReading[]> {
  const out: ConditionReading[] = [];
  for (const rule of rules) {
    const rows = await store.querySeries({ measurement: rule.measurement, from: now - rule.lookbackMs, to: now + 1, fields: [rule.field] });
    const latest = new Map<string, number>();
    for (const row of rows) {
      const v = row.fields[rule.field];
      const device = row.tags['device'];
      if (typeof v === 'number' && device) latest.set(device, v);
    }
    for (const [device, value] of latest) {
      const breach = (rule.below !== undefined && value < rule.below) || (rule.above !== undefined && value > rule.above);
      out.push({
        key: `threshold:${rule.name}:${device}`, holds: breach && !inMaintenance(device), rule: 'threshold', subject: device, severity: 'warning',
        summary: `${rule.name}: ${device} ${rule.measurement}.${rule.field} = ${value}${rule.below !== undefined ? ` (below ${rule.below})` : ''}${rule.above !== undefined ? ` (above ${rule.above})` : ''}`,
        value, forMs: rule.forMs, clearMs: rule.clearMs,
      });
    }
  }
  return out;
}

export interface AreaUptimeDeps {
  store: MetricStore;
  devices: readonly Device[];
  maintenance: (device: Device, from: number, to: number) => Span[];
  /** the default intervals (the API's): each device's effective interval comes from server/status */
  intervals: DefaultIntervals;
}

/**
 * Area uptime over the trailing window, read exactly as GET /api/uptime reads it (the API's
 * deviceUptimes: server/status timelines with collector-down spans and maintenance, hourly
 * rollups for long windows), so the alert and the API give the same figure.
 */
export async function areaUptimeReadings(deps: AreaUptimeDeps, rules: readonly AreaUptimeRule[], now: number): Promise<ConditionReading[]> {
  const out: ConditionReading[] = [];
  for (const rule of rules) {
    const from = now - rule.windowMs;
    const areas = [...new Set(deps.devices.map((d) => d.area).filter((a) => a !== '' && (rule.area === undefined || a === rule.area)))].sort();
    const members = deps.devices.filter((d) => areas.includes(d.area));
    const { byDevice } = await deviceUptimes(deps.store, { devices: members, from, to: now, now, intervals: deps.intervals, maintenance: deps.maintenance });
    for (const area of areas) {
      const g = groupUptime(members.filter((d) => d.area === area).map((d) => ({ result: byDevice.get(d.id)! })));
      out.push({
        key: `area_uptime:${area}:${rule.target}`, holds: g.uptime !== null && g.uptime < rule.target, rule: 'area_uptime', subject: area, area, severity: 'warning',
        summary: `area ${area}: uptime ${g.uptime === null ? 'unknown' : (100 * g.uptime).toFixed(2)} % over ${Math.round(rule.windowMs / 60_000)} min, target ${(100 * rule.target).toFixed(2)} %`,
        ...(g.uptime !== null ? { value: g.uptime } : {}), forMs: rule.forMs, clearMs: rule.clearMs,
      });
    }
  }
  return out;
}
