/**
 * Collector membership on the MQTT broker the deployment already runs (no coordinator of ours).
 *
 * Each collector process publishes a retained presence message on
 * `<prefix>/cluster/collectors/<instance>` with a Last Will `offline` (retained): the broker
 * itself tells everyone when a member dies, 1.5 keepalives after its last packet. Each member
 * subscribes to the others' presence and computes, for every poll cycle, the same list of live
 * members; rendezvous.ts then gives every SNMP device one owner.
 *
 * Hand-over without a device polled twice in one interval: the collectors' cycles are aligned on
 * the clock (runner.ts cronExpression), and a member that (re)joins announces `fromMs`, the first
 * tick at least one full interval ahead. Every member reads the same retained `fromMs`, so all of
 * them switch to the new member list at the same tick: the device's old owner polls it at the tick
 * before `fromMs`, its new owner at `fromMs`, one interval apart. A member that dies is dropped at
 * once (it polls nothing more); its devices are polled by their next owners at the next tick
 * after the Will arrives: within one interval plus 1.5 keepalives of the death.
 *
 * A member that loses the broker stops owning anything at once (the others take over its devices
 * when its Will arrives), and announces a new `fromMs` when it is back. Presence is re-published
 * every interval with the time it was sent: a presence older than 2 intervals plus 2 keepalives
 * (a member that died while the broker was down, so that no Will was sent) is ignored.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { silentLogger, type Logger } from '../../core/log.js';
import { ownerOf } from './rendezvous.js';

export interface MembershipOptions {
  url: string;
  /** this member's id: the collector_status and point `instance` tag */
  instance: string;
  /** the deployment's topic prefix (`mqtt.topicPrefix`) */
  topicPrefix: string;
  /** the SNMP tick (collectors.snmp.intervalS): hand-overs happen on tick boundaries */
  intervalS: number;
  /** MQTT keepalive: a dead member's Will is sent 1.5 keepalives after its last packet */
  keepaliveS: number;
  username?: string | undefined;
  password?: string | undefined;
  /** false: only watch the members (the api process), announce nothing */
  announce?: boolean;
  /** extra fields of this member's presence (device count, last cycle), re-published every interval */
  report?: () => Record<string, unknown>;
  log?: Logger;
  now?: () => number;
}

/** One member as its presence message says. */
export interface Member {
  instance: string;
  /** the first tick at which it polls (epoch ms) */
  fromMs: number;
  intervalS: number;
  startedAt: number;
  /** when the presence was published (epoch ms) */
  at: number;
  /** its report() fields */
  report: Record<string, unknown>;
}

export function presenceTopic(topicPrefix: string, instance: string): string {
  return `${topicPrefix}/cluster/collectors/${instance}`;
}

/** The first tick (a multiple of intervalMs since the epoch) at or after `t`. */
export function tickAtOrAfter(t: number, intervalMs: number): number {
  return Math.ceil(t / intervalMs) * intervalMs;
}

/** The tick a cycle started at `cycleStart` belongs to (cron fires a few ms late, never a half interval). */
export function tickOf(cycleStart: number, intervalMs: number): number {
  return Math.round(cycleStart / intervalMs) * intervalMs;
}

/** Parses a presence payload; undefined for `offline`, an empty (cleared) message or anything malformed. */
export function parsePresence(payload: string): Member | undefined {
  if (payload === '' || payload === 'offline') return undefined;
  let v: unknown;
  try { v = JSON.parse(payload); } catch { return undefined; }
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  const num = (k: string): number | undefined => (typeof o[k] === 'number' && Number.isFinite(o[k]) ? o[k] : undefined);
  const fromMs = num('fromMs'), intervalS = num('intervalS'), startedAt = num('startedAt'), at = num('at');
  if (o['state'] !== 'online' || typeof o['instance'] !== 'string' || fromMs === undefined || intervalS === undefined || startedAt === undefined || at === undefined) return undefined;
  const report = typeof o['report'] === 'object' && o['report'] !== null ? o['report'] as Record<string, unknown> : {};
  return { instance: o['instance'], fromMs, intervalS, startedAt, at, report };
}

/**
 * The members that own devices in the cycle of `cycleStart`: those whose `fromMs` has come and
 * whose presence is fresh. Pure: the same inputs give every member the same list.
 */
export function liveMembers(members: Iterable<Member>, cycleStart: number, intervalMs: number, presenceMaxAgeMs: number): string[] {
  const tick = tickOf(cycleStart, intervalMs);
  const out: string[] = [];
  for (const m of members) if (m.fromMs <= tick && cycleStart - m.at <= presenceMaxAgeMs) out.push(m.instance);
  return out.sort();
}

export class ClusterMembership {
  private client: MqttClient | undefined;
  private readonly others = new Map<string, Member>();
  private self: Member | undefined;
  private connected = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly intervalMs: number;
  private readonly startedAt: number;
  private readonly topic: string;

  constructor(private readonly opts: MembershipOptions) {
    if (!(opts.intervalS > 0) || !(opts.keepaliveS > 0)) throw new RangeError('intervalS and keepaliveS must be > 0');
    this.log = (opts.log ?? silentLogger).child({ component: 'cluster', instance: opts.instance });
    this.now = opts.now ?? Date.now;
    this.intervalMs = opts.intervalS * 1000;
    this.startedAt = this.now();
    this.topic = presenceTopic(opts.topicPrefix, opts.instance);
  }

