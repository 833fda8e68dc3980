/**
 * The SNMP polling collector: each cycle polls every due device with an `snmp` access block
 * (whatever its tech), independently and with bounded concurrency, so one silent agent costs only
 * its own timeout. Writes readings and a device_status point per device; a poll that could not
 * run (cycle aborted, shutting down) writes nothing, so it is never mistaken for "down".
 * Like the MQTT collector it writes `collector_status{collector="snmp"}`: connected=1 when it starts
 * polling (first cycle), connected=0 when closed, so the analytics count the time netatlas was
 * not polling as unknown instead of carrying each device's last state until it goes stale.
 */
import { setMaxListeners } from 'node:events';
import type { Device, SnmpAccess } from '../../server/inventory/device.js';
import { silentLogger, type Logger } from '../../server/log.js';
import type { Registry } from '../../server/self-metrics.js';
import type { Point } from '../../server/store/point.js';
import { defaultClientId } from '../mqtt/config.js';
import type { InventoryView } from '../registry.js';
import type { PollingCollector, Sink } from '../types.js';
import type { SnmpConfig } from './config.js';
import { settingsResolver, type DeviceSettings } from './filters.js';
import { snmpMetrics, type SnmpMetrics } from './metrics.js';
import { asNumber } from './decode.js';
import { pollDevice, type IfRow, type PollReading } from './poller.js';
import { RateMemory, readingPoints, statusPoint } from './points.js';
import { Semaphore } from './semaphore.js';
import { DeviceSession, SnmpPollError } from './session.js';

export interface SnmpCollectorDeps {
  inventory: InventoryView;
  metrics: Registry;
  log?: Logger;
  /**
   * the `instance` tag of its collector_status points; the registry passes the same stable id as
   * the MQTT collector's default clientId (hostname + data dir hash); default: from the cwd
   */
  instance?: string;
}

interface SessionEntry { key: string; session: DeviceSession; log: Logger }

