/**
 * The SNMP polling collector: each cycle polls every due device with an `snmp` access block
 * (whatever its tech), independently and with bounded concurrency, so one silent agent costs only
 * its own timeout. Writes readings and a device_status point per device: up, down (no answer,
 * garbage, a status interface down) or unreadable (it answered, but our credentials or its MIB
 * view keep us from reading it: unknown, never down). A poll that could not run (cycle aborted,
 * shutting down) writes nothing, so it is never mistaken for "down".
 * From its first cycle until close() it writes `collector_status{collector="snmp"}` heartbeats
 * (collectors/heartbeat.ts) on a timer of its own, so a cycle that overruns does not look like a
 * dead collector, and a collector killed without a word is noticed by its missing heartbeats.
 */
import { setMaxListeners } from 'node:events';
import PQueue from 'p-queue';
import type { Device, SnmpAccess } from '../../core/device.js';
import type { EffectiveIntervalOf } from '../../core/intervals.js';
import { silentLogger, type Logger } from '../../core/log.js';
import type { Registry } from '../../core/self-metrics.js';
import { Heartbeat } from '../heartbeat.js';
import { defaultClientId } from '../mqtt/config.js';
import type { InventoryView } from '../../core/inventory-view.js';
import type { CollectorHealth, PollingCollector, Sink } from '../types.js';
import type { SnmpConfig } from './config.js';
import { settingsResolver, type DeviceSettings } from './filters.js';
import { snmpMetrics, type SnmpMetrics } from './metrics.js';
import { asNumber } from './decode.js';
import { pollDevice, type IfRow, type PollReading } from './poller.js';
import { RateMemory, readingPoints, statusPoint, type StatusEvidence } from './points.js';
import { inventoryIntervalError, PollSchedule } from './schedule.js';
import { DeviceSession, SnmpPollError, type FailureKind } from './session.js';

export interface SnmpCollectorDeps {
  inventory: InventoryView;
  metrics: Registry;
  /** a device's effective interval (server/status's intervalSOf, from the collector context) */
  intervalSOf: EffectiveIntervalOf;
  log?: Logger;
  /**
   * the `instance` tag of its collector_status heartbeats; the registry passes the same stable id as
   * the MQTT collector's default clientId (hostname + data dir hash); default: from the cwd
   */
  instance?: string;
}

interface SessionEntry { key: string; session: DeviceSession; log: Logger }

type PollResult = 'up' | 'down' | 'unreadable' | 'not-run';

export interface CycleSummary {
  devices: number;
  up: number;
  down: number;
  /** answered but could not be read: unknown, not down */
  unreadable: number;
  notRun: number;
  durationMs: number;
}

/** what an operator is told a failure means */
const WHAT: Record<FailureKind, string> = {
  'timeout': 'no answer',
  'bad-response': 'unusable answer',
  'agent-error': 'agent error',
  'auth': 'authentication failed (the agent answered with a report)',
  'privacy': 'decryption failed (wrong privacy key or protocol)',
  'time-window': 'not in the agent\'s time window, even after resynchronising',
  'access': 'the agent refused access',
  'view': 'the agent\'s MIB view hides what we poll',
};

export class SnmpCollector implements PollingCollector {
  readonly kind = 'polling' as const;
  readonly name = 'snmp';
  /** the runner schedules poll() every intervalS seconds */
  readonly intervalS: number;
  private readonly log: Logger;
  private readonly metrics: SnmpMetrics;
  private readonly settingsOf: (d: Device) => DeviceSettings;
  private readonly sessions = new Map<string, SessionEntry>();
  private readonly rates = new RateMemory();
  private readonly schedule: PollSchedule;
  private readonly heartbeat: Heartbeat;
  /** devices whose last poll was unreadable, with the reason: logged once per change, counted in a gauge */
  private readonly unreadable = new Map<string, string>();
  /**
   * rows of each device's interface table at its last complete poll: the next walk asks one
   * repetition more than that (at most maxRepetitions), which ends every column in the same round
   * trip without asking the agent for rows past the table (8 interfaces: 146 varbinds, not 162 at
   * maxRepetitions 10); a table that grew is walked on in further requests, as before
   */
  private readonly rowsSeen = new Map<string, number>();
  /** devices whose inventory intervalS cannot be scheduled, already logged */
  private readonly badIntervals = new Set<string>();
  private closed = false;
  readonly instance: string;
  lastCycle: CycleSummary | undefined;

