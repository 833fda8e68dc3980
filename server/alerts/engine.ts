/**
 * The alert engine: every evaluation reads the device timelines over the time since the last one
 * (server/status, through timeline-reader.ts) and, for condition rules, series, uptime and
 * health; it steps the pure state machines with the clock, then hands the events to the
 * notifiers' queue BEFORE saving the new state. A crash in between makes the next run derive the
 * same events again, with the same ids, which the queue ignores: so an event is neither lost nor
 * queued twice.
 */
import { DEFAULT_INTERVALS, collectorOf, type DefaultIntervals } from '../status/index.js';
import type { Device } from '../../core/device.js';
import { silentLogger, type Logger } from '../../core/log.js';
import type { MetricStore } from '../store/metric-store.js';
import type { MaintenanceWindows } from '../maintenance/windows.js';
import type { AlertsConfig } from './config.js';
import { areaUptimeReadings, stepConditions, thresholdReadings, type ConditionReading, type ConditionsState } from './conditions.js';
import type { AlertHistory } from './history.js';
import { migrateLegacyState, packState, unpackState } from './persisted-state.js';
import { advance, emptyTimelineRulesState, type TimelineRulesState } from './timeline-rules.js';
import { readTimelines } from './timeline-reader.js';
import type { Alert, AlertEvent } from './types.js';

export interface HealthProbe {
  name: string;
  /** `alertRule`: the rule type a failure raises instead of `health` (the broker's `broker_dropping`) */
  probe: () => Promise<{ ok: boolean; detail: string; alertRule?: unknown }>;
}

export interface AlertEngineDeps {
  store: MetricStore;
  devices: () => readonly Device[];
  /** an area's name for alert texts */
  areaName?: (areaId: string) => string | undefined;
  maintenance: MaintenanceWindows;
  config: AlertsConfig;
  history: AlertHistory;
  /** receives every event once it is decided (the dispatcher's enqueue) */
  publish: (event: AlertEvent) => void;
  /** components watched by the health rule; the store is always watched */
  health?: readonly HealthProbe[];
  /** default poll intervals (the API's), for devices without intervalS */
  intervals?: DefaultIntervals;
  now?: () => number;
  logger?: Logger;
}

/** How far back a first evaluation (no saved state) looks. */
const FIRST_LOOKBACK_MS = 15 * 60_000;
/**
 * An engine that was stopped longer than this does not read everything it missed in one query
 * (all samples of all devices for hours): it starts again FIRST_LOOKBACK_MS back, reading each
 * device's sample before that afresh. Open alerts carry on and resolve on what the timeline says now.
 */
const MAX_CATCHUP_MS = 60 * 60_000;

export class AlertEngine {
  private timeline: TimelineRulesState;
  private cond: ConditionsState;
  private cursor: number | null;
  private readonly now: () => number;
  private readonly log: Logger;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<AlertEvent[]> | undefined;

  constructor(private readonly deps: AlertEngineDeps) {
    this.now = deps.now ?? Date.now;
    this.log = (deps.logger ?? silentLogger).child({ component: 'alerts' });
    [this.timeline, this.cond, this.cursor] = this.load();
  }

  /** the state as last committed */
  private load(): [TimelineRulesState, ConditionsState, number | null] {
    const h = this.deps.history;
    return [
      unpackState(h.loadState<unknown>('timelineRules')) ?? migrateLegacyState(h.loadState<unknown>('deviceDown')) ?? emptyTimelineRulesState(),
      h.loadState<ConditionsState>('conditions') ?? { conditions: {}, alerts: {} },
      h.loadState<number>('cursor') ?? null,
    ];
  }

  /** One evaluation at the clock's current time; resolves with the events it raised. */
  evaluate(): Promise<AlertEvent[]> {
    this.running = (this.running ?? Promise.resolve([])).then(() => this.step(), () => this.step());
    return this.running;
  }

  private async step(): Promise<AlertEvent[]> {
    try {
      return await this.stepOnce();
    } catch (err) {
      // the machines may have stepped before a later read failed: go back to the committed state,
      // so the next evaluation derives the same events again instead of having skipped them
      [this.timeline, this.cond, this.cursor] = this.load();
      throw err;
    }
  }

