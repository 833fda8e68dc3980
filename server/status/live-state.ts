/**
 * The live state: per device its current state, last evidence, incidents and the uptime of the
 * hours not rolled up yet, kept in memory as points arrive (a StatusFeed, feed.ts), so that current
 * status, the map, the events and "last 24 h" read memory plus the finished hourly rollups instead
 * of recomputing history from raw samples on every request.
 *
 * Same answers as the store path, by construction: every figure is deviceTimeline /
 * deviceIncidents / stateAt / collectorGaps over the same samples and collector points the store
 * path would read (live-device.ts picks them), and 24 h uptime is split like deviceUptimes
 * (rolled hours from the rollups, the rest raw). tests/scenarios/live-state.test.ts compares both.
 *
 * What is kept: the collector_status points of the day (and a lookback), each device's samples
 * since `tailFrom` (the start of the previous clock hour) and the last one before, the timeline
 * spans and incidents of the day before the tail, and the rollup sums of the day. Restored from the
 * store at start(); points written by other processes reach it through a reconciliation every
 * `reconcileMs` (the store's samples and collector points since the last look). Time-driven
 * changes (up going stale, a heartbeat running out) need no point: reads evaluate at `now`.
 *
 * Not seen: a point older than the tail (a spool replayed more than an hour late) changes the
 * store's history but not this one's; rollups rewritten by another process are read again only
 * for hours this process has not read yet.
 */
import { EventEmitter } from 'node:events';
import type { Device } from '../../core/device.js';
import type { MetricStore } from '../store/metric-store.js';
import type { StatusSample } from '../../core/status-sample.js';
import type { Point } from '../../core/point.js';
import { statusSampleFrom } from '../store/result-order.js';
import { clip, subtract, totalMs, type Span } from '../analytics/intervals.js';
import { silentLogger, type Logger } from '../../core/log.js';
import { HOUR_MS, ROLLUP_MIN_WINDOW_MS, type DeviceUptimes } from './device-uptimes.js';
import { collectorOf, intervalMsOf, maxIntervalMs, type DefaultIntervals } from './intervals.js';
import { lookbackMs, MAX_HEARTBEAT_S } from './semantics.js';
import { resultOfSums, type UptimeResult, type UptimeSums } from './timeline.js';
import type { Incident } from './incidents.js';
import { collectorPointFrom, collectorPointsFor, collectorStatusPoints, DAY_MS, forEachTimeline, type DeviceState } from './reader.js';
import { DeviceLive, type DeviceContext } from './live-device.js';
import { CollectorLiveness } from './live-collectors.js';
import { assignedGaps } from './collector-liveness.js';
import { RollupMemory } from './live-rollups.js';
import type { StatusFeed } from './feed.js';

export interface LiveStateOptions {
  store: MetricStore;
  devices: () => readonly Device[];
  intervals: DefaultIntervals;
  now?: (() => number) | undefined;
  maintenance?: ((device: Device, from: number, to: number) => Span[]) | undefined;
  feed?: StatusFeed | undefined;
  /** server/rollups.ts onRollupsWritten bound to the store: hours rewritten are read again */
  rollupsWritten?: ((listener: (devices: readonly Device[], from: number, to: number) => void) => () => void) | undefined;
  /** how often the store is read for points the feed does not carry (other processes); default 30 s */
  reconcileMs?: number | undefined;
  log?: Logger | undefined;
}

/** the store is read again this far before the last look: points are written a little after their time */
const RECONCILE_OVERLAP_MS = 120_000;
/** feed batches kept while restoring; beyond, the reconciliation brings them */
const MAX_PENDING_POINTS = 2_000_000;

export class LiveState {
  private readonly byId = new Map<string, DeviceLive>();
  private readonly collectors = new CollectorLiveness();
  private readonly rollups: RollupMemory;
  private readonly now: () => number;
  private readonly log: Logger;
  private readonly emitter = new EventEmitter();
  private keepFrom = 0;
  private tailFrom = 0;
  private lastCheck = 0;
  private isReady = false;
  private stopped = false;
  private pending: (readonly Point[])[] = [];
  private pendingPoints = 0;
  private unsubscribe: (() => void)[] = [];
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  /** reads of rewritten rollups, one after the other (refresh waits for them) */
  private rollupReads: Promise<void> = Promise.resolve();
  /** samples older than the tail that were not its lead: already in the history, or late (history is not rewritten) */
  olderThanTail = 0;
  private changeCount = 0;

