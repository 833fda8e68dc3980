/**
 * The MQTT wifi collector: subscribes to AP telemetry and status with QoS 1 on a persistent session
 * and writes `wifi_ap`, `device_status` and `collector_status` points to the sink.
 */
import mqtt, { type IClientOptions, type IConnackPacket, type IPublishPacket, type MqttClient } from 'mqtt';
import type { Sink, StreamingCollector } from '../types.js';
import type { CollectorContext, InventoryView } from '../registry.js';
import type { Point } from '../../server/store/point.js';
import type { Logger } from '../../server/log.js';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../server/broker/embedded-broker.js';
import { defaultClientId, type MqttConfig } from './config.js';
import { createTopicRouter, type TopicRouter } from './topics.js';
import { parseStatus, parseTelemetry, type RejectReason } from './payload.js';
import { StatusTracker } from './status-tracker.js';
import { AckGate } from './ack-gate.js';
import { createMqttMetrics, type MqttMetrics } from './metrics.js';
import { PointBatcher } from './point-batcher.js';
import { RateLimitedLog } from './rate-limited-log.js';
import { readTlsFiles, type TlsMaterial } from './tls.js';

export interface MqttCollectorState {
  connected: boolean;
  /** the broker in use (the embedded one's URL when none is configured) */
  url: string | undefined;
  clientId: string;
  embeddedBroker: boolean;
  /** epoch ms of the last connect or disconnect */
  since: number | undefined;
  reconnects: number;
  lastMessageAt: number | undefined;
  /** QoS 1 messages whose PUBACK waits for the sink */
  unacked: number;
}

export interface MqttCollectorOptions {
  config: MqttConfig;
  ctx: CollectorContext;
  /** clock, epoch ms; tests pass their own */
  now?: () => number;
  /** how long start() waits for the first subscription before resolving anyway; default 10 s */
  startWaitMs?: number;
  /**
   * unknown devices remembered to log each once; past this many (a flood of made-up ids), further
   * ones are logged rate-limited instead, so neither memory nor the log grows without bound
   */
  maxUnknownDevicesLogged?: number;
}

export class MqttCollector implements StreamingCollector {
  readonly kind = 'streaming' as const;
  readonly name = 'mqtt';

  private readonly config: MqttConfig;
  private readonly log: Logger;
  private readonly inventory: InventoryView;
  private readonly metrics: MqttMetrics;
  private readonly now: () => number;
  private readonly router: TopicRouter;
  private readonly tracker: StatusTracker;
  private readonly clientId: string;
  private readonly rejectLog: RateLimitedLog;
  private readonly unknownDevices = new Set<string>();
  private readonly startWaitMs: number;
  private readonly maxUnknownDevicesLogged: number;
  private readonly tls: TlsMaterial | undefined;

  private client: MqttClient | undefined;
  private broker: EmbeddedBroker | undefined;
  private batcher: PointBatcher | undefined;
  private sink: Sink | undefined;
  private gate: AckGate | undefined;
  private url: string | undefined;
  private connected = false;
  private since: number | undefined;
  private reconnects = 0;
  private lastMessageAt: number | undefined;
  private subscribedWaiters: Array<() => void> = [];
  private subscribed = false;

  constructor(options: MqttCollectorOptions) {
    this.config = options.config;
    this.log = options.ctx.log.child({ collector: 'mqtt' });
    this.inventory = options.ctx.inventory;
    this.metrics = createMqttMetrics(options.ctx.metrics);
    this.now = options.now ?? Date.now;
    this.startWaitMs = options.startWaitMs ?? 10_000;
    this.maxUnknownDevicesLogged = options.maxUnknownDevicesLogged ?? 10_000;
    this.router = createTopicRouter({
      prefix: this.config.topicPrefix,
      telemetryTopic: this.config.telemetryTopic,
      statusTopic: this.config.statusTopic,
      sharedGroup: this.config.sharedGroup,
    });
    this.tracker = new StatusTracker(this.config.expectedIntervalS);
    this.clientId = this.config.clientId ?? defaultClientId(options.ctx.dataDir);
    this.rejectLog = new RateLimitedLog(this.log, 10_000, this.now);
    // read now, so a missing file fails creation (start-up) rather than every connection attempt
    this.tls = this.config.tls ? readTlsFiles(this.config.tls) : undefined;
  }

  state(): MqttCollectorState {
    return {
      connected: this.connected,
      url: this.url,
      clientId: this.clientId,
      embeddedBroker: this.broker !== undefined,
      since: this.since,
      reconnects: this.reconnects,
      lastMessageAt: this.lastMessageAt,
      unacked: this.gate?.held() ?? 0,
    };
  }

  /** Resolves when the subscriptions are in place (at once when they already are). */
  whenSubscribed(): Promise<void> {
    if (this.subscribed) return Promise.resolve();
    return new Promise((resolve) => this.subscribedWaiters.push(resolve));
  }

