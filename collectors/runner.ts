/**
 * Runs collectors: polling ones on a croner schedule with a timeout signal per cycle and no
 * pile-up (a tick that finds the previous cycle still running is logged and skipped), streaming
 * ones started and stopped. Self-metrics: netatlas_collector_duration_seconds,
 * netatlas_collector_success, netatlas_collector_skipped_cycles_total,
 * netatlas_collector_timed_out_cycles_total (per collector); cycleStats() gives the same counts
 * (and cycle durations) as plain numbers for the collection side's health.
 */
import { Cron } from 'croner';
import { Counter, Gauge } from 'prom-client';
import { silentLogger, type Logger } from '../core/log.js';
import { registered, type Registry } from '../core/self-metrics.js';
import type { Collector, PollingCollector, Sink, StreamingCollector } from './types.js';

export interface PollSchedule {
  /** seconds between cycles; default: the collector's own `intervalS`, else 60 */
  intervalS?: number;
  /** a cycle's time budget; default: the interval (a cycle may not run into the next) */
  timeoutMs?: number;
}

/** Six-field cron expression (with seconds) for "every intervalS seconds", aligned on the clock. */
export function cronExpression(intervalS: number): string {
  if (!Number.isInteger(intervalS) || intervalS < 1) throw new RangeError(`intervalS must be a positive integer, got ${intervalS}`);
  if (intervalS < 60 && 60 % intervalS === 0) return `*/${intervalS} * * * * *`;
  if (intervalS % 60 === 0) {
    const m = intervalS / 60;
    if (m < 60 && 60 % m === 0) return `0 */${m} * * * *`;
    if (m % 60 === 0 && 24 % (m / 60) === 0) return `0 0 */${m / 60} * * *`;
  }
  throw new RangeError(`intervalS ${intervalS} does not divide a minute, an hour or a day evenly`);
}

interface PollingEntry {
  kind: 'polling';
  collector: PollingCollector;
  intervalS: number;
  timeoutMs: number;
  task?: Cron;
  running?: Promise<void>;
  controller?: AbortController;
}

interface StreamingEntry { kind: 'streaming'; collector: StreamingCollector; started: boolean }

/** One polling collector's cycles since start: an overrun is a skipped tick or a timed-out cycle. */
export interface CycleStats {
  ran: number;
  /** ticks skipped because the previous cycle still ran */
  skipped: number;
  /** cycles aborted by their timeout (the interval, by default) */
  timedOut: number;
  lastDurationMs: number | null;
  maxDurationMs: number | null;
}

export interface RunnerDeps {
  sink: Sink;
  metrics: Registry;
  log?: Logger;
}

export class CollectorRunner {
  private readonly entries = new Map<string, PollingEntry | StreamingEntry>();
  private readonly log: Logger;
  private readonly duration: Gauge<'collector'>;
  private readonly success: Gauge<'collector'>;
  private readonly skipped: Counter<'collector'>;
  private readonly timedOut: Counter<'collector'>;
  private readonly cycles = new Map<string, CycleStats>();
  private started = false;
  private stopping = false;

  constructor(private readonly deps: RunnerDeps) {
    this.log = (deps.log ?? silentLogger).child({ component: 'runner' });
    const registers = [deps.metrics];
    this.duration = registered(deps.metrics, 'netatlas_collector_duration_seconds', () => new Gauge({
      name: 'netatlas_collector_duration_seconds', help: 'Duration of the last poll cycle of a collector', labelNames: ['collector'] as const, registers,
    }));
    this.success = registered(deps.metrics, 'netatlas_collector_success', () => new Gauge({
      name: 'netatlas_collector_success', help: '1 when the last poll cycle succeeded (streaming: running), else 0', labelNames: ['collector'] as const, registers,
    }));
    this.skipped = registered(deps.metrics, 'netatlas_collector_skipped_cycles_total', () => new Counter({
      name: 'netatlas_collector_skipped_cycles_total', help: 'Ticks skipped because the previous cycle was still running', labelNames: ['collector'] as const, registers,
    }));
    this.timedOut = registered(deps.metrics, 'netatlas_collector_timed_out_cycles_total', () => new Counter({
      name: 'netatlas_collector_timed_out_cycles_total', help: 'Poll cycles aborted because they ran past their timeout (by default the interval)', labelNames: ['collector'] as const, registers,
    }));
  }

  /** Each polling collector's cycle counts since start (a copy). */
  cycleStats(): Record<string, CycleStats> {
    return Object.fromEntries([...this.cycles].map(([name, s]) => [name, { ...s }]));
  }

