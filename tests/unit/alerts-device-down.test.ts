/**
 * The timeline rules (device_down, area_down, collector_down, device_unreadable) fed with
 * hand-written timelines, as server/status would give them, cut into the windows of an
 * evaluation every 15 s. The state is packed, serialised and read back between evaluations, as
 * the engine persists it, so every test also shows that a restart changes nothing.
 */
import { describe, expect, it } from 'vitest';
import type { Span } from '../../server/analytics/intervals.js';
import { alertsSchema } from '../../server/alerts/config.js';
import { migrateLegacyState, packState, unpackState } from '../../server/alerts/persisted-state.js';
import { advance, emptyTimelineRulesState, type TimelineRules } from '../../server/alerts/timeline-rules.js';
import type { AlertEvent } from '../../server/alerts/types.js';
import { deviceIncidents, deviceTimeline, type EvidenceSample, type Timeline } from '../../server/status/index.js';

const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);
const S = 1000;

type Kind = 'up' | 'down' | 'unreadable' | 'maintenance' | 'collector-down';
/** [kind, from s, to s] relative to T0 */
type Spell = [Kind, number, number];

interface TestDevice { id: string; area: string; collector?: string }

function timelineOf(spells: readonly Spell[], from: number, to: number, reason?: string): Timeline {
  const pick = (k: Kind): Span[] => spells.filter((s) => s[0] === k)
    .map((s) => ({ start: Math.max(T0 + s[1] * S, from), end: Math.min(T0 + s[2] * S, to) })).filter((s) => s.end > s.start);
  const t: Timeline = { up: pick('up'), down: pick('down'), unreadable: pick('unreadable'), maintenance: pick('maintenance'), collectorDown: pick('collector-down'), window: { start: from, end: to } };
  if (reason !== undefined && t.unreadable.length > 0) t.unreadableReason = reason;
  return t;
}

interface RunOptions {
  rules?: Record<string, unknown>;
  /** per collector, its down spans [from s, to s) */
  collectorDown?: Record<string, [number, number][]>;
  reason?: string;
  /** from this time (s) on, the collector-down map has no entry at all (no point read) */
  silentAfterS?: number;
}

/**
 * Evaluates every 15 s from T0 to `untilS`, feeding the timeline up to and including the instant
 * of the evaluation ([previous, now + 1 ms)) as the engine does; returns "kind rule subject @s".
 */
function run(devices: TestDevice[], spells: Record<string, Spell[]>, untilS: number, o: RunOptions = {}): { lines: string[]; events: AlertEvent[] } {
  const cfg = alertsSchema.parse(o.rules ?? {});
  const rules: TimelineRules = { deviceDown: cfg.deviceDown, grouping: cfg.grouping, collectorDown: cfg.collectorDown, deviceUnreadable: cfg.deviceUnreadable };
  let state = emptyTimelineRulesState();
  const events: AlertEvent[] = [];
  const refs = devices.map((d) => ({ id: d.id, area: d.area, site: d.id, collector: d.collector ?? 'snmp' }));
  const gaps = new Map(Object.entries(o.collectorDown ?? {}).map(([c, spans]) => [c, spans.map(([a, b]) => ({ start: T0 + a * S, end: T0 + b * S }))]));
  let from = T0;
  for (let now = T0 + 15 * S; now <= T0 + untilS * S; now += 15 * S) {
    const to = now + 1;
    const timelines = new Map(devices.map((d) => [d.id, timelineOf(spells[d.id] ?? [], from, to, o.reason)]));
    const collectorDown = o.silentAfterS !== undefined && now > T0 + o.silentAfterS * S ? new Map<string, Span[]>() : gaps;
    events.push(...advance(state, { from, to, now, devices: refs, timelines, collectorDown, rules }));
    from = to;
    state = unpackState(JSON.parse(JSON.stringify(packState(state))))!;
  }
  return { lines: events.map((e) => `${e.kind} ${e.alert.rule} ${e.alert.subject} @${(e.at - T0) / S}`), events };
}

const solo: TestDevice[] = [{ id: 'olt-1', area: 'a' }];
const quick = { deviceDown: { thresholdMs: 60_000, clearMs: 0 }, grouping: { groupWaitMs: 0 } };

