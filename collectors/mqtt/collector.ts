/**
 * The MQTT wifi collector: subscribes to AP telemetry and status with QoS 1 on a persistent session
 * and writes `wifi_ap`, `device_status` and `collector_status` points to the sink. While connected
 * it beats (collector_status heartbeats, collectors/heartbeat.ts) and restates the APs known down
 * every interval (down-restater.ts); server/status/ turns those into device state.
 */
import mqtt, { type IConnackPacket, type IPublishPacket, type MqttClient } from 'mqtt';
import type { CollectorHealth, CollectorHealthContext, Sink, StreamingCollector } from '../types.js';
import type { CollectorContext } from '../registry.js';
import type { InventoryView } from '../../core/inventory-view.js';
import { sharedTags, type Point } from '../../core/point.js';
import type { Logger } from '../../core/log.js';
import { defaultClientId, type MqttConfig } from './config.js';
import type { TopicRouter } from './topics.js';
import { parseStatus, type RejectReason } from './payload.js';
import { createPreset, type Preset } from './presets.js';
import { StatusTracker } from './status-tracker.js';
import { DownRestater } from './down-restater.js';
import { Heartbeat } from '../heartbeat.js';
import { AckGate } from './ack-gate.js';
import { createMqttMetrics, type MqttMetrics } from './metrics.js';
import { PointBatcher } from './point-batcher.js';
import { RateLimitedLog, UnknownDeviceLog } from './rate-limited-log.js';
import { readTlsFiles, type TlsMaterial } from './tls.js';
import { clientOptions } from './client-options.js';
import { createSysWatch, subscribeSys, type BrokerSysView, type BrokerSysWatch } from './broker-sys.js';
import { redactText, redactUrl } from '../../core/redact.js';
import { backoffDelayMs } from '../../core/backoff.js';
import { FloorFile } from './floor-file.js';

export interface MqttCollectorState {
  connected: boolean;
  /** the broker in use (the service's embedded one's URL when none is configured) */
  url: string | undefined;
  clientId: string;
  /** epoch ms of the last connect or disconnect */
  since: number | undefined;
  reconnects: number;
  lastMessageAt: number | undefined;
  /** QoS 1 messages whose PUBACK waits for the sink */
  unacked: number;
  /** what the broker says of itself in $SYS (Mosquitto); visible: false for a broker without */
  broker: BrokerSysView;
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
  private readonly preset: Preset;
  private readonly tracker = new StatusTracker();
  private readonly restater: DownRestater;
  private readonly heartbeat: Heartbeat;
  /** the connected=0 write of the last disconnection, awaited by stop() */
  private lastBeat: Promise<void> = Promise.resolve();
  private readonly clientId: string;
  private readonly rejectLog: RateLimitedLog;
  private readonly unknownDevices: UnknownDeviceLog;
  private readonly startWaitMs: number;
  private readonly tls: TlsMaterial | undefined;
  private readonly dataDir: string;
  private sys: BrokerSysWatch | undefined;
  private readonly floors: FloorFile;