  get instance(): string {
    return this.opts.instance;
  }

  /** connected to the broker and subscribed */
  isConnected(): boolean {
    return this.connected;
  }

  /**
   * A presence older than this is ignored (see the module comment). This decides only which
   * member polls a device, never a device's state: whether a device is unknown because its
   * poller died is server/status's rule (the instance's heartbeats, collector-liveness.ts).
   */
  get presenceMaxAgeMs(): number {
    return 2 * this.intervalMs + 2 * this.opts.keepaliveS * 1000;
  }

  /** Connects and subscribes; resolves on the first connection (rejects on a refusal or after 10 s). */
  start(): Promise<void> {
    const announce = this.opts.announce ?? true;
    const client = mqtt.connect(this.opts.url, {
      clientId: `${this.opts.instance}-cluster${announce ? '' : `-watch-${process.pid}`}`,
      clean: true,
      keepalive: this.opts.keepaliveS,
      reconnectPeriod: 1000,
      connectTimeout: 10_000,
      ...(this.opts.username !== undefined ? { username: this.opts.username } : {}),
      ...(this.opts.password !== undefined ? { password: this.opts.password } : {}),
      ...(announce ? { will: { topic: this.topic, payload: Buffer.from('offline'), qos: 1 as const, retain: true } } : {}),
    });
    this.client = client;
    client.on('message', (topic, payload) => this.onMessage(topic, payload.toString('utf8')));
    client.on('close', () => {
      if (this.connected) this.log.warn('cluster: lost the broker; owning no device until reconnected');
      this.connected = false;
    });
    client.on('error', (err) => this.log.warn({ err: err.message }, 'cluster: broker error'));
    client.on('connect', () => {
      // retained presences (ours included) come again with the subscription: start from them
      this.others.clear();
      client.subscribe(`${this.opts.topicPrefix}/cluster/collectors/+`, { qos: 1 }, (err) => {
        if (err) { this.log.error({ err: err.message }, 'cluster: subscribe failed'); return; }
        this.connected = true;
        if (announce) {
          this.self = { instance: this.opts.instance, fromMs: tickAtOrAfter(this.now() + this.intervalMs, this.intervalMs), intervalS: this.opts.intervalS, startedAt: this.startedAt, at: this.now(), report: {} };
          this.publish();
          this.log.info({ fromMs: this.self.fromMs }, 'cluster: joined; polling from the tick announced');
        }
      });
    });
    if (announce) {
      this.timer = setInterval(() => this.publish(), this.intervalMs);
      this.timer.unref();
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`cluster: no connection to ${this.opts.url} within 10 s`)), 10_000);
      const ok = (): void => { clearTimeout(timer); client.off('error', bad); resolve(); };
      const bad = (err: Error): void => { clearTimeout(timer); client.off('connect', ok); reject(new Error(`cluster: ${err.message}`)); };
      client.once('connect', ok);
      client.once('error', bad);
    });
  }

  /** The members and their presence, this one included (while it is connected). */
  members(): Member[] {
    const list = [...this.others.values()];
    if (this.self && this.connected) list.push({ ...this.self, report: this.opts.report?.() ?? {} });
    return list.sort((a, b) => a.instance.localeCompare(b.instance));
  }

  /** The live members of the cycle that starts at `cycleStart`. */
  liveAt(cycleStart: number): string[] {
    const all = [...this.others.values()];
    if (this.self && this.connected) all.push(this.self);
    return liveMembers(all, cycleStart, this.intervalMs, this.presenceMaxAgeMs);
  }

  /** Whether this member polls `device` in the cycle that starts at `cycleStart`. */
  owns(device: string, cycleStart: number, live: readonly string[] = this.liveAt(cycleStart)): boolean {
    if (!this.connected) return false;
    return ownerOf(device, live) === this.opts.instance;
  }

  /** Leaves: clears the retained presence (others take over at their next tick) and disconnects. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    const client = this.client;
    if (!client) return;
    this.client = undefined;
    if ((this.opts.announce ?? true) && client.connected) {
      await new Promise<void>((resolve) => client.publish(this.topic, '', { qos: 1, retain: true }, () => resolve()));
    }
    this.connected = false;
    await client.endAsync();
  }

  private publish(): void {
    const client = this.client;
    if (!client || !this.self || !this.connected) return;
    this.self = { ...this.self, at: this.now() };
    const payload = JSON.stringify({ state: 'online', ...this.self, report: this.opts.report?.() ?? {} });
    client.publish(this.topic, payload, { qos: 1, retain: true }, (err) => {
      if (err) this.log.warn({ err: err.message }, 'cluster: presence not published');
    });
  }

  private onMessage(topic: string, payload: string): void {
    const instance = topic.slice(topic.lastIndexOf('/') + 1);
    if (instance === this.opts.instance) return;
    const m = parsePresence(payload);
    const had = this.others.has(instance);
    if (m && m.instance === instance) {
      if (m.intervalS !== this.opts.intervalS) this.log.warn({ member: instance, intervalS: m.intervalS }, 'cluster: a member polls at another interval: hand-overs may poll a device twice');
      this.others.set(instance, m);
      if (!had) this.log.info({ member: instance, fromMs: m.fromMs }, 'cluster: member joined');
    } else if (had) {
      this.others.delete(instance);
      this.log.info({ member: instance }, 'cluster: member left');
    }
  }
}