describe('device_down from the timeline', () => {
  it('an outage of 3 min with a 60 s threshold opens at +60 s and resolves at +180 s (no clear, no group wait)', () => {
    const { lines, events } = run(solo, { 'olt-1': [['down', 0, 180], ['up', 180, 600]] }, 600, { rules: quick });
    // down from 0: 60 s of down at +60 s, an evaluation then; the incident ends at +180 s, an evaluation then
    expect(lines).toEqual(['fired device_down olt-1 @60', 'resolved device_down olt-1 @180']);
    expect(events[1]!.alert).toMatchObject({ startedAt: T0, endedAt: T0 + 180 * S, endedAs: 'up', flapping: false });
    expect(events[1]!.id).toBe(`device_down:olt-1:${T0}:resolved`);
  });

  it('with the default rule (2 min, group wait 30 s, clear 60 s) a 3 min outage fires at +150 s and resolves at +240 s', () => {
    const { lines } = run(solo, { 'olt-1': [['up', 0, 60], ['down', 60, 240], ['up', 240, 600]] }, 600);
    // 120 s of down at 60 + 120 = 180 s; + 30 s group wait = 210 s. Up from 240 s; + 60 s clear = 300 s
    expect(lines).toEqual(['fired device_down olt-1 @210', 'resolved device_down olt-1 @300']);
  });

  it('a ten-second blip raises nothing', () => {
    expect(run(solo, { 'olt-1': [['up', 0, 100], ['down', 100, 110], ['up', 110, 600]] }, 600).lines).toEqual([]);
  });

  it('a link flapping every 20 s for 10 min raises one alert, labelled flapping, and one resolved', () => {
    // down [0,20), up [20,40), down [40,60), … the last down [560,580), then up
    const spells: Spell[] = [];
    for (let t = 0; t < 600; t += 20) spells.push([(t / 20) % 2 === 0 ? 'down' : 'up', t, t + 20]);
    spells.push(['up', 600, 1200]);
    const { lines, events } = run(solo, { 'olt-1': spells }, 1200);
    // 6 down spells × 20 s = 120 s at 220 s; + 30 s group wait = 250 s, the next evaluation 255 s.
    // Changes by then: down→up at 20, 60, …, 180 (5) and up→down at 40, …, 200 (5) = 10 ≥ 6
    // Up from 580 s; + 60 s clear = 640 s, the next evaluation 645 s
    expect(lines).toEqual(['fired device_down olt-1 @255', 'resolved device_down olt-1 @645']);
    expect(events[0]!.alert.flapping).toBe(true);
  });

  it('a whole area down raises one grouped alert naming the area and the count', () => {
    const devices: TestDevice[] = ['n1', 'n2', 'n3', 'n4'].map((id) => ({ id, area: 'ixelles' }));
    devices.push({ id: 'other', area: 'uccle' });
    const spells: Record<string, Spell[]> = { other: [['up', 0, 900]] };
    for (const id of ['n1', 'n2', 'n3']) spells[id] = [['up', 0, 60], ['down', 60, 400], ['up', 400, 900]];
    spells['n4'] = [['up', 0, 80], ['down', 80, 400], ['up', 400, 900]];
    const { lines, events } = run(devices, spells, 900);
    // n1..n3 cross at 180 s: 3 of 4 known is below the 0.8 ratio, so they wait 30 s; n4 crosses
    // at 200 s; at the 210 s evaluation 4 of 4 are down. All up at 400 s, + 60 s = 460 s → 465 s
    expect(lines).toEqual(['fired area_down ixelles @210', 'resolved area_down ixelles @465']);
    expect(events[0]!.alert.summary).toBe('area ixelles: 4 of 4 devices with known status down');
    expect(events[1]!.alert.devices).toEqual(['n1', 'n2', 'n3', 'n4']);
    expect(events[1]!.alert).toMatchObject({ endedAt: T0 + 400 * S, endedAs: 'up' });
  });

  it('only devices whose status is up or down count in the area: 3 nodes down of 3 known is the whole area', () => {
    // the APs are never heard of (stale), one is unreadable: none of them is known
    const devices: TestDevice[] = ['n1', 'n2', 'n3', 'ap1', 'ap2', 'ap3', 'ap4'].map((id) => ({ id, area: 'ixelles' }));
    const spells: Record<string, Spell[]> = { ap4: [['unreadable', 0, 900]] };
    for (const id of ['n1', 'n2', 'n3']) spells[id] = [['up', 0, 60], ['down', 60, 400], ['up', 400, 900]];
    const { lines, events } = run(devices, spells, 900, { rules: { deviceUnreadable: { enabled: false } } });
    // 3 cross at 180 s; 3 ≥ minDevices and 3 ≥ 0.8 × 3 known: grouped at once
    expect(lines).toEqual(['fired area_down ixelles @180', 'resolved area_down ixelles @465']);
    expect(events[0]!.alert.summary).toBe('area ixelles: 3 of 3 devices with known status down');
  });

  it('an outage inside a maintenance window raises nothing (the timeline has no down time there)', () => {
    expect(run(solo, { 'olt-1': [['up', 0, 30], ['maintenance', 30, 300], ['up', 300, 600]] }, 600).lines).toEqual([]);
  });

  it('an alert open when a maintenance window starts resolves clearMs after the window began, saying so', () => {
    const { lines, events } = run(solo, { 'olt-1': [['up', 0, 60], ['down', 60, 250], ['maintenance', 250, 500], ['up', 500, 600]] }, 600);
    // fired at 210 s as without the window; the incident ends at 250 s; + 60 s = 310 s → 315 s
    expect(lines).toEqual(['fired device_down olt-1 @210', 'resolved device_down olt-1 @315']);
    expect(events[1]!.alert).toMatchObject({ endedAt: T0 + 250 * S, endedAs: 'unknown: maintenance' });
  });

  it('a device still down when its maintenance window ends alerts threshold + group wait after the end', () => {
    const { lines } = run(solo, { 'olt-1': [['maintenance', 0, 200], ['down', 200, 500], ['up', 500, 600]] }, 600);
    // down from 200 s: 120 s at 320 s, + 30 s = 350 s → 360 s. Up from 500 s, + 60 s = 560 s → 570 s
    expect(lines).toEqual(['fired device_down olt-1 @360', 'resolved device_down olt-1 @570']);
  });
});