  constructor(private readonly opts: LiveStateOptions) {
    this.now = opts.now ?? Date.now;
    this.log = (opts.log ?? silentLogger).child({ component: 'live-state' });
    this.rollups = new RollupMemory(opts.store);
    this.emitter.setMaxListeners(0);
  }

  /** true once restored: until then readers use the store */
  get ready(): boolean {
    return this.isReady;
  }

  /** Subscribe to the feed, restore from the store, start the reconciliation timer. */
  async start(): Promise<void> {
    if (this.opts.feed) this.unsubscribe.push(this.opts.feed.onPoints((p) => this.apply(p)));
    if (this.opts.rollupsWritten) {
      this.unsubscribe.push(this.opts.rollupsWritten((devices, from, to) => {
        this.rollupReads = this.rollupReads.then(() => this.rollupsWritten(devices, from, to))
          .catch((err: Error) => this.log.warn({ err: err.message }, 'rollups not read again; the next refresh looks for new hours'));
      }));
    }
    const every = this.opts.reconcileMs ?? 30_000;
    if (every > 0) {
      this.timer = setInterval(() => void this.refresh(), every);
      this.timer.unref();
    }
    // a store not reachable yet: logged, and the next refresh tries again
    await this.refresh();
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
    for (const u of this.unsubscribe) u();
    this.unsubscribe = [];
  }

  /**
   * Counts what may have changed the answers: a sample that changed a device (not one read again
   * by the reconciliation's overlap), collector points, the tail rolled, devices restored, rollups
   * read. A reconciliation that found none of these leaves it, so a reader may keep what it built
   * from the same count (the map body, server/api/map-devices-body.ts) until nextChange().
   */
  get changes(): number {
    return this.changeCount;
  }

  /** Called after points were applied (feed or reconciliation): the status events look again. */
  onApplied(listener: () => void): () => void {
    this.emitter.on('applied', listener);
    return () => { this.emitter.off('applied', listener); };
  }

  private async restore(): Promise<void> {
    const now = this.now();
    const devices = this.opts.devices();
    this.keepFrom = Math.floor((now - DAY_MS) / HOUR_MS) * HOUR_MS;
    this.tailFrom = Math.floor(now / HOUR_MS) * HOUR_MS - HOUR_MS;
    const gapsFrom = this.keepFrom - lookbackMs(maxIntervalMs(devices, this.opts.intervals), 1000 * MAX_HEARTBEAT_S);
    this.collectors.reset(gapsFrom, await collectorPointsFor(this.opts.store, gapsFrom, now + 1));
    await this.restoreDevices(devices, now);
    await this.rollups.load(this.keepFrom, Math.floor(now / HOUR_MS) * HOUR_MS);
    this.lastCheck = now;
    this.isReady = true;
    const pending = this.pending;
    this.pending = [];
    this.pendingPoints = 0;
    for (const batch of pending) this.apply(batch);
    this.log.info({ devices: devices.length, ms: Date.now() - now }, 'live state restored from the store');
  }

  /** Each device's history (an hour per store read) and tail, from the store. */
  private async restoreDevices(devices: readonly Device[], now: number): Promise<void> {
    if (devices.length === 0) return;
    const lives = new Map(devices.map((d) => [d.id, new DeviceLive(d, whoOf(d), this.keepFrom, this.keepFrom)]));
    const tailFrom = this.tailFrom;
    await forEachTimeline(this.opts.store, {
      devices, from: this.keepFrom, to: tailFrom, now, intervals: this.opts.intervals, collectorDown: this.collectors.gaps(),
      maintenance: this.opts.maintenance, chunkMs: HOUR_MS,
    }, (d, input) => {
      // stop() during a long restore: abandon it rather than hold the shutdown
      if (this.stopped) throw new Error('live state stopped while restoring');
      lives.get(d.id)!.addHistory(input);
    });
    const samples = await this.opts.store.statusSamples({ from: tailFrom, to: now + 1, devices: devices.map((d) => d.id), includePrevious: true });
    for (const live of lives.values()) live.tailFrom = tailFrom;
    for (const s of samples) {
      const live = lives.get(s.device)!;
      if (s.time < tailFrom) { live.lead = s; live.latest = s; } else live.add(s);
    }
    for (const [id, live] of lives) {
      // the tail moved on while this device was read
      if (this.tailFrom > tailFrom) live.rollForward(this.tailFrom, this.now(), this.keepFrom, this.context(live.device));
      this.byId.set(id, live);
    }
  }

