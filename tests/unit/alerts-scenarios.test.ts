/**
 * The alert rules over issue 11's scenarios (tests/scenarios/cases): each recording is evaluated
 * every 5 s as the engine does (each device's timeline from server/status since the previous
 * evaluation, up to and including the instant; the collectors' liveness from their points so
 * far), with every threshold, clear time and group wait at 0 and area grouping off. Then every
 * device_down alert starts and ends exactly where an incident does, every collector_down alert
 * on a collector's dead span, every device_unreadable alert on an unreadable span: the alerts the
 * scenario writes down by hand.
 */
import { describe, expect, it } from 'vitest';
import { alertsSchema } from '../../server/alerts/config.js';
import { advance, emptyTimelineRulesState, type TimelineRules } from '../../server/alerts/timeline-rules.js';
import type { Alert } from '../../server/alerts/types.js';
import { collectorGaps, collectorOf, deviceTimeline, intervalMsOf, lookbackMs, maxIntervalMs, MAX_HEARTBEAT_S, type Timeline } from '../../server/status/index.js';
import { SCENARIOS } from '../scenarios/cases/index.js';
import { collectorPointsOf, samplesOf, sortAlerts } from '../scenarios/compute.js';
import { record } from '../scenarios/recorder.js';
import type { ExpectedAlert } from '../scenarios/types.js';

const T0 = Date.UTC(2026, 10, 30, 10, 0, 0);
const STEP_MS = 5000;

const cfg = alertsSchema.parse({
  deviceDown: { thresholdMs: 0, clearMs: 0 }, grouping: { groupWaitMs: 0, minDevices: 1_000_000 },
  collectorDown: { thresholdMs: 0, clearMs: 0 }, deviceUnreadable: { thresholdMs: 0, clearMs: 0 },
});
const rules: TimelineRules = { deviceDown: cfg.deviceDown, grouping: cfg.grouping, collectorDown: cfg.collectorDown, deviceUnreadable: cfg.deviceUnreadable };

describe.each(SCENARIOS.map((s) => [s.name, s] as const))('alerts over the scenario: %s', (_name, s) => {
  it('open and resolve on the incidents, collector dead spans and unreadable spans the scenario lists', () => {
    const rec = record(s, T0);
    const samples = samplesOf(rec);
    for (const list of samples.values()) list.sort((a, b) => a.time - b.time);
    const points = collectorPointsOf(rec).sort((a, b) => a.time - b.time);
    /** the samples a timeline over [from, to) needs: the last one before `from`, and those up to `to` (windows only move forward) */
    const first = new Map<string, number>();
    const window = (id: string, a: number, b: number) => {
      const list = samples.get(id) ?? [];
      let i = first.get(id) ?? 0;
      while (i + 1 < list.length && list[i + 1]!.time < a) i++;
      first.set(id, i);
      let j = i;
      while (j < list.length && list[j]!.time < b) j++;
      return list.slice(i, j);
    };
    const lookback = lookbackMs(maxIntervalMs(rec.devices, rec.intervals), 1000 * MAX_HEARTBEAT_S);
    const devices = rec.devices.map((d) => ({ id: d.id, area: d.area, site: d.site, collector: collectorOf(d) }));
    const state = emptyTimelineRulesState();
    const seen = new Map<string, Alert>();
    const start = T0 + s.window.from, end = T0 + s.window.to;
    let from = start;
    // bounded: one evaluation per 5 s of the window
    for (let now = start; from < end; now += STEP_MS) {
      const to = Math.min(now + 1, end);
      const gaps = collectorGaps(points.filter((p) => p.time >= from - lookback - 1000 * MAX_HEARTBEAT_S && p.time < to), from - lookback, to);
      const timelines = new Map<string, Timeline>(rec.devices.map((d) => [d.id, deviceTimeline({
        samples: window(d.id, from, to), from, to, now: to, intervalMs: intervalMsOf(d, rec.intervals),
        collectorDown: gaps.get(collectorOf(d)) ?? [], maintenance: rec.maintenance.get(d.id) ?? [],
      })]));
      for (const e of advance(state, { from, to, now, devices, timelines, collectorDown: gaps, rules })) seen.set(e.alert.id, e.alert);
      from = to;
    }
    const got: ExpectedAlert[] = [...seen.values()].map((a) => ({
      rule: a.rule as ExpectedAlert['rule'], subject: a.subject, opens: a.startedAt - T0, resolves: a.resolvedAt === null ? null : a.endedAt! - T0,
    }));
    expect(sortAlerts(got)).toEqual(sortAlerts(s.alerts));
  });
});