  async start(sink: Sink): Promise<void> {
    if (this.client) throw new Error('mqtt collector: already started');
    this.stopping = false;
    this.sink = sink;
    let protocolVersion: 4 | 5 = this.config.protocolVersion;
    if (this.config.url) {
      this.url = this.config.url;
    } else {
      this.broker = await startEmbeddedBroker({ ...this.config.embeddedBroker, log: this.log });
      this.url = this.broker.url;
      protocolVersion = this.broker.protocolVersion;
    }
    this.batcher = new PointBatcher(sink, this.config.maxBatchPoints, this.config.maxInFlightWrites, (n) => this.metrics.pointsWritten.inc(n));
    this.gate = new AckGate(
      (err) => this.onSinkFailure(err),
      (n) => this.metrics.unacked.set(n),
    );

    const client = mqtt.connect(this.url, this.clientOptions(protocolVersion));
    this.client = client;
    const sequential = !this.gate.install(client);
    if (sequential) {
      // a future mqtt.js without the writer we wrap: acknowledge after the sink, one message at a time
      this.log.warn('mqtt.js packet writer not found: PUBACK waits for the sink per message (slower)');
    }
    client.handleMessage = (packet, done) => {
      const durable = this.onPublish(packet);
      if (packet.qos > 0 && packet.messageId !== undefined && !sequential) this.gate?.hold(packet.messageId, durable);
      if (sequential) durable.then(() => done(), (err: Error) => done(err));
      else done();
    };
    client.on('connect', (connack) => this.onConnect(client, connack));
    client.on('close', () => this.onClose());
    client.on('reconnect', () => {
      this.reconnects++;
      this.metrics.reconnects.inc();
    });
    client.on('error', (err) => this.log.warn({ err: err.message, url: this.url }, 'mqtt client error'));
    client.on('offline', () => this.log.debug('mqtt client offline'));

    await Promise.race([this.whenSubscribed(), new Promise<void>((r) => setTimeout(r, this.startWaitMs).unref())]);
    if (!this.subscribed) this.log.warn({ url: this.url }, 'mqtt collector: broker not reachable yet, retrying in the background');
  }

  /** set by stop(): the disconnection that follows is expected */
  private stopping = false;

  async stop(): Promise<void> {
    this.stopping = true;
    const client = this.client;
    this.client = undefined;
    if (client) {
      // flush what we have so its PUBACKs can go out before we leave (bounded: a stuck sink must not
      // block shutdown; whatever is not acknowledged the broker keeps for the next run)
      await this.flushBounded();
      await new Promise<void>((resolve) => client.end(false, {}, () => resolve()));
      if (this.connected) this.onClose();
    }
    await this.flushBounded();
    if (this.broker) {
      await this.broker.close();
      this.broker = undefined;
    }
  }

