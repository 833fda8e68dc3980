/**
 * Broker-side loss made visible. A broker that drops a message it queued for us (Mosquitto past
 * `max_queued_messages`) never tells the subscriber: the message just never arrives. Mosquitto
 * publishes its counters under `$SYS/broker/…` every `sys_interval` seconds (retained), so the
 * collector follows the ones that say whether it is losing telemetry:
 *
 * - `$SYS/broker/publish/messages/dropped`: messages the broker dropped since it started (queue
 *   full, or an inflight/queue byte limit), for all its clients together;
 * - `$SYS/broker/store/messages/count`: messages held in the broker's store (retained + queued);
 * - `$SYS/broker/clients/connected`: clients connected (APs and collectors).
 *
 * A rise of the dropped counter is recorded with the time we saw it; the counter itself restarts at
 * 0 with the broker. The last value seen is kept in the data dir so that a netatlas restart does
 * not report old drops again, and drops that happened while netatlas was stopped are reported
 * when it comes back (that is when a backlog overflows). Without a saved value, a non-zero
 * counter at first sight is reported: netatlas cannot tell when those drops happened.
 *
 * A broker without `$SYS` counters (aedes, most cloud brokers) sends none of these: the view then
 * says `visible: false`, and /api/health says broker-side loss cannot be seen.
 */
import { readFileSync } from 'node:fs';
import { writeFileAtomicSync } from '../../io/atomic-write.js';
import path from 'node:path';
import type { MqttClient } from 'mqtt';
import type { Logger } from '../../core/log.js';
import { redactUrl } from '../../core/redact.js';
import type { MqttMetrics } from './metrics.js';

export const SYS_TOPICS = {
  dropped: '$SYS/broker/publish/messages/dropped',
  stored: '$SYS/broker/store/messages/count',
  clients: '$SYS/broker/clients/connected',
  version: '$SYS/broker/version',
} as const;

export interface BrokerSysView {
  /** a `$SYS` counter has been received from this broker since the collector started */
  visible: boolean;
  /** `$SYS/broker/version` when the broker sends it (e.g. "mosquitto version 2.0.11") */
  version?: string;
  /** the broker's dropped-message counter (since the broker started) */
  droppedTotal?: number;
  /** drops seen rising since this installation started watching (kept across restarts) */
  droppedSeen: number;
  /** epoch ms we last saw the dropped counter rise */
  lastDropAt?: number;
  /** messages in the broker's store (retained and queued) */
  storedMessages?: number;
  clientsConnected?: number;
  /** epoch ms of the last `$SYS` value received */
  updatedAt?: number;
}

export interface BrokerSysWatchOptions {
  /** where the last dropped value is kept; none: in memory only */
  stateFile?: string;
  /** which broker (its redacted URL): a value saved for another broker is not compared with this one's */
  broker: string;
  now: () => number;
  /** called when the dropped counter rises, with the rise and the new total */
  onDrop?: (delta: number, total: number) => void;
  /** called after every $SYS value (metrics) */
  onUpdate?: (view: BrokerSysView) => void;
}

interface Saved {
  broker: string;
  dropped: number;
  droppedSeen: number;
  lastDropAt?: number;
}

function parseCount(payload: Buffer): number | undefined {
  const text = payload.toString('utf8').trim();
  if (!/^\d{1,15}$/.test(text)) return undefined;
  return Number(text);
}

export class BrokerSysWatch {
  private readonly view_: BrokerSysView = { visible: false, droppedSeen: 0 };
  /** the dropped value last seen (saved), undefined before the first one */
  private lastDropped: number | undefined;

  constructor(private readonly opts: BrokerSysWatchOptions) {
    const saved = this.load();
    if (saved) {
      this.lastDropped = saved.dropped;
      this.view_.droppedSeen = saved.droppedSeen;
      if (saved.lastDropAt !== undefined) this.view_.lastDropAt = saved.lastDropAt;
    }
  }

  /** the topic filters to subscribe to (QoS 0: the broker republishes them every sys_interval) */
  static subscriptions(): string[] {
    return Object.values(SYS_TOPICS);
  }