  private client: MqttClient | undefined;
  private batcher: PointBatcher | undefined;
  private sink: Sink | undefined;
  private gate: AckGate | undefined;
  private url: string | undefined;
  private connected = false;
  private since: number | undefined;
  private reconnects = 0;
  /** connections lost since the last CONNACK: the reconnect backoff's attempt number */
  private closesSinceConnect = 0;
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
    this.dataDir = options.ctx.dataDir;
    this.floors = new FloorFile(this.dataDir, this.tracker, this.log);
    this.floors.load();
    // the AP vendor preset (presets.ts) decides topics and telemetry payloads
    this.preset = createPreset(this.config);
    this.router = this.preset.router;
    this.clientId = this.config.clientId ?? defaultClientId(options.ctx.dataDir);
    this.heartbeat = new Heartbeat({ collector: 'mqtt', instance: this.clientId, heartbeatS: this.config.heartbeatS, now: this.now, log: this.log });
    // every device we hear from over MQTT is an AP: its interval is its inventory intervalS, else
    // the APs' telemetry interval (server/status owns the resolution)
    const wifiS = this.config.expectedIntervalS;
    this.restater = new DownRestater({
      tracker: this.tracker,
      lookup: (id) => this.inventory.byId(id),
      intervalMsOf: (device) => 1000 * options.ctx.intervalSOf(device, { fibreS: wifiS, wifiS }),
      now: this.now,
      write: (points) => {
        this.batcher?.add(points).catch((err: Error) => this.log.error({ err: err.message }, 'could not write the restated down samples'));
      },
    });
    this.rejectLog = new RateLimitedLog(this.log, 10_000, this.now);
    this.unknownDevices = new UnknownDeviceLog(this.log, this.rejectLog, options.maxUnknownDevicesLogged ?? 10_000);
    // read now, so a missing file fails creation (start-up) rather than every connection attempt
    this.tls = this.config.tls ? readTlsFiles(this.config.tls) : undefined;
  }

  /** /api/health: not ok while not connected (no AP can be heard); the state says which broker */
  health(ctx: CollectorHealthContext): CollectorHealth {
    const st = this.state();
    return {
      ok: st.connected,
      detail: st.connected ? 'connected' : 'not connected',
      state: { ...st, embeddedBroker: ctx.embeddedBrokerUrl !== undefined && st.url === ctx.embeddedBrokerUrl },
    };
  }

  state(): MqttCollectorState {
    return {
      connected: this.connected,
      url: redactUrl(this.url),
      clientId: this.clientId,
      since: this.since,
      reconnects: this.reconnects,
      lastMessageAt: this.lastMessageAt,
      unacked: this.gate?.held() ?? 0,
      broker: this.sys?.view() ?? { visible: false, droppedSeen: 0 },
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
    // The embedded broker is the service's (server/compose, started by the collection side), never
    // the collector's: the service hands its URL in as `url` when collectors.mqtt.url is absent.
    if (!this.config.url) throw new Error('mqtt collector: no broker url (collectors.mqtt.url, or the service\'s broker passed in as url)');
    this.url = this.config.url;
    const protocolVersion: 4 | 5 = this.config.protocolVersion;
    this.floors.start();
    this.sys = createSysWatch({ url: this.url, dataDir: this.dataDir, now: this.now, metrics: this.metrics, log: this.log });
    this.batcher = new PointBatcher(sink, this.config.maxBatchPoints, this.config.maxInFlightWrites, (n) => this.metrics.pointsWritten.inc(n));
    this.gate = new AckGate(
      (err) => this.onSinkFailure(err),
      (n) => this.metrics.unacked.set(n),
    );

    const client = mqtt.connect(this.url, clientOptions(this.config, this.clientId, protocolVersion, this.tls));
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
      // mqtt.js reads the next packet after done(): while the batcher is full (the pipeline holds
      // writes back) the socket waits, so the broker keeps what we cannot take (PointBatcher)
      else void this.batcher!.whenRoom().then(() => done());
    };
    client.on('connect', (connack) => this.onConnect(client, connack));
    client.on('close', () => this.onClose());
    // the broker's DISCONNECT (MQTT 5) and mqtt.js's offline both mean we no longer see the APs
    client.on('disconnect', () => this.lost());
    client.on('reconnect', () => {
      this.reconnects++;
      this.metrics.reconnects.inc();
    });
    client.on('error', (err) => this.log.warn({ err: this.redacted(err.message), url: redactUrl(this.url) }, 'mqtt client error'));
    client.on('offline', () => { this.log.debug('mqtt client offline'); this.lost(); });

    await Promise.race([this.whenSubscribed(), new Promise<void>((r) => setTimeout(r, this.startWaitMs).unref())]);
    if (!this.subscribed) this.log.warn({ url: redactUrl(this.url) }, 'mqtt collector: broker not reachable yet, retrying in the background');
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
      this.lost();
    }
    await this.lastBeat;
    await this.flushBounded();
    this.floors.stop();
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

  private onConnect(client: MqttClient, connack: IConnackPacket): void {
    this.connected = true;
    this.since = this.now();
    this.metrics.connected.set(1);
    this.closesSinceConnect = 0;
    client.options.reconnectPeriod = this.config.reconnectMinMs;
    // the first beat, stamped now: before the SUBSCRIBE below, so that the retained statuses it
    // brings (stamped at their arrival) fall in a span where the collector counts as alive
    if (this.sink) void this.heartbeat.start(this.sink);
    const sessionPresent = connack.sessionPresent === true;
    this.log.info({ url: redactUrl(this.url), clientId: this.clientId, sessionPresent }, 'mqtt collector connected');
    // Subscribe on every connection, not only when the broker lost our session (a broker restart
    // without persistence: reconnecting without subscribing is how a collector ends up connected and
    // receiving nothing). With the session present it is still needed: a SUBSCRIBE (even of a filter
    // the session already holds) makes the broker re-send the retained statuses (MQTT 3.1.1 3.3.1.3;
    // MQTT 5 with the default Retain Handling 0), which restate every AP right after the span we
    // could not see. mqtt.js's own `resubscribe` is off: it skips the SUBSCRIBE when the session
    // is present.
    const subscriptions = this.router.subscriptions();
    const filters = subscriptions.map((s) => s.filter);
    client.subscribe(Object.fromEntries(subscriptions.map((s) => [s.filter, { qos: s.qos }])), (err, granted) => {
      if (err) {
        this.log.error({ err: err.message, filters }, 'mqtt subscribe failed; reconnecting');
        client.stream?.destroy();
        return;
      }
      const refused = (granted ?? []).filter((g) => g.qos > 2);
      if (refused.length > 0) this.log.error({ refused: refused.map((g) => g.topic) }, 'broker refused subscriptions');
      this.markSubscribed();
      // a session from an older version may still hold the statuses as a shared subscription,
      // which would go on splitting them (topics.ts statusSubscription)
      const retired = this.router.retired?.() ?? [];
      if (retired.length > 0) client.unsubscribe(retired, (e) => { if (e) this.log.warn({ err: e.message, filters: retired }, 'mqtt unsubscribe of retired filters failed'); });
      // $SYS loss counters where the broker has them (aedes has none: the health says so)
      subscribeSys(client, this.log, (t) => this.redacted(t));
      // restate from here on, not before: the retained statuses that follow the SUBACK come first
      if (this.connected) this.restater.resume();
    });
  }

  private redacted(text: string): string {
    return this.url ? redactText(text, [{ url: this.url, kind: 'url' }]) : text;
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
    // exponential backoff (core/backoff.ts): mqtt.js reads reconnectPeriod each time it schedules
    // a reconnect; the k-th close since the last connect sets reconnectMinMs × 2^k, capped
    this.closesSinceConnect += 1;
    if (client) client.options.reconnectPeriod = backoffDelayMs(this.closesSinceConnect + 1, this.config.reconnectMinMs, this.config.reconnectMaxMs);
    this.lost();
  }

  /** We no longer see the APs (close, offline, DISCONNECT, stop): once per connection. */
  private lost(): void {
    if (!this.connected) return;
    this.connected = false;
    this.since = this.now();
    this.metrics.connected.set(0);
    // connected=0 ends the alive span now; no restatement while we cannot see the APs. The states
    // are kept: an AP down before the gap is restated after it (unknown in between).
    this.restater.pause();
    this.lastBeat = this.heartbeat.stop(true);
    // a disconnection we asked for is news, not trouble
    if (this.stopping) this.log.info({ url: redactUrl(this.url) }, 'mqtt collector disconnected: stopping');
    else this.log.warn({ url: redactUrl(this.url) }, 'mqtt collector disconnected');
  }

  private onSinkFailure(err: Error): void {
    // not durable, so not acknowledged: drop the connection and let the broker redeliver
    this.log.error({ err: err.message }, 'sink write failed; reconnecting so the broker redelivers');
    this.client?.stream?.destroy();
  }

  /** Handles one message; resolves when its points (if any) are durable. */
  private onPublish(packet: IPublishPacket): Promise<void> {
    const now = this.now();
    const topic = packet.topic;
    // read here and not kept (parsers copy what they keep): no copy of each message's bytes
    const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
    // the broker's own counters, not an AP's message
    if (this.sys?.onMessage(topic, payload)) return Promise.resolve();
    this.lastMessageAt = now;
    const match = this.router.match(topic);
    if (!match) return this.reject('unknown_topic', topic, 'topic matches no template');
    this.metrics.messages.inc({ kind: match.kind });
    const device = this.inventory.byMqttId(match.device);
    if (!device) {
      this.metrics.rejected.inc({ reason: 'unknown_device' });
      this.unknownDevices.note(topic, match.device);
      return Promise.resolve();
    }
    if (match.kind === 'status') {
      // an empty retained message is how MQTT deletes a retained status: nothing to record
      if (payload.length === 0) return Promise.resolve();
      const status = parseStatus(payload, this.config.statusPayloads);
      if (!status) return this.reject('bad_status', topic, 'status payload is neither online nor offline');
      const point = this.tracker.onStatus(device, status === 'online', now);
      if (status === 'offline') this.restater.noteDown(device);
      return this.batcher!.add([point]);
    }
    const parsed = this.preset.parseTelemetry(topic, payload, now);
    if (!parsed.ok) return this.reject(parsed.reason, topic, parsed.detail);
    const points: Point[] = [];
    if (Object.keys(parsed.value.fields).length > 0) {
      points.push({
        measurement: 'wifi_ap',
        // one shared tags object per device (core/point.ts sharedTags)
        tags: sharedTags(device, 'wifi_ap', { device: device.id, site: device.site, area: device.area }),
        fields: parsed.value.fields,
        time: parsed.value.time,
      });
    }
    const status = this.tracker.onTelemetry(device, parsed.value.time, now);
    if (status) points.push(status);
    return points.length > 0 ? this.batcher!.add(points) : Promise.resolve();
  }

  private reject(reason: RejectReason, topic: string, detail: string): Promise<void> {
    this.metrics.rejected.inc({ reason });
    this.rejectLog.warn(reason, { topic, reason, detail }, 'mqtt message rejected');
    return Promise.resolve();
  }
}