export interface CycleSummary {
  devices: number;
  up: number;
  down: number;
  notRun: number;
  durationMs: number;
}

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
  private readonly lastPolled = new Map<string, number>();
  private closed = false;
  /** the sink of the cycles, for the connected=0 written on close() */
  private sink: Sink | undefined;
  /** the connected=1 write, once a cycle started; close() waits for it so 0 follows 1 */
  private announced: Promise<boolean> | undefined;
  readonly instance: string;
  lastCycle: CycleSummary | undefined;

  constructor(private readonly cfg: SnmpConfig, private readonly deps: SnmpCollectorDeps) {
    this.intervalS = cfg.intervalS;
    this.log = (deps.log ?? silentLogger).child({ collector: 'snmp' });
    this.metrics = snmpMetrics(deps.metrics);
    this.settingsOf = settingsResolver(cfg);
    this.instance = deps.instance ?? defaultClientId(process.cwd());
  }

  async poll(sink: Sink, signal: AbortSignal): Promise<void> {
    const t0 = performance.now();
    const now = Date.now();
    if (this.cfg.enabled && !this.closed) this.announce(sink, now);
    const all = this.cfg.enabled && !this.closed ? this.deps.inventory.all().filter((d) => d.snmp) : [];
    this.dropGone(new Set(all.map((d) => d.id)));
    // A group polled every N cycles is due when N intervals (less half a cycle of jitter) passed.
    const due = all.filter((d) => {
      const s = this.settingsOf(d);
      const last = this.lastPolled.get(d.id);
      return last === undefined || s.intervalS === this.cfg.intervalS || now - last >= (s.intervalS - this.cfg.intervalS / 2) * 1000;
    });
    const sem = new Semaphore(this.cfg.concurrency);
    // Every device poll (and each semaphore waiter) listens on the cycle's one abort signal, and
    // removes its listener when done: thousands at once are expected, not a leak, so Node's
    // default warning at 10 listeners would only be noise.
    setMaxListeners(2 * due.length + 16, signal);
    const results = await Promise.all(due.map((d) => this.pollOne(d, sem, sink, signal)));
    const summary: CycleSummary = {
      devices: due.length,
      up: results.filter((r) => r === 'up').length,
      down: results.filter((r) => r === 'down').length,
      notRun: results.filter((r) => r === 'not-run').length,
      durationMs: Math.round(performance.now() - t0),
    };
    this.lastCycle = summary;
    this.metrics.cycleDevices.set({ result: 'up' }, summary.up);
    this.metrics.cycleDevices.set({ result: 'down' }, summary.down);
    this.metrics.cycleDevices.set({ result: 'not_run' }, summary.notRun);
    this.log.info(summary, 'snmp poll cycle done');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const e of this.sessions.values()) e.session.close();
    this.sessions.clear();
    // Only a collector that said it was polling says it stopped: 0 without a 1 would open a
    // "collector down" span for nothing. A skipped (overrunning) tick never gets here: not down.
    if (this.sink && this.announced && await this.announced) {
      await this.sink.write([this.statusPoint(false, Date.now())])
        .catch((err: Error) => this.log.error({ err: err.message }, 'could not write collector_status'));
    }
  }

  /** connected=1 once, at the start of the first cycle (again next cycle if that write failed). */
  private announce(sink: Sink, now: number): void {
    this.sink = sink;
    if (this.announced) return;
    const write = sink.write([this.statusPoint(true, now)]).then(() => true, (err: Error) => {
      this.log.error({ err: err.message }, 'could not write collector_status');
      if (this.announced === write) this.announced = undefined;
      return false;
    });
    this.announced = write;
  }

  private statusPoint(connected: boolean, time: number): Point {
    return { measurement: 'collector_status', tags: { collector: 'snmp', instance: this.instance }, fields: { connected: connected ? 1 : 0 }, time };
  }

  private async pollOne(d: Device, sem: Semaphore, sink: Sink, signal: AbortSignal): Promise<'up' | 'down' | 'not-run'> {
    const access = d.snmp as SnmpAccess;
    let release: () => void;
    try {
      release = await sem.acquire(signal);
    } catch {
      this.metrics.notRun.inc({ reason: 'aborted-before-start' });
      return 'not-run';
    }
    const settings = this.settingsOf(d);
    const entry = this.sessionFor(d, access, settings);
    const t0 = performance.now();
    try {
      this.lastPolled.set(d.id, Date.now());
      const reading = await pollDevice(entry.session, {
        maxRepetitions: this.cfg.maxRepetitions,
        optical: this.cfg.optical,
        signal,
        onOpticalError: (err) => entry.log.debug({ err }, 'optical sensors not read'),
      });
      const seconds = (performance.now() - t0) / 1000;
      if (signal.aborted) throw signal.reason;
      const points = readingPoints(d, access.host, reading, this.rates, (row) => settings.filter.keep(row.name, asNumber(row.values.ifAdminStatus)));
      const status = this.decideStatus(d, reading, settings, entry.log);
      if (status) points.push(status.point);
      this.metrics.pollDuration.set({ device: d.id }, seconds);
      this.metrics.pollSuccess.set({ device: d.id }, reading.incomplete ? 0 : 1);
      if (reading.incomplete) {
        this.metrics.failures.inc({ reason: 'incomplete' });
        entry.log.warn({ err: reading.incomplete, kind: reading.incomplete.kind }, `device ${d.id} (${entry.session.agent}) answered but the interface walk failed: ${reading.incomplete.detail}`);
      }
      await sink.write(points);
      return status?.up === false ? 'down' : 'up';
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
      this.metrics.pollSuccess.set({ device: d.id }, 0);
      this.metrics.failures.inc({ reason: err.kind });
      const what = err.kind === 'auth' ? 'authentication failed (the agent answered with a report)'
        : err.kind === 'timeout' ? `no answer after ${settings.retries + 1} tries of ${settings.timeoutMs} ms`
          : err.kind === 'bad-response' ? 'unusable answer' : 'agent error';
      entry.log.warn({ kind: err.kind, detail: err.detail, durationS: seconds }, `device ${d.id} (${entry.session.agent}) down: ${what}: ${err.detail}`);
      await sink.write([statusPoint(d, Date.now(), { up: false, reason: `${err.kind}: ${err.detail}` })]);
      return 'down';
    } finally {
      release();
    }
  }

  /** Up, or down when a status interface (e.g. the uplink) is not oper up; undefined: unknown. */
  private decideStatus(d: Device, r: PollReading, s: DeviceSettings, log: Logger): { up: boolean; point: ReturnType<typeof statusPoint> } | undefined {
    if (!s.statusInterfaces) return { up: true, point: statusPoint(d, r.time, { up: true, rttMs: r.rttMs }) };
    if (r.incomplete) return undefined;
    const match = s.statusInterfaces;
    const counted = r.interfaces.filter((row: IfRow) => match(row.name));
    if (counted.length === 0) {
      log.warn({ interfaces: r.interfaces.length }, `device ${d.id}: no interface matches statusInterfaces; status from reachability only`);
      return { up: true, point: statusPoint(d, r.time, { up: true, rttMs: r.rttMs }) };
    }
    const down = counted.filter((row) => asNumber(row.values.ifOperStatus) !== 1);
    if (down.length === 0) return { up: true, point: statusPoint(d, r.time, { up: true, rttMs: r.rttMs }) };
    const reason = `status interface ${down.map((x) => x.name).join(',')} oper down`;
    log.warn({ interfaces: down.map((x) => x.name) }, `device ${d.id}: ${reason}`);
    return { up: false, point: statusPoint(d, r.time, { up: false, reason }) };
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
      this.lastPolled.delete(id);
      this.metrics.forget(id);
    }
  }
}
