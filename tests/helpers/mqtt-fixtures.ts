/**
 * Fixtures shared by the MQTT collector tests: an inventory of wifi APs, collector contexts, a real
 * MQTT publisher, and bounded waiting. No mocks: publishers are real mqtt.js clients.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { CollectorContext } from '../../collectors/registry.js';
import type { InventoryView } from '../../core/inventory-view.js';
import type { Device } from '../../core/device.js';
import { createMetricsRegistry, type Registry } from '../../core/self-metrics.js';
import { silentLogger } from '../../core/log.js';
import { mqttConfigSchema, type MqttConfig } from '../../collectors/mqtt/config.js';
import { intervalSOf } from '../../server/status/intervals.js';

export function wifiAp(id: string, extra: Partial<Device> = {}): Device {
  return { id, tech: 'wifi', site: `site-${id}`, area: 'ixelles', location: { lat: 50.83, lon: 4.37 }, radiusM: 50, ...extra };
}

export function inventoryOf(devices: readonly Device[]): InventoryView {
  const byId = new Map(devices.map((d) => [d.id, d]));
  const byMqtt = new Map(devices.map((d) => [d.mqttId ?? d.id, d]));
  return { all: () => devices, byId: (id) => byId.get(id), byMqttId: (id) => byMqtt.get(id) };
}

export function collectorContext(inventory: InventoryView, metrics: Registry = createMetricsRegistry({ defaultMetrics: false })): CollectorContext {
  return { log: silentLogger, metrics, inventory, intervalSOf, dataDir: mkdtempSync(path.join(os.tmpdir(), 'netatlas-mqtt-test-')) };
}

/** A config with a topic prefix of its own, so parallel tests on one broker never see each other's messages. */
export function testConfig(overrides: Record<string, unknown> = {}): MqttConfig {
  const unique = `t${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  return mqttConfigSchema.parse({ topicPrefix: `netatlas-test/${unique}`, clientId: `collector-${unique}`, reconnectMinMs: 100, reconnectMaxMs: 1000, ...overrides });
}

export async function connectClient(url: string, options: IClientOptions = {}): Promise<MqttClient> {
  const client = mqtt.connect(url, { reconnectPeriod: 0, connectTimeout: 5000, ...options });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  return client;
}

/** Publishes every message with QoS 1, at most `window` unacknowledged at once. */
export async function publishAll(
  client: MqttClient,
  messages: ReadonlyArray<{ topic: string; payload: string | Buffer; retain?: boolean }>,
  window = 100,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < messages.length) {
      const m = messages[next++]!;
      await client.publishAsync(m.topic, m.payload, { qos: 1, retain: m.retain ?? false });
    }
  };
  await Promise.all(Array.from({ length: Math.min(window, messages.length) }, worker));
}

/** Polls `check` until it returns true; fails after `timeoutMs` with `what` and the last value seen. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000, everyMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let i = 0; Date.now() < deadline && i < 1_000_000; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}

export { dropInfluxDatabase } from './test-stores.js';

export async function metricValue(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (!metric) return 0;
  const data = await metric.get();
  const match = data.values.find((v) => Object.entries(labels).every(([k, val]) => v.labels[k] === val));
  return match?.value ?? 0;
}