describe('collector_down', () => {
  const aps: TestDevice[] = [{ id: 'ap1', area: 'a', collector: 'mqtt' }, { id: 'ap2', area: 'a', collector: 'mqtt' }];

  it('a collector gap of 4 min raises collector_down and no device_down', () => {
    // the APs are up, then unknown while the collector is down [60, 300), then up again
    const spells: Spell[] = [['up', 0, 60], ['collector-down', 60, 300], ['up', 300, 600]];
    const { lines, events } = run(aps, { ap1: spells, ap2: spells }, 600, { collectorDown: { mqtt: [[60, 300]] } });
    // threshold 60 s: down from 60 s, fired at 120 s; alive at 300 s, no clear: resolved at 300 s
    expect(lines).toEqual(['fired collector_down mqtt @120', 'resolved collector_down mqtt @300']);
    expect(events[0]!.alert.summary).toBe(`collector mqtt down since ${new Date(T0 + 60 * S).toISOString()}: its 2 devices read unknown and raise no device_down alert until it is back`);
    expect(events[1]!.alert).toMatchObject({ value: 2, endedAt: T0 + 300 * S, endedAs: 'alive' });
  });

  it('an AP that crossed its threshold just before its collector went down raises no device_down', () => {
    // ap1 down [0, 70) crosses 60 s at 60 s and waits 30 s for its area; the collector is down
    // from 70 s, so at 90 s it is not down but unknown: no alert. The episode ends at 70 + 60 s.
    const spells: Record<string, Spell[]> = { ap1: [['down', 0, 70], ['collector-down', 70, 400], ['down', 400, 600]], ap2: [['up', 0, 70], ['collector-down', 70, 400], ['up', 400, 600]] };
    const { lines } = run(aps, spells, 600, { rules: { deviceDown: { thresholdMs: 60_000 } }, collectorDown: { mqtt: [[70, 400]] } });
    // collector: down from 70 s, 60 s later is 130 s → the 135 s evaluation; back at 400 s → 405 s.
    // ap1 down again from 400 s: a new episode, 60 s at 460 s, + 30 s = 490 s → 495 s
    expect(lines).toEqual(['fired collector_down mqtt @135', 'resolved collector_down mqtt @405', 'fired device_down ap1 @495']);
  });

  it('a collector whose points all fall out of the range read stays down: no heartbeat came', () => {
    // the reader lists the gap [60 s, now) while the collector's last points are within its
    // lookback; after 200 s they are not, and the collector has no entry at all in the map
    const { lines } = run(aps, {}, 600, { collectorDown: { mqtt: [[60, 200]] }, silentAfterS: 200 });
    // fired at 120 s and, with nothing saying it is alive, still open at 600 s
    expect(lines).toEqual(['fired collector_down mqtt @120']);
  });
});

