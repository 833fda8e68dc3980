/**
 * Shared by the MQTT status tests (mqtt-down-holds, mqtt-collector-restart): a collector on the
 * shared Mosquitto writing to a real SQLite store, with a 2 s AP interval and 1 s heartbeats (the
 * config refuses heartbeats longer than half the interval, and heartbeat_s is whole seconds), and
 * what an operator reads back through server/status (rawUptimes, deviceIncidents).
 */
import path from 'node:path';
import { MqttCollector } from '../../collectors/mqtt/collector.js';
import type { CollectorContext } from '../../collectors/registry.js';
import type { MqttConfig } from '../../collectors/mqtt/config.js';
import { SqliteStore } from '../../server/store/sqlite-store.js';
import type { StatusSample } from '../../core/status-sample.js';
import type { Device } from '../../core/device.js';
import {
  collectorDownSpans, deviceIncidents, intervalMsOf, rawUptimes, type DefaultIntervals, type Incident, type UptimeResult,
} from '../../server/status/index.js';
import { requireMosquitto } from '../helpers/services.js';
import { collectorContext, inventoryOf, testConfig, wifiAp } from '../helpers/mqtt-fixtures.js';

/** the APs' telemetry interval in these tests */
export const INTERVAL_S = 2;
export const INTERVAL_MS = INTERVAL_S * 1000;
export const HEARTBEAT_S = 1;
export const INTERVALS: DefaultIntervals = { fibreS: 60, wifiS: INTERVAL_S };

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface Rig {
  url: string;
  ctx: CollectorContext;
  store: SqliteStore;
  config: MqttConfig;
  aps: Device[];
  /** a collector on this rig's config (same client id every time, so it resumes the session) */
  newCollector(): MqttCollector;
}

/** `brokerUrl`: a private broker (tests/helpers/mosquitto-process.ts); default the shared Mosquitto */
export async function rig(cleanups: Array<() => Promise<void>>, apIds: string[], brokerUrl?: string): Promise<Rig> {
  const url = brokerUrl ?? await requireMosquitto();
  const aps = apIds.map((id) => wifiAp(id));
  const ctx = collectorContext(inventoryOf(aps));
  const store = new SqliteStore({ path: path.join(ctx.dataDir, 'metrics.sqlite') });
  await store.init();
  cleanups.push(() => store.close());
  const config = testConfig({ url, expectedIntervalS: INTERVAL_S, heartbeatS: HEARTBEAT_S, reconnectMinMs: 100, reconnectMaxMs: 200 });
  return { url, ctx, store, config, aps, newCollector: () => new MqttCollector({ config, ctx }) };
}

export function statusTopic(r: Rig, apId: string): string {
  return `${r.config.topicPrefix}/${apId}/status`;
}

export async function samplesOf(r: Rig, apId: string, from = 0): Promise<StatusSample[]> {
  return r.store.statusSamples({ from, to: Date.now() + 60_000, devices: [apId], includePrevious: false });
}

/** What the API would say about one AP over [from, to), read at `to`: its uptime and incidents. */
export async function readBack(r: Rig, ap: Device, from: number, to: number): Promise<{ uptime: UptimeResult; incidents: Incident[] }> {
  const uptime = (await rawUptimes(r.store, { devices: [ap], from, to, now: to, intervals: INTERVALS })).get(ap.id)!;
  const down = await collectorDownSpans(r.store, from, to, INTERVAL_MS);
  const samples = await r.store.statusSamples({ from, to, devices: [ap.id], includePrevious: true });
  const incidents = deviceIncidents(
    { samples, from, to, now: to, intervalMs: intervalMsOf(ap, INTERVALS), collectorDown: down.get('mqtt') ?? [] },
    { device: ap.id, tech: 'wifi', area: ap.area },
  );
  return { uptime, incidents };
}

/** the collector_status points of this rig's collector, oldest first */
export async function collectorStatus(r: Rig): Promise<Array<{ time: number; connected: number; heartbeatS: number | undefined }>> {
  const rows = await r.store.querySeries({ measurement: 'collector_status', from: 0, to: Date.now() + 60_000 });
  return rows
    .filter((row) => row.tags['instance'] === r.config.clientId)
    .map((row) => ({ time: row.time, connected: Number(row.fields['connected']), heartbeatS: row.fields['heartbeat_s'] === undefined ? undefined : Number(row.fields['heartbeat_s']) }))
    .sort((a, b) => a.time - b.time);
}

/** the largest gap between consecutive times (ms) */
export function largestGap(times: readonly number[]): number {
  let max = 0;
  for (let i = 1; i < times.length; i++) max = Math.max(max, times[i]! - times[i - 1]!);
  return max;
}