  /** /api/health: the last cycle's counts (a device down is the network's state, not the collector's fault) */
  health(): CollectorHealth {
    const c = this.lastCycle;
    return { ok: true, detail: c ? `${c.up} up, ${c.down} down` : 'first cycle running', state: c ?? null };
  }

  constructor(private readonly cfg: SnmpConfig, private readonly deps: SnmpCollectorDeps) {
    this.intervalS = cfg.intervalS;
    this.log = (deps.log ?? silentLogger).child({ collector: 'snmp' });
    this.metrics = snmpMetrics(deps.metrics);
    this.settingsOf = settingsResolver(cfg);
    this.schedule = new PollSchedule(cfg, deps.intervalSOf);
    this.instance = deps.instance ?? defaultClientId(process.cwd());
    // the heartbeat adds its own component and collector bindings to the log
    this.heartbeat = new Heartbeat({ collector: 'snmp', instance: this.instance, heartbeatS: cfg.heartbeatS, log: deps.log ?? silentLogger });
  }

  async poll(sink: Sink, signal: AbortSignal): Promise<void> {
    const t0 = performance.now();
    const now = Date.now();
    const polling = this.cfg.enabled && !this.closed;
    // The first beat is written before any device sample of the first cycle; after that the
    // heartbeat's own timer beats, whether or not a cycle is running late.
    // Not past the cycle's end, though: with the spool full the beat's write is held back, and the
    // cycle must still end at its timeout (the beat stays queued ahead of the samples either way).
    if (polling && !this.heartbeat.running) await Promise.race([this.heartbeat.start(sink), whenAborted(signal)]);
    // closed again: close() may have run while the first beat was being written
    const all = polling && !this.closed ? this.deps.inventory.all().filter((d) => d.snmp) : [];
    this.dropGone(new Set(all.map((d) => d.id)));
    this.logBadIntervals(all);
    const due = this.schedule.due(all, now);
    // at most `concurrency` device polls in flight, so thousands of devices do not open thousands
    // of requests at once; the due order is the start order (longest-waiting first)
    const slots = new PQueue({ concurrency: this.cfg.concurrency });
    // Every device poll (and each poll waiting for a slot) listens on the cycle's one abort signal, and
    // removes its listener when done: thousands at once are expected, not a leak, so Node's
    // default warning at 10 listeners would only be noise.
    setMaxListeners(2 * due.length + 16, signal);
    const results = await Promise.all(due.map((d) => this.pollOne(d, slots, sink, signal, now)));
    const count = (r: PollResult): number => results.filter((x) => x === r).length;
    const summary: CycleSummary = {
      devices: due.length,
      up: count('up'),
      down: count('down'),
      unreadable: count('unreadable'),
      notRun: count('not-run'),
      durationMs: Math.round(performance.now() - t0),
    };
    this.lastCycle = summary;
    this.metrics.cycleDevices.set({ result: 'up' }, summary.up);
    this.metrics.cycleDevices.set({ result: 'down' }, summary.down);
    this.metrics.cycleDevices.set({ result: 'unreadable' }, summary.unreadable);
    this.metrics.cycleDevices.set({ result: 'not_run' }, summary.notRun);
    this.log.info(summary, 'snmp poll cycle done');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const e of this.sessions.values()) e.session.close();
    this.sessions.clear();
    // connected=0, after the last heartbeat; nothing when no cycle ever started (no beat to end).
    await this.heartbeat.stop(true);
  }

  /** Devices the inventory gives an interval the schedule cannot honour (start-up refuses them; a reload may not). */
  private logBadIntervals(devices: readonly Device[]): void {
    for (const d of devices) {
      const err = inventoryIntervalError(this.cfg, d);
      if (!err || this.badIntervals.has(d.id)) continue;
      this.badIntervals.add(d.id);
      this.log.error({ device: d.id, intervalS: d.intervalS }, `${err}; polled every ${this.schedule.intervalSOf(d)} s instead`);
    }
  }

  /** Tracks unreadable devices: a warning when one becomes unreadable or its reason changes, info when it recovers. */
  private noteState(d: Device, entry: SessionEntry, state: 'up' | 'down' | 'unreadable', reason?: string): void {
    const was = this.unreadable.get(d.id);
    if (state === 'unreadable') {
      if (was !== reason) {
        entry.log.warn({ reason }, `device ${d.id} (${entry.session.agent}) unreadable: ${reason}; counted as unknown, not down: check its credentials and the agent's view`);
      } else {
        entry.log.debug({ reason }, `device ${d.id} (${entry.session.agent}) still unreadable: ${reason}`);
      }
      this.unreadable.set(d.id, reason ?? '');
    } else if (was !== undefined) {
      entry.log.info({ state }, `device ${d.id} (${entry.session.agent}) readable again (${state})`);
      this.unreadable.delete(d.id);
    }
    this.metrics.unreadableDevices.set(this.unreadable.size);
  }

  /**
   * Waits for a slot, then polls. A poll still waiting when the cycle's signal aborts never starts
   * (p-queue drops it): reported as "could not run", not as a device failure. One that started is
   * awaited to its end, as it settles its own abort, and holds its slot until then.
   */
  private async pollOne(d: Device, slots: PQueue, sink: Sink, signal: AbortSignal, cycleStart: number): Promise<PollResult> {
    const admitted: { poll?: Promise<PollResult> } = {};
    await slots.add(() => (admitted.poll = this.pollAdmitted(d, sink, signal, cycleStart)), { signal }).catch(() => undefined);
    if (!admitted.poll) {
      this.metrics.notRun.inc({ reason: 'aborted-before-start' });
      return 'not-run';
    }
    return admitted.poll;
  }

  private async pollAdmitted(d: Device, sink: Sink, signal: AbortSignal, cycleStart: number): Promise<PollResult> {
    const access = d.snmp as SnmpAccess;
    const settings = this.settingsOf(d);
    const entry = this.sessionFor(d, access, settings);
    const t0 = performance.now();
    try {
      this.schedule.polled(d.id, cycleStart);
      const seen = this.rowsSeen.get(d.id);
      const reading = await pollDevice(entry.session, {
        maxRepetitions: this.cfg.maxRepetitions,
        ...(seen ? { interfaceRepetitions: Math.min(this.cfg.maxRepetitions, seen + 1) } : {}),
        optical: this.cfg.optical,
        signal,
        onOpticalError: (err) => entry.log.debug({ err }, 'optical sensors not read'),
      });
      const seconds = (performance.now() - t0) / 1000;
      if (signal.aborted) throw signal.reason;
      if (!reading.incomplete && !reading.unreadable && reading.interfaces.length > 0) this.rowsSeen.set(d.id, reading.interfaces.length);
      const points = readingPoints(d, access.host, reading, this.rates, (row) => settings.filter.keep(row.name, asNumber(row.values.ifAdminStatus)));
      const status = reading.unreadable ? this.failed(d, entry, reading.unreadable, seconds) : this.decideStatus(d, reading, settings, entry.log);
      if (status) points.push(statusPoint(d, reading.time, status));
      this.metrics.pollDuration.set({ device: d.id }, seconds);
      if (!reading.unreadable) this.metrics.pollSuccess.set({ device: d.id }, reading.incomplete ? 0 : 1);
      if (reading.incomplete) {
        this.metrics.failures.inc({ reason: 'incomplete' });
        entry.log.warn({ err: reading.incomplete, kind: reading.incomplete.kind }, `device ${d.id} (${entry.session.agent}) answered but the interface walk failed: ${reading.incomplete.detail}`);
      }
      const result: PollResult = !status ? 'up' : 'unreadable' in status ? 'unreadable' : status.up ? 'up' : 'down';
      if (result !== 'unreadable') this.noteState(d, entry, result);
      // with the signal: a full spool holds the write back, and the cycle's timeout must still end it
      await sink.write(points, { signal });
      return result;
    } catch (err) {
      if (!(err instanceof SnmpPollError)) {
        if (signal.aborted) {
          // The cycle ran out of time or the collector is stopping: we do not know, so say nothing.
          this.metrics.notRun.inc({ reason: 'aborted' });
          return 'not-run';
        }
        entry.log.error({ err }, `device ${d.id} (${entry.session.agent}): poll failed unexpectedly`);
        this.metrics.pollSuccess.set({ device: d.id }, 0);
        return 'not-run';
      }
      const seconds = (performance.now() - t0) / 1000;
      this.metrics.pollDuration.set({ device: d.id }, seconds);
      const status = this.failed(d, entry, err, seconds, settings);
      try {
        await sink.write([statusPoint(d, Date.now(), status)], { signal });
      } catch (writeErr) {
        if (!signal.aborted) throw writeErr;
        this.metrics.notRun.inc({ reason: 'aborted' }); // the write waited past the cycle's end (a full spool)
        return 'not-run';
      }
      return 'unreadable' in status ? 'unreadable' : 'down';
    }
  }

  /**
   * A poll that failed: unreadable when the agent answered but we may not read it (logged once
   * per change of reason), else down (logged every poll: a down device is news each time).
   */
  private failed(d: Device, entry: SessionEntry, err: SnmpPollError, seconds: number, settings?: DeviceSettings): StatusEvidence {
    this.metrics.pollSuccess.set({ device: d.id }, 0);
    this.metrics.failures.inc({ reason: err.kind });
    const reason = `${err.kind}: ${err.detail}`;
    if (err.unreadable) {
      this.noteState(d, entry, 'unreadable', reason);
      return { unreadable: true, reason };
    }
    const what = err.kind === 'timeout' && settings ? `no answer after ${settings.retries + 1} tries of ${settings.timeoutMs} ms` : WHAT[err.kind];
    entry.log.warn({ kind: err.kind, detail: err.detail, durationS: seconds }, `device ${d.id} (${entry.session.agent}) down: ${what}: ${err.detail}`);
    this.noteState(d, entry, 'down');
    return { up: false, reason };
  }

  /** Up, or down when a status interface (e.g. the uplink) is not oper up; undefined: unknown. */
  private decideStatus(d: Device, r: PollReading, s: DeviceSettings, log: Logger): StatusEvidence | undefined {
    const up: StatusEvidence = { up: true, rttMs: r.rttMs };
    if (!s.statusInterfaces) return up;
    if (r.incomplete) return undefined;
    const match = s.statusInterfaces;
    const counted = r.interfaces.filter((row: IfRow) => match(row.name));
    if (counted.length === 0) {
      log.warn({ interfaces: r.interfaces.length }, `device ${d.id}: no interface matches statusInterfaces; status from reachability only`);
      return up;
    }
    const down = counted.filter((row) => asNumber(row.values.ifOperStatus) !== 1);
    if (down.length === 0) return up;
    const reason = `status interface ${down.map((x) => x.name).join(',')} oper down`;
    log.warn({ interfaces: down.map((x) => x.name) }, `device ${d.id}: ${reason}`);
    return { up: false, reason };
  }

  private sessionFor(d: Device, access: SnmpAccess, s: DeviceSettings): SessionEntry {
    const key = JSON.stringify([access, s.timeoutMs, s.retries]);
    const existing = this.sessions.get(d.id);
    if (existing && existing.key === key) return existing;
    existing?.session.close();
    const log = this.log.child({ device: d.id, agent: `${access.host}:${access.port}` });
    const session = new DeviceSession(access, { timeoutMs: s.timeoutMs, retries: s.retries, defaultCommunity: this.cfg.defaults.community }, (err) => {
      this.metrics.badResponses.inc({ device: d.id });
      log.warn({ err: err.message }, `device ${d.id} (${access.host}:${access.port}) sent an undecodable response`);
    });
    const entry = { key, session, log };
    this.sessions.set(d.id, entry);
    return entry;
  }

  private dropGone(present: ReadonlySet<string>): void {
    for (const [id, e] of this.sessions) {
      if (present.has(id)) continue;
      e.session.close();
      this.sessions.delete(id);
      this.rates.forget(id);
      this.rowsSeen.delete(id);
      this.schedule.forget(id);
      this.unreadable.delete(id);
      this.badIntervals.delete(id);
      this.metrics.forget(id);
    }
    this.metrics.unreadableDevices.set(this.unreadable.size);
  }
}

/** resolves (never rejects) when the signal aborts */
function whenAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
