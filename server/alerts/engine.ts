/**
 * The alert engine: every evaluation reads the new status samples (and, for condition rules,
 * series, uptime and health) from the store, steps the pure state machines with the clock, then
 * hands the events to the notifiers' queue BEFORE saving the new state. A crash in between makes
 * the next run derive the same events again, with the same ids, which the queue ignores: so an
 * event is neither lost nor queued twice.
 */
import { DEFAULT_INTERVALS, intervalMsOf, type DefaultIntervals } from '../status/index.js';
import type { Device } from '../inventory/device.js';
import { silentLogger, type Logger } from '../log.js';
import type { MetricStore } from '../store/metric-store.js';
import type { MaintenanceWindows } from '../maintenance/windows.js';
import type { AlertsConfig } from './config.js';
import { areaUptimeReadings, stepConditions, thresholdReadings, type ConditionReading, type ConditionsState } from './conditions.js';
import { emptyDeviceDownState, observe, tick, type DeviceDownState } from './device-down.js';
import type { AlertHistory } from './history.js';
import type { Alert, AlertEvent } from './types.js';

export interface HealthProbe {
  name: string;
  probe: () => Promise<{ ok: boolean; detail: string }>;
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

/** Samples may reach the store a little late (pipeline batching): re-read this much. */
const LATE_MS = 30_000;
/** How far back a first evaluation (no saved state) looks. */
const FIRST_LOOKBACK_MS = 15 * 60_000;

export class AlertEngine {
  private down: DeviceDownState;
  private cond: ConditionsState;
  private cursor: number | null;
  private readonly now: () => number;
  private readonly log: Logger;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<AlertEvent[]> | undefined;

  constructor(private readonly deps: AlertEngineDeps) {
    this.now = deps.now ?? Date.now;
    this.log = (deps.logger ?? silentLogger).child({ component: 'alerts' });
    this.down = deps.history.loadState<DeviceDownState>('deviceDown') ?? emptyDeviceDownState();
    this.cond = deps.history.loadState<ConditionsState>('conditions') ?? { conditions: {}, alerts: {} };
    this.cursor = deps.history.loadState<number>('cursor') ?? null;
  }

  /** One evaluation at the clock's current time; resolves with the events it raised. */
  evaluate(): Promise<AlertEvent[]> {
    this.running = (this.running ?? Promise.resolve([])).then(() => this.step(), () => this.step());
    return this.running;
  }

  private async step(): Promise<AlertEvent[]> {
    const now = this.now();
    const { config, store, maintenance } = this.deps;
    const devices = this.deps.devices();
    const byId = new Map(devices.map((d) => [d.id, d]));
    const target = (id: string) => byId.get(id) ?? { id, site: '', area: '' };
    const events: AlertEvent[] = [];

    if (config.deviceDown.enabled) {
      const from = (this.cursor ?? now - FIRST_LOOKBACK_MS) - LATE_MS;
      const samples = (await store.statusSamples({ from, to: now + 1, includePrevious: false })).sort((a, b) => a.time - b.time);
      for (const s of samples) observe(this.down, s.device, s, maintenance.isActive(target(s.device), s.time));
      // samples inside a maintenance window end a pending episode and start none (observe)
      events.push(...tick(this.down, { now, devices, rule: config.deviceDown, grouping: config.grouping, ...(this.deps.areaName ? { areaName: this.deps.areaName } : {}) }));
    }

    const readings: ConditionReading[] = [];
    const inMaint = (id: string) => maintenance.isActive(target(id), now);
    if (config.thresholds.length > 0) readings.push(...(await thresholdReadings(store, config.thresholds, now, inMaint)));
    if (config.areaUptime.length > 0) {
      readings.push(...(await areaUptimeReadings({
        store, devices, intervalMs: (d) => intervalMsOf(d, this.deps.intervals ?? DEFAULT_INTERVALS),
        maintenance: (d, from, to) => maintenance.spansFor(d, from, to),
      }, config.areaUptime, now)));
    }
    if (config.health.enabled) {
      const probes: HealthProbe[] = [{ name: 'store', probe: () => store.health() }, ...(this.deps.health ?? [])];
      for (const p of probes) {
        const h = await p.probe().catch((err: Error) => ({ ok: false, detail: err.message }));
        readings.push({ key: `health:${p.name}`, holds: !h.ok, rule: 'health', subject: p.name, severity: 'critical', summary: `${p.name} unhealthy: ${h.detail}`, forMs: config.health.forMs, clearMs: config.health.clearMs });
      }
    }
    events.push(...stepConditions(this.cond, readings, now));

    for (const e of events) {
      this.log.info({ event: e.id, summary: e.alert.summary }, e.kind === 'fired' ? 'alert fired' : 'alert resolved');
      this.deps.publish(e);
    }
    this.cursor = now;
    this.deps.history.commit(events, [...Object.values(this.down.alerts), ...Object.values(this.cond.alerts)], { deviceDown: this.down, conditions: this.cond, cursor: this.cursor }, config.keepResolved);
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