  private async flushBounded(): Promise<void> {
    if (!this.batcher) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.batcher.flush().catch(() => {}),
      new Promise<void>((resolve) => { timer = setTimeout(resolve, this.config.stopFlushTimeoutMs); }),
    ]);
    clearTimeout(timer);
  }

  private clientOptions(protocolVersion: 4 | 5): IClientOptions {
    const c = this.config;
    const options: IClientOptions = {
      clientId: this.clientId,
      clean: false,
      protocolVersion,
      keepalive: c.keepaliveS,
      reconnectPeriod: c.reconnectMinMs,
      connectTimeout: 10_000,
      // we resubscribe ourselves, from the CONNACK's sessionPresent (see onConnect)
      resubscribe: false,
      // nothing of ours to publish while offline; do not queue
      queueQoSZero: false,
    };
    if (protocolVersion === 5) {
      options.properties = { sessionExpiryInterval: c.sessionExpiryS, receiveMaximum: c.receiveMaximum };
    }
    if (c.username !== undefined) options.username = c.username;
    if (c.password !== undefined) options.password = c.password;
    if (c.tls && this.tls) {
      if (this.tls.ca) options.ca = this.tls.ca;
      if (this.tls.cert) options.cert = this.tls.cert;
      if (this.tls.key) options.key = this.tls.key;
      options.rejectUnauthorized = c.tls.rejectUnauthorized;
    }
    return options;
  }

  private onConnect(client: MqttClient, connack: IConnackPacket): void {
    this.connected = true;
    this.since = this.now();
    this.metrics.connected.set(1);
    client.options.reconnectPeriod = this.config.reconnectMinMs;
    this.writeCollectorStatus(true);
    const sessionPresent = connack.sessionPresent === true;
    this.log.info({ url: this.url, clientId: this.clientId, sessionPresent }, 'mqtt collector connected');
    // Subscribe on every connection, not only when the broker lost our session (a broker restart
    // without persistence: reconnecting without subscribing is how a collector ends up connected and
    // receiving nothing). With the session present it is still worth it: the broker then re-sends
    // the retained statuses, which restate every AP right after the span we could not see.
    const filters = this.router.subscriptions();
    client.subscribe(filters, { qos: 1 }, (err, granted) => {
      if (err) {
        this.log.error({ err: err.message, filters }, 'mqtt subscribe failed; reconnecting');
        client.stream?.destroy();
        return;
      }
      const refused = (granted ?? []).filter((g) => g.qos > 2);
      if (refused.length > 0) this.log.error({ refused: refused.map((g) => g.topic) }, 'broker refused subscriptions');
      this.markSubscribed();
    });
  }

  private markSubscribed(): void {
    this.subscribed = true;
    const waiters = this.subscribedWaiters;
    this.subscribedWaiters = [];
    for (const w of waiters) w();
  }

  private onClose(): void {
    this.gate?.connectionClosed();
    this.subscribed = false;
    const client = this.client;
    // exponential backoff: mqtt.js reads reconnectPeriod each time it schedules a reconnect
    if (client) client.options.reconnectPeriod = Math.min((client.options.reconnectPeriod ?? 1000) * 2, this.config.reconnectMaxMs);
    if (!this.connected) return;
    this.connected = false;
    this.since = this.now();
    this.metrics.connected.set(0);
    this.writeCollectorStatus(false);
    // what an AP did while we could not see it is unknown: the next message states it afresh
    this.tracker.reset();
    // a disconnection we asked for is news, not trouble
    if (this.stopping) this.log.info({ url: this.url }, 'mqtt collector disconnected: stopping');
    else this.log.warn({ url: this.url }, 'mqtt collector disconnected');
  }

  private writeCollectorStatus(connected: boolean): void {
    const point: Point = {
      measurement: 'collector_status',
      tags: { collector: 'mqtt', instance: this.clientId },
      fields: { connected: connected ? 1 : 0 },
      time: this.now(),
    };
    this.sink?.write([point]).catch((err: Error) => this.log.error({ err: err.message }, 'could not write collector_status'));
  }

  private onSinkFailure(err: Error): void {
    // not durable, so not acknowledged: drop the connection and let the broker redeliver
    this.log.error({ err: err.message }, 'sink write failed; reconnecting so the broker redelivers');
    this.client?.stream?.destroy();
  }

  /** Handles one message; resolves when its points (if any) are durable. */
  private onPublish(packet: IPublishPacket): Promise<void> {
    const now = this.now();
    this.lastMessageAt = now;
    const topic = packet.topic;
    const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : Buffer.from(packet.payload);
    const match = this.router.match(topic);
    if (!match) return this.reject('unknown_topic', topic, 'topic matches no template');
    this.metrics.messages.inc({ kind: match.kind });
    const device = this.inventory.byMqttId(match.device);
    if (!device) {
      this.metrics.rejected.inc({ reason: 'unknown_device' });
      if (this.unknownDevices.has(match.device)) return Promise.resolve();
      if (this.unknownDevices.size < this.maxUnknownDevicesLogged) {
        this.unknownDevices.add(match.device);
        this.log.warn({ topic, device: match.device }, 'mqtt message from a device not in the inventory (logged once per device)');
      } else {
        this.rejectLog.warn('unknown_device', { topic, device: match.device, remembered: this.unknownDevices.size }, 'mqtt message from a device not in the inventory (too many unknown devices to log each once)');
      }
      return Promise.resolve();
    }
    if (match.kind === 'status') {
      // an empty retained message is how MQTT deletes a retained status: nothing to record
      if (payload.length === 0) return Promise.resolve();
      const status = parseStatus(payload, this.config.statusPayloads);
      if (!status) return this.reject('bad_status', topic, 'status payload is neither online nor offline');
      return this.batcher!.add([this.tracker.onStatus(device, status === 'online', now)]);
    }
    const parsed = parseTelemetry(payload, {
      mapping: this.config.fields,
      maxPayloadBytes: this.config.maxPayloadBytes,
      maxFutureSkewMs: this.config.maxFutureSkewS * 1000,
      now,
    });
    if (!parsed.ok) return this.reject(parsed.reason, topic, parsed.detail);
    const points: Point[] = [];
    if (Object.keys(parsed.value.fields).length > 0) {
      points.push({
        measurement: 'wifi_ap',
        tags: { device: device.id, site: device.site, area: device.area },
        fields: parsed.value.fields,
        time: parsed.value.time,
      });
    }
    const status = this.tracker.onTelemetry(device, parsed.value.time);
    if (status) points.push(status);
    return points.length > 0 ? this.batcher!.add(points) : Promise.resolve();
  }

  private reject(reason: RejectReason, topic: string, detail: string): Promise<void> {
    this.metrics.rejected.inc({ reason });
    this.rejectLog.warn(reason, { topic, reason, detail }, 'mqtt message rejected');
    return Promise.resolve();
  }
}
