/**
 * One simulated public wifi AP: an MQTT client, as AP firmware would be. Last Will `offline`
 * (retained) on its status topic, retained `online` on connect, JSON telemetry (DESIGN.md payload)
 * every few seconds. A power cut drops the connection without DISCONNECT, so the broker publishes
 * the Will; power back boots the AP again (uptime and byte counters restart).
 */
import mqtt, { type MqttClient } from 'mqtt';
import type { Device } from '../core/device.js';
import { dayFactor } from './day-curve.js';
import type { Rng } from './rng.js';

export interface BrokerTarget {
  url: string;
  /** 4 (MQTT 3.1.1, what aedes speaks) or 5 */
  protocolVersion: 4 | 5;
  username?: string;
  password?: string;
  /** topic prefix; topics are `<prefix>/<mqttId>/telemetry` and `.../status` */
  topicPrefix: string;
}

export class SimAccessPoint {
  readonly device: Device;
  readonly mqttId: string;
  private client: MqttClient | undefined;
  private bootAt = 0;
  private txBytes = 0;
  private rxBytes = 0;
  private lastTick = 0;
  private powered = false;
  private powerCuts = 0;
  /** next telemetry due, epoch ms */
  nextDueAt = 0;
  /** this AP's popularity: how many clients it has at the peak */
  private readonly peakClients: number;
  private readonly baseRssi: number;

  constructor(device: Device, private readonly broker: BrokerTarget, private readonly rng: Rng) {
    this.device = device;
    this.mqttId = device.mqttId ?? device.id;
    this.peakClients = rng.int(8, 60);
    this.baseRssi = rng.range(-72, -52);
  }

  get statusTopic(): string { return `${this.broker.topicPrefix}/${this.mqttId}/status`; }
  get telemetryTopic(): string { return `${this.broker.topicPrefix}/${this.mqttId}/telemetry`; }
  get online(): boolean { return this.powered && this.client?.connected === true; }
  get isPowered(): boolean { return this.powered; }

  /** Boots the AP: connects, says `online` (retained). Resolves once connected or after `waitMs`. */
  powerOn(waitMs = 10_000): Promise<void> {
    this.powerCuts = Math.max(0, this.powerCuts - 1);
    if (this.powerCuts > 0 || this.powered) return Promise.resolve();
    this.powered = true;
    this.bootAt = Date.now();
    this.lastTick = this.bootAt;
    this.txBytes = 0;
    this.rxBytes = 0;
    const client = mqtt.connect(this.broker.url, {
      clientId: `netatlas-sim-${this.mqttId}`,
      protocolVersion: this.broker.protocolVersion,
      clean: true,
      keepalive: 30,
      reconnectPeriod: 2000,
      connectTimeout: 10_000,
      ...(this.broker.username !== undefined ? { username: this.broker.username } : {}),
      ...(this.broker.password !== undefined ? { password: this.broker.password } : {}),
      will: { topic: this.statusTopic, payload: Buffer.from('offline'), qos: 1, retain: true },
    });
    this.client = client;
    // Every (re)connection restates the status, as real firmware does after a broker restart.
    client.on('connect', () => { client.publish(this.statusTopic, 'online', { qos: 1, retain: true }); });
    client.on('error', () => { /* reconnects on its own; the collector sees the status */ });
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, waitMs);
      client.once('connect', () => { clearTimeout(timer); resolve(); });
    });
  }

  /** Power cut: the TCP connection dies without DISCONNECT, so the broker publishes the Will. */
  powerCut(): void {
    this.powerCuts += 1;
    if (!this.powered) return;
    this.powered = false;
    const c = this.client;
    this.client = undefined;
    c?.end(true);
  }

  /** Publishes one telemetry message (QoS 0: a lost sample is not worth a retry). */
  publishTelemetry(now: number): void {
    const c = this.client;
    if (!this.powered || !c?.connected) return;
    const dt = Math.max(0, (now - this.lastTick) / 1000);
    this.lastTick = now;
    const f = dayFactor(new Date(now));
    const clients = Math.max(0, Math.round(this.peakClients * f * this.rng.range(0.7, 1.3)));
    // ~150 kbit/s down and ~30 kbit/s up per client on average.
    this.rxBytes += Math.round(clients * 3_750 * dt * this.rng.range(0.5, 1.5));
    this.txBytes += Math.round(clients * 18_750 * dt * this.rng.range(0.5, 1.5));
    const payload = {
      ts: now,
      clients,
      rssi_dbm: Math.round((this.baseRssi + this.rng.range(-3, 3)) * 10) / 10,
      channel_util: Math.round(Math.min(0.98, 0.05 + 0.8 * f * (clients / this.peakClients)) * 100) / 100,
      tx_bytes: this.txBytes,
      rx_bytes: this.rxBytes,
      uptime_s: Math.floor((now - this.bootAt) / 1000),
    };
    c.publish(this.telemetryTopic, JSON.stringify(payload), { qos: 0 });
  }

  /**
   * Switches off for good. `sayOffline`: publish `offline` (retained) first, so that a broker that
   * outlives the simulator does not keep claiming the AP is online.
   */
  async close(sayOffline: boolean): Promise<void> {
    const c = this.client;
    this.client = undefined;
    this.powered = false;
    if (!c) return;
    if (sayOffline && c.connected) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 2000);
        c.publish(this.statusTopic, 'offline', { qos: 1, retain: true }, () => { clearTimeout(timer); resolve(); });
      });
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => { c.end(true); resolve(); }, 2000);
      c.end(false, {}, () => { clearTimeout(timer); resolve(); });
    });
  }
}
