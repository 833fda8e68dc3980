/**
 * A simulated access point as a real MQTT client: Last Will `offline` (retained), a retained
 * `online` when it connects, telemetry with its own `ts` every period. Its power cut destroys the
 * socket, so the broker (not the AP) publishes the Will.
 */
import mqtt, { type MqttClient } from 'mqtt';

export class ApClient {
  private client: MqttClient | undefined;
  private timer: NodeJS.Timeout | undefined;
  private periodMs: number | undefined;
  private sent = 0;

  constructor(private readonly url: string, private readonly prefix: string, readonly id: string) {}

  private topic(kind: 'status' | 'telemetry'): string {
    return `${this.prefix}/${this.id}/${kind}`;
  }

  /** connect (Will: retained `offline`) and publish a retained `online` */
  async online(): Promise<void> {
    if (this.client) throw new Error(`${this.id}: already connected`);
    const client = mqtt.connect(this.url, {
      clientId: `${this.prefix.replace(/\W/g, '-')}-${this.id}`, protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 5000,
      will: { topic: this.topic('status'), payload: Buffer.from('offline'), qos: 1, retain: true },
    });
    await new Promise<void>((resolve, reject) => { client.once('connect', () => resolve()); client.once('error', reject); });
    client.on('error', () => undefined);
    this.client = client;
    await client.publishAsync(this.topic('status'), 'online', { qos: 1, retain: true });
  }

  /** publish telemetry now and every periodMs */
  telemetry(periodMs: number): void {
    this.stopTelemetry();
    this.periodMs = periodMs;
    const send = (): void => {
      this.sent++;
      this.client?.publishAsync(this.topic('telemetry'), JSON.stringify({ ts: Date.now(), clients: this.sent % 40 }), { qos: 1 }).catch(() => undefined);
    };
    send();
    this.timer = setInterval(send, periodMs);
  }

  stopTelemetry(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** retained `offline`, telemetry stops, clean DISCONNECT (no Will) */
  async offlineGraceful(): Promise<void> {
    this.stopTelemetry();
    const client = this.take();
    await client.publishAsync(this.topic('status'), 'offline', { qos: 1, retain: true });
    await client.endAsync();
  }

  /** the socket dies without a DISCONNECT: the broker publishes the Will */
  powerCut(): void {
    this.stopTelemetry();
    const client = this.take();
    client.stream.destroy();
    client.end(true);
  }

  /** reconnect, `online`, telemetry at the former period */
  async powerBack(): Promise<void> {
    if (this.periodMs === undefined) throw new Error(`${this.id}: no telemetry period to resume`);
    await this.online();
    this.telemetry(this.periodMs);
  }

  /** end of the scenario: stop, and clear the retained status so the shared broker keeps nothing of ours */
  async dispose(): Promise<void> {
    this.stopTelemetry();
    const client = this.client;
    this.client = undefined;
    // a clean DISCONNECT first (no Will), then clear the retained status
    await client?.endAsync();
    const cleaner = mqtt.connect(this.url, { protocolVersion: 4, reconnectPeriod: 0 });
    await new Promise<void>((resolve, reject) => { cleaner.once('connect', () => resolve()); cleaner.once('error', reject); });
    await cleaner.publishAsync(this.topic('status'), '', { qos: 1, retain: true });
    await cleaner.endAsync();
  }

  private take(): MqttClient {
    const c = this.client;
    if (!c) throw new Error(`${this.id}: not connected`);
    this.client = undefined;
    return c;
  }
}