  private async stepOnce(): Promise<AlertEvent[]> {
    const now = this.now();
    const { config, store, maintenance } = this.deps;
    const devices = this.deps.devices();
    const byId = new Map(devices.map((d) => [d.id, d]));
    const target = (id: string): Pick<Device, 'id' | 'site' | 'area'> => byId.get(id) ?? { id, site: '', area: '' };
    const events: AlertEvent[] = [];

    // device_down, area_down, device_unreadable, collector_down: from the timelines since the last
    // evaluation, fed up to and including the instant `now` (a sample written at `now` counts, as
    // in stateAt); the cursor is where the next evaluation's window starts
    const intervals = this.deps.intervals ?? DEFAULT_INTERVALS;
    let from = this.cursor ?? now - FIRST_LOOKBACK_MS;
    if (now - from > MAX_CATCHUP_MS) {
      from = now - FIRST_LOOKBACK_MS;
      this.timeline.primed = false;
    }
    const to = Math.max(from, now + 1);
    // all three rules off: nothing to read, unless alerts they raised are still open and must resolve
    if (config.deviceDown.enabled || config.collectorDown.enabled || config.deviceUnreadable.enabled || Object.keys(this.timeline.alerts).length > 0) {
      const read = await readTimelines({ store, devices, state: this.timeline, from, to, intervals, maintenance: (d, a, b) => maintenance.spansFor(d, a, b) });
      events.push(...advance(this.timeline, {
        from, to, now, devices: devices.map((d) => ({ id: d.id, area: d.area, site: d.site, collector: collectorOf(d) })),
        timelines: read.timelines, collectorDown: read.collectorDown, areaName: this.deps.areaName,
        rules: { deviceDown: config.deviceDown, grouping: config.grouping, collectorDown: config.collectorDown, deviceUnreadable: config.deviceUnreadable },
      }));
      for (const [id, last] of read.carry) { const t = this.timeline.devices[id]; if (t) t.last = last; }
      if (to > from && devices.length > 0) this.timeline.primed = true;
    }

    const readings: ConditionReading[] = [];
    const inMaint = (id: string) => maintenance.isActive(target(id), now);
    if (config.thresholds.length > 0) readings.push(...(await thresholdReadings(store, config.thresholds, now, inMaint)));
    if (config.areaUptime.length > 0) {
      readings.push(...(await areaUptimeReadings({
        store, devices, intervals, maintenance: (d, a, b) => maintenance.spansFor(d, a, b),
      }, config.areaUptime, now)));
    }
    if (config.health.enabled) {
      const probes: HealthProbe[] = [{ name: 'store', probe: () => store.health() }, ...(this.deps.health ?? [])];
      for (const p of probes) {
        const h = await p.probe().catch((err: Error) => ({ ok: false, detail: err.message }));
        const rule = 'alertRule' in h && h.alertRule === 'broker_dropping' ? 'broker_dropping' : 'health';
        readings.push({ key: `health:${p.name}`, holds: !h.ok, rule, subject: p.name, severity: 'critical', summary: `${p.name} unhealthy: ${h.detail}`, forMs: config.health.forMs, clearMs: config.health.clearMs });
      }
    }
    events.push(...stepConditions(this.cond, readings, now));

    for (const e of events) {
      this.log.info({ event: e.id, summary: e.alert.summary }, e.kind === 'fired' ? 'alert fired' : 'alert resolved');
      this.deps.publish(e);
    }
    this.cursor = to;
    this.deps.history.commit(events, [...Object.values(this.timeline.alerts), ...Object.values(this.cond.alerts)], { timelineRules: packState(this.timeline), conditions: this.cond, cursor: this.cursor }, config.keepResolved);
    return events;
  }

  /** Open alerts as the state machines see them (area alerts list the devices still down). */
  openAlerts(): Alert[] {
    return this.deps.history.open();
  }

  start(): void {
    if (this.timer) return;
    const run = (): void => {
      this.evaluate().catch((err: Error) => this.log.error({ err }, 'alert evaluation failed (will retry next interval)'));
    };
    this.timer = setInterval(run, this.deps.config.evaluationIntervalMs);
    this.timer.unref();
    run();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }
}