  /** Apply points the store has accepted (the feed's listener). */
  apply(points: readonly Point[]): void {
    if (!this.isReady) {
      if (this.pendingPoints + points.length <= MAX_PENDING_POINTS) { this.pending.push(points); this.pendingPoints += points.length; }
      return;
    }
    const collectorPoints = [];
    for (const p of points) {
      if (p.measurement === 'device_status') {
        const s = statusSampleFrom(p);
        if (s) this.addSample(s);
      } else if (p.measurement === 'collector_status') {
        const c = collectorPointFrom(p);
        if (c) collectorPoints.push(c);
      }
    }
    if (collectorPoints.length > 0) { this.collectors.add(collectorPoints); this.changeCount++; }
    this.emitter.emit('applied');
  }

  private addSample(s: StatusSample): void {
    const live = this.byId.get(s.device);
    if (!live) return;
    const revision = live.revision;
    if (!live.add(s)) this.olderThanTail++;
    if (live.revision !== revision) this.changeCount++;
  }

  /**
   * One reconciliation step (the timer's): the store's samples and collector points since the
   * last look, the tail moved forward at the hour, new inventory devices restored, new rollups read.
   */
  refresh(): Promise<void> {
    this.ticking ??= this.tick().catch((err: Error) => this.log.warn({ err: err.message }, 'live state refresh failed; trying again next time')).finally(() => { this.ticking = undefined; });
    return this.ticking;
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    if (!this.isReady) return this.restore();
    await this.rollupReads;
    const now = this.now();
    const since = this.lastCheck - RECONCILE_OVERLAP_MS;
    const tailFrom = this.tailFrom;
    const [samples, points] = await Promise.all([
      this.opts.store.statusSamples({ from: since, to: now + 1, includePrevious: false }),
      collectorStatusPoints(this.opts.store, since, now + 1),
    ]);
    for (const s of samples) this.addSample(s);
    this.collectors.add(points);
    this.lastCheck = now;
    this.roll(now);
    const missing = this.opts.devices().filter((d) => !this.byId.has(d.id));
    if (missing.length > 0) await this.restoreDevices(missing, now);
    const lastWhole = Math.floor(now / HOUR_MS) * HOUR_MS;
    // the hours loaded here were not rolled before: new rollups show as more rolled time (none yet, as
    // until the job ran, is no change)
    const rolledMs = totalMs(this.rollups.hours());
    if (!this.rollups.has(lastWhole - HOUR_MS)) await this.rollups.load(Math.max(this.keepFrom, this.rollups.newestEnd() ?? this.keepFrom), lastWhole);
    // samples count in addSample (only those that changed something); collector points read again count too
    if (points.length > 0 || tailFrom !== this.tailFrom || missing.length > 0 || totalMs(this.rollups.hours()) !== rolledMs) this.changeCount++;
    this.emitter.emit('applied');
  }

  /** At each clock hour: the previous hour but one joins the history, and what is older than a day goes. */
  private roll(now: number): void {
    const tailFrom = Math.floor(now / HOUR_MS) * HOUR_MS - HOUR_MS;
    const keepFrom = Math.floor((now - DAY_MS) / HOUR_MS) * HOUR_MS;
    if (tailFrom <= this.tailFrom) return;
    for (const live of this.byId.values()) live.rollForward(tailFrom, now, keepFrom, this.context(live.device));
    this.tailFrom = tailFrom;
    if (keepFrom > this.keepFrom) {
      this.keepFrom = keepFrom;
      this.collectors.prune(keepFrom - lookbackMs(maxIntervalMs(this.opts.devices(), this.opts.intervals), 1000 * MAX_HEARTBEAT_S));
      this.rollups.prune(keepFrom);
    }
  }

  private async rollupsWritten(devices: readonly Device[], from: number, to: number): Promise<void> {
    if (!this.isReady || to <= this.keepFrom) return;
    await this.rollups.load(Math.max(from, this.keepFrom), to);
    // a recomputation for some devices (a maintenance window changed): their history is read again
    const some = devices.filter((d) => this.byId.has(d.id));
    if (some.length > 0 && some.length < this.byId.size && from < this.tailFrom) {
      for (const d of some) this.byId.delete(d.id);
      await this.restoreDevices(some, this.now());
    }
    // at the end: a reader that built meanwhile kept the count from before
    this.changeCount++;
  }