  /** Handles a `$SYS` message; false when `topic` is not one of ours. */
  onMessage(topic: string, payload: Buffer): boolean {
    if (!topic.startsWith('$SYS/')) return false;
    const now = this.opts.now();
    const v = this.view_;
    if (topic === SYS_TOPICS.version) {
      v.version = payload.toString('utf8').slice(0, 100);
      return true;
    }
    const n = parseCount(payload);
    if (n === undefined) return true;
    v.visible = true;
    v.updatedAt = now;
    if (topic === SYS_TOPICS.stored) v.storedMessages = n;
    else if (topic === SYS_TOPICS.clients) v.clientsConnected = n;
    else if (topic === SYS_TOPICS.dropped) this.onDropped(n, now);
    this.opts.onUpdate?.(this.view());
    return true;
  }

  private onDropped(total: number, now: number): void {
    const v = this.view_;
    v.droppedTotal = total;
    const before = this.lastDropped;
    if (before === total) return;
    // below the last value: the broker restarted and its counter began again at 0
    const delta = before === undefined || total < before ? total : total - before;
    this.lastDropped = total;
    if (delta > 0) {
      v.droppedSeen += delta;
      v.lastDropAt = now;
      this.opts.onDrop?.(delta, total);
    }
    this.save();
  }

  view(): BrokerSysView {
    return { ...this.view_ };
  }

  private load(): Saved | undefined {
    if (!this.opts.stateFile) return undefined;
    try {
      const s = JSON.parse(readFileSync(this.opts.stateFile, 'utf8')) as Partial<Saved>;
      if (s.broker !== this.opts.broker || typeof s.dropped !== 'number' || typeof s.droppedSeen !== 'number') return undefined;
      return { broker: s.broker, dropped: s.dropped, droppedSeen: s.droppedSeen, ...(typeof s.lastDropAt === 'number' ? { lastDropAt: s.lastDropAt } : {}) };
    } catch {
      // no file yet (first run) or an unreadable one: start from nothing
      return undefined;
    }
  }

  private save(): void {
    if (!this.opts.stateFile || this.lastDropped === undefined) return;
    const saved: Saved = { broker: this.opts.broker, dropped: this.lastDropped, droppedSeen: this.view_.droppedSeen, ...(this.view_.lastDropAt !== undefined ? { lastDropAt: this.view_.lastDropAt } : {}) };
    try {
      // a crash mid-write leaves the old file, not half of one
      writeFileAtomicSync(this.opts.stateFile, JSON.stringify(saved));
    } catch {
      // a read-only data dir costs only the memory across restarts, never the collector
    }
  }
}

/** The collector's watch: the state file in the data dir, the metrics, an error log on drops. */
export function createSysWatch(o: { url: string; dataDir: string; now: () => number; metrics: MqttMetrics; log: Logger }): BrokerSysWatch {
  const m = o.metrics;
  const shown = redactUrl(o.url) ?? '';
  return new BrokerSysWatch({
    broker: shown,
    stateFile: path.join(o.dataDir, 'mqtt-broker-sys.json'),
    now: o.now,
    onDrop: (delta, total) => {
      m.brokerDropped.inc(delta);
      o.log.error({ dropped: delta, brokerTotal: total, url: shown }, 'the MQTT broker dropped messages (queue or inflight limit): telemetry was lost before it reached netatlas');
    },
    onUpdate: (v) => {
      m.brokerSysVisible.set(v.visible ? 1 : 0);
      if (v.droppedTotal !== undefined) m.brokerDroppedCounter.set(v.droppedTotal);
      if (v.storedMessages !== undefined) m.brokerStored.set(v.storedMessages);
      if (v.clientsConnected !== undefined) m.brokerClients.set(v.clientsConnected);
    },
  });
}

/**
 * Subscribes to the $SYS counters, apart from the APs' topics: a broker or an ACL that refuses
 * them must cost only the view of broker-side loss, never the telemetry.
 */
export function subscribeSys(client: MqttClient, log: Logger, redact: (text: string) => string): void {
  const filters = BrokerSysWatch.subscriptions();
  client.subscribe(filters, { qos: 0 }, (err, granted) => {
    const refused = err ? filters : (granted ?? []).filter((g) => g.qos > 2).map((g) => g.topic);
    if (refused.length > 0) {
      log.warn({ refused, err: err ? redact(err.message) : undefined }, 'broker refused the $SYS subscriptions: broker-side loss is not visible (let the collector\'s user read $SYS/# in the ACL)');
    }
  });
}
