/**
 * The scenarios' expected alerts, raised by the alert rules themselves (server/alerts
 * timeline-reader.ts + timeline-rules.ts, what the engine runs every evaluation) reading each store
 * the recorder's points were written to. With no debounce (thresholds 0, clear 0, no group wait)
 * and no area grouping, an alert's condition is exactly a span of server/status: a device_down
 * alert starts and ends with an incident, collector_down with the collector's dead span,
 * device_unreadable with an unreadable span. `startedAt` and `endedAt` (when the condition began
 * and ended) are compared exactly; an alert still open after the last evaluation (at the window's
 * last instant) is expected with `resolves: null`. (With the default rules, 2 min threshold and
 * 30 s group wait, the 60 s power cut raises no device_down alert at all: debounce, by design.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertsSchema } from '../../server/alerts/config.js';
import { readTimelines } from '../../server/alerts/timeline-reader.js';
import { advance, emptyTimelineRulesState } from '../../server/alerts/timeline-rules.js';
import { collectorOf } from '../../server/status/index.js';
import type { MetricStore } from '../../server/store/metric-store.js';
import { SCENARIOS } from './cases/index.js';
import { sortAlerts } from './compute.js';
import { record, type Recording } from './recorder.js';
import { maintenanceLookup, STORE_KINDS, type OpenStore } from './stores.js';
import { HOUR, S, type ExpectedAlert, type Scenario } from './types.js';

const T0 = Math.floor(Date.now() / HOUR) * HOUR - 8 * HOUR;
/** the engine's default evaluation interval */
const EVERY_MS = 15 * S;
const NO_DEBOUNCE = alertsSchema.parse({
  deviceDown: { thresholdMs: 0, clearMs: 0 },
  grouping: { minDevices: 1000, groupWaitMs: 0 },
  collectorDown: { thresholdMs: 0, clearMs: 0 },
  deviceUnreadable: { thresholdMs: 0, clearMs: 0 },
});

/** Evaluates the timeline rules every EVERY_MS over the window, as the engine does; the alerts they raised, ms from t0. */
async function alertsOver(store: MetricStore, rec: Recording, s: Scenario, cfg = NO_DEBOUNCE): Promise<ExpectedAlert[]> {
  const state = emptyTimelineRulesState();
  const devices = rec.devices.map((d) => ({ id: d.id, area: d.area, site: d.site, collector: collectorOf(d) }));
  const rules = { deviceDown: cfg.deviceDown, grouping: cfg.grouping, collectorDown: cfg.collectorDown, deviceUnreadable: cfg.deviceUnreadable };
  const seen = new Map<string, ExpectedAlert>();
  const end = T0 + s.window.to;
  let from = T0 + s.window.from;
  for (let now = from; from < end; now = Math.min(now + EVERY_MS, end - 1)) {
    const to = now + 1;
    const read = await readTimelines({ store, devices: rec.devices, state, from, to, intervals: rec.intervals, maintenance: maintenanceLookup(rec.maintenance) });
    const events = advance(state, { from, to, now, devices, timelines: read.timelines, collectorDown: read.collectorDown, rules });
    for (const [id, last] of read.carry) { const t = state.devices[id]; if (t) t.last = last; }
    state.primed = true;
    for (const e of events) {
      const a = e.alert;
      if (e.kind === 'fired') seen.set(a.id, { rule: a.rule as ExpectedAlert['rule'], subject: a.subject, opens: a.startedAt - T0, resolves: null });
      else seen.get(a.id)!.resolves = (a.endedAt ?? a.resolvedAt!) - T0;
    }
    from = to;
  }
  return sortAlerts([...seen.values()]);
}

const cases = STORE_KINDS.flatMap((kind) => SCENARIOS.map((s) => [`${kind.name}: ${s.name}`, kind, s] as const));

describe.each(cases)('scenario alerts (store) %s', (_name, kind, s: Scenario) => {
  let open: OpenStore, rec: Recording;
  beforeAll(async () => {
    open = await kind.open();
    rec = record(s, T0);
    for (let i = 0; i < rec.points.length; i += 5000) await open.store.write(rec.points.slice(i, i + 5000));
  });
  afterAll(async () => { await open?.dispose(); });

  it('the alert rules raise the expected alerts, starting and ending with the spans', async () => {
    expect(await alertsOver(open.store, rec, s)).toEqual(sortAlerts(s.alerts));
  });
});

describe('scenario alerts with the default rules (SQLite)', () => {
  it('the 60 s power cut raises no device_down alert: 60 s of down never reaches the 2 min threshold', async () => {
    const s = SCENARIOS.find((x) => x.name === 'AP power cut 60 s')!;
    const open = await STORE_KINDS[0]!.open();
    try {
      const rec = record(s, T0);
      await open.store.write(rec.points);
      expect(await alertsOver(open.store, rec, s, alertsSchema.parse({}))).toEqual([]);
    } finally {
      await open.dispose();
    }
  });
});