  /** per inventory device object (a reloaded inventory brings new ones), built once: reads make one per device */
  private readonly contexts = new WeakMap<Device, DeviceContext>();

  private context(d: Device): DeviceContext {
    const hit = this.contexts.get(d);
    if (hit) return hit;
    const name = collectorOf(d);
    const collectors = this.collectors;
    const maintenance = this.opts.maintenance;
    const ctx: DeviceContext = {
      intervalMs: intervalMsOf(d, this.opts.intervals),
      collectorDownOf: (samples) => assignedGaps(collectors.gaps(), name, samples),
      get version() { return collectors.version(name); },
      changedSince: (v) => collectors.changedSince(name, v),
      maintenance: (from, to) => maintenance?.(d, from, to) ?? [],
    };
    this.contexts.set(d, ctx);
    return ctx;
  }

  /** Whether the live state can answer for these devices over a window starting at `from`. */
  covers(devices: readonly Device[], from: number): boolean {
    if (!this.isReady || from < this.keepFrom) return false;
    for (const d of devices) if (!this.byId.has(d.id)) return false;
    return true;
  }

  /** Current state of each device (currentStates). */
  states(devices: readonly Device[], now = this.now()): Map<string, DeviceState> {
    const out = new Map<string, DeviceState>();
    for (const d of devices) {
      const live = this.byId.get(d.id);
      out.set(d.id, live ? live.stateAt(now, this.context(d)) : { status: 'unknown', reason: 'no-evidence', lastSeen: null, rtt_ms: null });
    }
    return out;
  }

  /** Each device's uptime over [from, to), split as deviceUptimes splits it; covers(devices, from) must hold. */
  uptimes(devices: readonly Device[], from: number, to: number, now = this.now()): DeviceUptimes {
    const end = Math.max(from, Math.min(to, now));
    const first = Math.ceil(from / HOUR_MS) * HOUR_MS, last = Math.floor(end / HOUR_MS) * HOUR_MS;
    const rolled = end - from >= ROLLUP_MIN_WINDOW_MS && last > first ? clip(this.rollups.hours(), first, last) : [];
    const out = new Map<string, UptimeResult>();
    const raw = subtract([{ start: from, end }], rolled);
    const sums = rolled.length > 0 ? this.rollups.sums(rolled[0]!.start, rolled[rolled.length - 1]!.end) : undefined;
    const counted = totalMs(rolled);
    for (const d of devices) {
      const acc: UptimeSums = { up: 0, down: 0, maintenance: 0, counted: 0 };
      if (sums) {
        // a device without rollup rows in these hours (added to the inventory later): unknown
        const s = sums.get(d.id);
        acc.up = 1000 * (s?.[0] ?? 0); acc.down = 1000 * (s?.[1] ?? 0); acc.maintenance = 1000 * (s?.[2] ?? 0); acc.counted = counted;
      }
      const live = this.byId.get(d.id);
      for (const span of raw) {
        // a device never seen (covers() keeps these out): all unknown
        if (!live) acc.counted += span.end - span.start;
        else if (span.start < this.tailFrom) live.addHist(acc, span.start, Math.min(span.end, this.tailFrom));
        if (live && span.end > this.tailFrom) live.addTail(acc, Math.max(span.start, this.tailFrom), span.end, now, this.context(d));
      }
      out.set(d.id, resultOfSums(acc));
    }
    return { byDevice: out, sources: { rollup_ms: totalMs(rolled), raw_ms: Math.max(0, end - from - totalMs(rolled)) } };
  }

  /** The incidents of the devices over [from, now) (windowIncidents), unordered; covers(devices, from) must hold. */
  incidents(devices: readonly Device[], from: number, now = this.now()): Incident[] {
    const out: Incident[] = [];
    for (const d of devices) out.push(...(this.byId.get(d.id)?.incidents(from, now, this.context(d)) ?? []));
    return out;
  }

  /** The earliest instant after which some device's cached state may change without a point. */
  nextChange(): number {
    let next = Infinity;
    for (const live of this.byId.values()) next = Math.min(next, live.stateUntil);
    return next;
  }
}

function whoOf(d: Device): { device: string; tech: Device['tech']; area: string; householdsPassed?: number } {
  return { device: d.id, tech: d.tech, area: d.area, ...(d.householdsPassed !== undefined ? { householdsPassed: d.householdsPassed } : {}) };
}
