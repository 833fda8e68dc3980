import { describe, expect, it } from 'vitest';
import { alertsSchema } from '../../server/alerts/config.js';
import { OK_CONDITION, stepCondition, type ConditionState } from '../../server/alerts/condition.js';
import { stepConditions, type ConditionReading, type ConditionsState } from '../../server/alerts/conditions.js';
import { formatIssues } from '../../server/inventory/issues.js';

const S = 1000;

/** Runs a condition sampled every 10 s; returns the times (s) it fired and resolved. */
function trace(holds: (t: number) => boolean, untilS: number, forMs: number, clearMs: number): string[] {
  let s: ConditionState = OK_CONDITION;
  const out: string[] = [];
  for (let t = 0; t <= untilS; t += 10) {
    const step = stepCondition(s, holds(t), t * S, forMs, clearMs);
    s = step.state;
    if (step.fired) out.push(`fired@${t}`);
    if (step.resolved) out.push(`resolved@${t}`);
  }
  return out;
}

describe('condition debounce and hysteresis', () => {
  it('fires after holding forMs and resolves after clearMs without it', () => {
    // holds 100..300 s; for 60 s → fires at 160; gone from 310, clear 30 s → resolved at 340
    expect(trace((t) => t >= 100 && t <= 300, 600, 60 * S, 30 * S)).toEqual(['fired@160', 'resolved@340']);
  });

  it('a condition shorter than forMs never fires', () => {
    expect(trace((t) => t >= 100 && t < 150, 600, 60 * S, 30 * S)).toEqual([]);
  });

  it('a condition that comes back within clearMs stays one alert', () => {
    // holds 0..200, gone 210..220, holds 230..400: one alert, resolved 30 s after 400
    expect(trace((t) => t <= 200 || (t >= 230 && t <= 400), 600, 0, 30 * S)).toEqual(['fired@0', 'resolved@440']);
  });
});

describe('condition rules', () => {
  const reading = (holds: boolean, value: number): ConditionReading => ({
    key: 'threshold:low-rx:olt-1', holds, rule: 'threshold', subject: 'olt-1', severity: 'warning', summary: `rx ${value}`, value, forMs: 20 * S, clearMs: 0,
  });

  it('raise a threshold alert with a stable id and resolve it, each once', () => {
    const state: ConditionsState = { conditions: {}, alerts: {} };
    const ev = [
      ...stepConditions(state, [reading(true, -29)], 0),
      ...stepConditions(state, [reading(true, -30)], 10 * S),
      ...stepConditions(state, [reading(true, -30)], 20 * S),
      ...stepConditions(state, [reading(true, -31)], 30 * S),
      ...stepConditions(state, [reading(false, -20)], 40 * S),
    ];
    expect(ev.map((e) => [e.id, e.at])).toEqual([['threshold:low-rx:olt-1:0:fired', 20 * S], ['threshold:low-rx:olt-1:0:resolved', 40 * S]]);
    expect(state).toEqual({ conditions: {}, alerts: {} });
  });

  it('resolve an alert whose subject is no longer read (device removed)', () => {
    const state: ConditionsState = { conditions: {}, alerts: {} };
    stepConditions(state, [{ ...reading(true, -35), forMs: 0 }], 0);
    expect(stepConditions(state, [], 10 * S).map((e) => e.kind)).toEqual(['resolved']);
  });
});

describe('alerts config', () => {
  it('defaults: 2 min debounce, 1 min clear, grouping of 3 devices and 80 % of an area', () => {
    const c = alertsSchema.parse({});
    expect([c.deviceDown.thresholdMs, c.deviceDown.clearMs, c.grouping.minDevices, c.grouping.ratio, c.evaluationIntervalMs]).toEqual([120_000, 60_000, 3, 0.8, 15_000]);
  });

  it('names the path of a bad rule', () => {
    const r = alertsSchema.safeParse({ thresholds: [{ name: 'x', measurement: 'optical', field: 'rx_dbm' }], grouping: { ratio: 2 }, typo: 1 });
    expect(formatIssues(r.error!, 'alerts')).toEqual([
      'alerts.grouping.ratio: Too big: expected number to be <=1',
      'alerts.thresholds[0].below: needs below or above',
      'alerts: Unrecognized key: "typo"',
    ]);
  });
});