  private statsOf(name: string): CycleStats {
    let s = this.cycles.get(name);
    if (!s) { s = { ran: 0, skipped: 0, timedOut: 0, lastDurationMs: null, maxDurationMs: null }; this.cycles.set(name, s); }
    return s;
  }

  add(collector: Collector, schedule: PollSchedule = {}): void {
    if (this.entries.has(collector.name)) throw new Error(`collector ${collector.name} added twice`);
    if (collector.kind === 'streaming') {
      this.entries.set(collector.name, { kind: 'streaming', collector, started: false });
      return;
    }
    const own = (collector as PollingCollector & { intervalS?: unknown }).intervalS;
    const intervalS = schedule.intervalS ?? (typeof own === 'number' ? own : 60);
    cronExpression(intervalS); // validate now: a bad interval stops start-up, not the first tick
    this.entries.set(collector.name, {
      kind: 'polling', collector, intervalS, timeoutMs: schedule.timeoutMs ?? intervalS * 1000,
    });
  }

  /** Starts streaming collectors and schedules polling ones; the first poll runs immediately. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    for (const e of this.entries.values()) {
      if (e.kind === 'streaming') {
        try {
          await e.collector.start(this.deps.sink);
          e.started = true;
          this.success.set({ collector: e.collector.name }, 1);
        } catch (err) {
          this.success.set({ collector: e.collector.name }, 0);
          this.log.error({ err, collector: e.collector.name }, `collector ${e.collector.name} failed to start`);
        }
      } else {
        // no `protect`: tick() itself skips (and counts) a tick that finds the last cycle running
        e.task = new Cron(cronExpression(e.intervalS), { mode: '6-part' }, () => { void this.tick(e.collector.name); });
        void this.tick(e.collector.name);
      }
    }
  }

  /**
   * One scheduled tick: starts a cycle unless the previous one still runs (then logs and skips).
   * Resolves when the cycle it started ends; exposed so tests and `simulate` can drive cycles.
   */
  tick(name: string): Promise<'ran' | 'skipped'> {
    const e = this.entries.get(name);
    if (!e || e.kind !== 'polling') return Promise.reject(new Error(`no polling collector ${name}`));
    if (e.running) {
      this.skipped.inc({ collector: name });
      this.statsOf(name).skipped += 1;
      this.log.warn({ collector: name, intervalS: e.intervalS }, `collector ${name}: previous cycle overran its interval; skipping this tick`);
      return Promise.resolve('skipped');
    }
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error(`collector ${name}: cycle timed out after ${e.timeoutMs} ms`)), e.timeoutMs);
    const t0 = performance.now();
    e.controller = controller;
    e.running = (async () => {
      try {
        await e.collector.poll(this.deps.sink, controller.signal);
        this.success.set({ collector: name }, controller.signal.aborted ? 0 : 1);
        if (controller.signal.aborted) this.log.warn({ collector: name }, `collector ${name}: cycle ended after its timeout`);
        // aborted by the timer, not by stop() (whose reason is 'shutting down')
        if (controller.signal.aborted && !this.stopping) { this.timedOut.inc({ collector: name }); this.statsOf(name).timedOut += 1; }
      } catch (err) {
        this.success.set({ collector: name }, 0);
        this.log.error({ err, collector: name }, `collector ${name}: poll cycle failed`);
      } finally {
        clearTimeout(timer);
        const ms = performance.now() - t0;
        this.duration.set({ collector: name }, ms / 1000);
        const st = this.statsOf(name);
        st.ran += 1;
        st.lastDurationMs = ms;
        st.maxDurationMs = Math.max(st.maxDurationMs ?? 0, ms);
        e.running = undefined;
        e.controller = undefined;
      }
    })();
    return e.running.then(() => 'ran' as const);
  }

  /** Stops schedules, aborts running cycles (their polls write nothing), stops streaming ones. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const e of this.entries.values()) {
      if (e.kind === 'polling') {
        e.task?.stop();
        e.task = undefined;
        e.controller?.abort(new Error('shutting down'));
        await e.running;
        await e.collector.close?.();
      } else if (e.started) {
        try { await e.collector.stop(); } catch (err) { this.log.error({ err, collector: e.collector.name }, 'stop failed'); }
        e.started = false;
        this.success.set({ collector: e.collector.name }, 0);
      }
    }
    this.started = false;
    this.stopping = false;
  }
}