describe('device_unreadable', () => {
  it('an unreadable device raises device_unreadable naming the reason, not device_down, and resolves when readable', () => {
    const { lines, events } = run(solo, { 'olt-1': [['up', 0, 60], ['unreadable', 60, 600], ['up', 600, 700]] }, 700, { reason: 'auth: Wrong Digest' });
    // unreadable from 60 s; default threshold 300 s: 360 s. Readable (up) at 600 s, no clear: 600 s
    expect(lines).toEqual(['fired device_unreadable olt-1 @360', 'resolved device_unreadable olt-1 @600']);
    expect(events[0]!.alert).toMatchObject({ severity: 'warning', reason: 'auth: Wrong Digest', startedAt: T0 + 60 * S });
    expect(events[0]!.alert.summary).toContain('olt-1 cannot be read since 2026-01-05T10:01:00.000Z (auth: Wrong Digest)');
    expect(events[1]!.alert).toMatchObject({ endedAt: T0 + 600 * S, endedAs: 'readable' });
  });

  it('an unreadable device whose collector goes down: the alert resolves saying so, not "readable"', () => {
    const { lines, events } = run(solo, { 'olt-1': [['unreadable', 0, 400], ['collector-down', 400, 600]] }, 600, { reason: 'auth: Wrong Digest', collectorDown: { snmp: [[400, 600]] }, rules: { collectorDown: { enabled: false }, deviceUnreadable: { clearMs: 30_000 } } });
    // unreadable from 0 s, 300 s threshold: 300 s; stops at 400 s, + 30 s clear = 430 s → 435 s
    expect(lines).toEqual(['fired device_unreadable olt-1 @300', 'resolved device_unreadable olt-1 @435']);
    expect(events[1]!.alert).toMatchObject({ endedAt: T0 + 400 * S, endedAs: 'unknown: collector-down' });
  });
});

describe('the same spans as /api/incidents', () => {
  /** samples of one device every 10 s (interval 10 s): `state(t)` says what each one says */
  function samples(untilS: number, state: (s: number) => 'up' | 'down' | 'unreadable'): EvidenceSample[] {
    const out: EvidenceSample[] = [];
    for (let s = 0; s < untilS; s += 10) {
      const st = state(s);
      out.push({ time: T0 + s * S, up: st === 'up', ...(st === 'unreadable' ? { unreadable: true, reason: 'auth: Wrong Digest' } : {}) });
    }
    return out;
  }

  /** the engine's loop without a store: each window's timeline from server/status, samples up to the instant of evaluation */
  function alertsFrom(all: EvidenceSample[], untilS: number, rules: Record<string, unknown>): AlertEvent[] {
    const cfg = alertsSchema.parse(rules);
    const state = emptyTimelineRulesState();
    const events: AlertEvent[] = [];
    let from = T0;
    for (let now = T0 + 15 * S; now <= T0 + untilS * S; now += 15 * S) {
      const to = now + 1;
      const t = deviceTimeline({ samples: all.filter((x) => x.time < to), from, to, now: to, intervalMs: 10 * S });
      events.push(...advance(state, {
        from, to, now, devices: [{ id: 'olt-1', area: 'a', site: 's', collector: 'snmp' }], timelines: new Map([['olt-1', t]]), collectorDown: new Map(),
        rules: { deviceDown: cfg.deviceDown, grouping: cfg.grouping, collectorDown: cfg.collectorDown, deviceUnreadable: cfg.deviceUnreadable },
      }));
      from = to;
    }
    return events;
  }

  it('a device_down alert starts and ends where the incident does', () => {
    // polled every 10 s, no answer from 60 s to 230 s, an answer at 240 s: incident [60 s, 240 s)
    const all = samples(600, (s) => (s >= 60 && s < 240 ? 'down' : 'up'));
    const incidents = deviceIncidents({ samples: all, from: T0, to: T0 + 600 * S, now: T0 + 600 * S, intervalMs: 10 * S }, { device: 'olt-1', tech: 'fibre', area: 'a' });
    expect(incidents.map((i) => [(i.start - T0) / S, (i.end! - T0) / S])).toEqual([[60, 240]]);
    const events = alertsFrom(all, 600, quick);
    // 60 s threshold: +60 s = 120 s; the incident ends at 240 s, both evaluation instants
    expect(events.map((e) => [e.kind, (e.at - T0) / S])).toEqual([['fired', 120], ['resolved', 240]]);
    expect([events[1]!.alert.startedAt, events[1]!.alert.endedAt]).toEqual([incidents[0]!.start, incidents[0]!.end]);
  });

  it('unreadable samples make no incident and no device_down, but a device_unreadable alert', () => {
    const all = samples(600, (s) => (s >= 60 && s < 500 ? 'unreadable' : 'up'));
    expect(deviceIncidents({ samples: all, from: T0, to: T0 + 600 * S, now: T0 + 600 * S, intervalMs: 10 * S }, { device: 'olt-1', tech: 'fibre', area: 'a' })).toEqual([]);
    const events = alertsFrom(all, 600, { ...quick, deviceUnreadable: { thresholdMs: 120_000 } });
    // unreadable from 60 s, 120 s later = 180 s; readable at 500 s → the 510 s evaluation
    expect(events.map((e) => [e.kind, e.alert.rule, (e.at - T0) / S, e.alert.reason])).toEqual([
      ['fired', 'device_unreadable', 180, 'auth: Wrong Digest'],
      ['resolved', 'device_unreadable', 510, 'auth: Wrong Digest'],
    ]);
    expect(events[1]!.alert.endedAt).toBe(T0 + 500 * S);
  });
});

describe('a state saved by the sample-walking machine', () => {
  it('carries its open device_down alert over, which resolves when the timeline shows the device up', () => {
    const alert = { id: `device_down:olt-1:${T0}`, rule: 'device_down' as const, subject: 'olt-1', severity: 'critical' as const, summary: 'device olt-1 down', startedAt: T0, firedAt: T0 + 150 * S, resolvedAt: null };
    const legacy = {
      devices: {
        'olt-1': { phase: 'firing', lastUp: false, lastTime: T0 + 170 * S, episodeStart: T0, downMs: 170_000, transitions: 0, upSince: null, crossedAt: T0 + 120 * S, alertId: alert.id },
        'olt-2': { phase: 'pending', lastUp: false, lastTime: T0 + 170 * S, episodeStart: T0 + 100 * S, downMs: 70_000, transitions: 0, upSince: null, crossedAt: null, alertId: null },
      },
      alerts: { [alert.id]: alert },
    };
    const state = migrateLegacyState(JSON.parse(JSON.stringify(legacy)))!;
    expect(Object.keys(state.devices)).toEqual(['olt-1']);
    expect(state.primed).toBe(false);
    const cfg = alertsSchema.parse({});
    const rules: TimelineRules = { deviceDown: cfg.deviceDown, grouping: cfg.grouping, collectorDown: cfg.collectorDown, deviceUnreadable: cfg.deviceUnreadable };
    const devices = [{ id: 'olt-1', area: 'a', site: 's', collector: 'snmp' }];
    // up from 180 s: the episode ends 60 s later, at 240 s
    const feed = (from: number, to: number) => advance(state, { from, to, now: to - 1, devices, collectorDown: new Map(), rules, timelines: new Map([['olt-1', timelineOf([['down', 0, 180], ['up', 180, 600]], from, to)]]) });
    expect(feed(T0 + 180 * S, T0 + 200 * S + 1)).toEqual([]);
    const events = feed(T0 + 200 * S + 1, T0 + 240 * S + 1);
    expect(events.map((e) => [e.id, (e.at - T0) / S, e.alert.endedAs])).toEqual([[`device_down:olt-1:${T0}:resolved`, 240, 'up']]);
  });
});

describe('a rule disabled while its alert is open', () => {
  it('raises nothing new, and the open alert still resolves when its incident ends', () => {
    const cfg = alertsSchema.parse(quick);
    const on: TimelineRules = { deviceDown: cfg.deviceDown, grouping: cfg.grouping, collectorDown: cfg.collectorDown, deviceUnreadable: cfg.deviceUnreadable };
    const off: TimelineRules = { ...on, deviceDown: { ...cfg.deviceDown, enabled: false } };
    const state = emptyTimelineRulesState();
    const devices = [{ id: 'olt-1', area: 'a', site: 's', collector: 'snmp' }, { id: 'olt-2', area: 'b', site: 's', collector: 'snmp' }];
    const spells: Record<string, Spell[]> = { 'olt-1': [['down', 0, 180], ['up', 180, 600]], 'olt-2': [['up', 0, 100], ['down', 100, 600]] };
    const lines: string[] = [];
    let from = T0;
    for (let now = T0 + 15 * S; now <= T0 + 600 * S; now += 15 * S) {
      const to = now + 1;
      const timelines = new Map(devices.map((d) => [d.id, timelineOf(spells[d.id]!, from, to)]));
      // on until 90 s (olt-1 fired at 60 s), then off
      for (const e of advance(state, { from, to, now, devices, timelines, collectorDown: new Map(), rules: now <= T0 + 90 * S ? on : off })) lines.push(`${e.kind} ${e.alert.subject} @${(e.at - T0) / S}`);
      from = to;
    }
    // olt-2's 500 s outage raises nothing; olt-1's alert resolves when its incident ends at 180 s
    expect(lines).toEqual(['fired olt-1 @60', 'resolved olt-1 @180']);
  });
});
