/**
 * What the two MQTT benches (mqtt-ingest, mqtt-drain) share: the telemetry payloads, the publisher
 * process, the collector under test with its pipeline, and the raw line-protocol floor.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Point } from '../../core/point.js';
import { InfluxStore } from '../../server/store/influx-store.js';
import { encodePoints } from '../../server/store/line-protocol.js';
import { BatchingWriter } from '../../collectors/pipeline/index.js';
import { MqttCollector } from '../../collectors/mqtt/collector.js';
import { mqttConfigSchema } from '../../collectors/mqtt/config.js';
import { createMetricsRegistry } from '../../core/self-metrics.js';
import { silentLogger } from '../../core/log.js';
import type { Device } from '../../core/device.js';
import { DEFAULT_INTERVALS, intervalMsOf, intervalSOf } from '../../server/status/intervals.js';
import { EvidenceThinner } from '../../server/status/evidence-thinning.js';
import { cpuSeconds } from './proc-cpu.js';

export const DEVICES = 200;
export const PREFIX = 'netatlas-bench/wifi';

/** payload i's fields, exactly as the publisher process builds them */
export function payloadFields(i: number) {
  return { clients: i % 97, rssi_dbm: -40 - (i % 50), channel_util: (i % 100) / 100, tx_bytes: 1_000_000 + i * 1500, rx_bytes: 500_000 + i * 700, uptime_s: 3600 + i };
}

export function benchDevices(): Device[] {
  return Array.from({ length: DEVICES }, (_, i) => ({
    id: `ap-${i}`, tech: 'wifi' as const, site: `site-${i % 40}`, area: `area-${i % 19}`, location: { lat: 50.85, lon: 4.35 },
  }));
}

/** the wifi_ap points the collector stores for messages 0..n-1 (message i stamped t0 + i) */
export function benchPoints(n: number, t0: number): Point[] {
  return Array.from({ length: n }, (_, i) => ({
    measurement: 'wifi_ap',
    tags: { device: `ap-${i % DEVICES}`, site: `site-${(i % DEVICES) % 40}`, area: `area-${(i % DEVICES) % 19}` },
    fields: payloadFields(i),
    time: t0 + i,
  }));
}

// A separate Node process, so that publishing does not share an event loop with the collector.
const PUBLISHER = `
import mqtt from 'mqtt';
const [url, prefix, n, devices, t0] = process.argv.slice(-5);
const client = await mqtt.connectAsync(url, { protocolVersion: 5, clientId: 'bench-publisher-' + process.pid });
let next = 0;
const N = Number(n), D = Number(devices), T0 = Number(t0);
async function worker() {
  while (next < N) {
    const i = next++;
    const payload = JSON.stringify({ ts: T0 + i, clients: i % 97, rssi_dbm: -40 - (i % 50), channel_util: (i % 100) / 100, tx_bytes: 1000000 + i * 1500, rx_bytes: 500000 + i * 700, uptime_s: 3600 + i });
    await client.publishAsync(prefix + '/ap-' + (i % D) + '/telemetry', payload, { qos: 1 });
  }
}
await Promise.all(Array.from({ length: 200 }, worker));
await client.endAsync();
`;

/** Publishes n messages (QoS 1, each acknowledged by the broker) from a child process; resolves with its seconds. */
export function runPublisher(url: string, n: number, t0: number): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', PUBLISHER, '--', url, PREFIX, String(n), String(DEVICES), String(t0)], {
      cwd: process.cwd(), stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve((performance.now() - started) / 1000) : reject(new Error(`publisher exited ${code}: ${stderr}`))));
  });
}

export interface CollectorUnderTest {
  collector: MqttCollector;
  writer: BatchingWriter;
  /** wifi_ap points acknowledged by InfluxDB so far (counted in this process) */
  wifiStored(): number;
  close(): Promise<void>;
}

/** The MQTT collector with its default config (but the broker and prefix) and a BatchingWriter into `db`. */
export async function openCollector(influxUrl: string, brokerUrl: string, db: string, clientId: string): Promise<CollectorUnderTest> {
  const store = new InfluxStore({ url: influxUrl, database: db, timeoutMs: 30_000 });
  await store.init();
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'netatlas-bench-mqtt-'));
  const devices = benchDevices();
  const byId = new Map(devices.map((d) => [d.id, d]));
  // as the service composes it (server/collection/collection-side.ts): each write leaves out the
  // up samples that change no timeline
  const thinner = new EvidenceThinner((id) => { const d = byId.get(id); return d ? intervalMsOf(d, DEFAULT_INTERVALS) : undefined; });
  // the wifi_ap points InfluxDB has acknowledged, tallied in-process: the drain bench asks InfluxDB
  // for its count() when this says all are there, not on a timer (each count() costs InfluxDB CPU)
  let wifiStored = 0;
  const writer = await BatchingWriter.open({
    store: {
      write: async (points) => {
        const kept = thinner.thin(points);
        await store.write(kept);
        for (const p of kept) if (p.measurement === 'wifi_ap') wifiStored++;
      },
    },
    dataDir,
  });
  const collector = new MqttCollector({
    config: mqttConfigSchema.parse({ url: brokerUrl, topicPrefix: PREFIX, clientId }),
    ctx: { log: silentLogger, metrics: createMetricsRegistry({ defaultMetrics: false }), intervalSOf, dataDir, inventory: { all: () => devices, byId: (id) => byId.get(id), byMqttId: (id) => byId.get(id) } },
  });
  return {
    collector, writer,
    wifiStored: () => wifiStored,
    async close() {
      await collector.stop();
      await writer.close();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The floor: the points POSTed as line protocol, 5000 a request, one request at a time. Seconds. */
export async function rawWrite(url: string, db: string, points: readonly Point[]): Promise<number> {
  await new InfluxStore({ url, database: db }).init();
  const started = performance.now();
  for (let i = 0; i < points.length; i += 5000) {
    const res = await fetch(`${url}/write?db=${encodeURIComponent(db)}&rp=raw&precision=ms`, {
      method: 'POST', body: encodePoints(points.slice(i, i + 5000)), signal: AbortSignal.timeout(30_000),
    });
    if (res.status !== 204) throw new Error(`raw write: HTTP ${res.status} ${await res.text()}`);
  }
  return (performance.now() - started) / 1000;
}

/**
 * The client library's floor: a bare mqtt.js client (the collector's session options: MQTT 5,
 * clean=false, receive maximum 20 000) drains n queued telemetry messages, parsing each payload's
 * JSON and storing nothing; mqtt.js acknowledges each at once. Resolves with its seconds, from
 * connect until the n-th message, and the CPU this process and the broker used meanwhile.
 */
export async function bareClientDrain(url: string, n: number, t0: number, clientId: string, brokerPid?: number): Promise<{ seconds: number; cpuSeconds: number; brokerCpuSeconds: number }> {
  const { default: mqtt } = await import('mqtt');
  const opts = { clientId, clean: false, protocolVersion: 5 as const, properties: { sessionExpiryInterval: 600, receiveMaximum: 20_000 } };
  const prime = await mqtt.connectAsync(url, opts);
  await prime.subscribeAsync(`${PREFIX}/+/telemetry`, { qos: 1 });
  await prime.endAsync();
  await runPublisher(url, n, t0);
  const started = performance.now();
  const cpu = process.cpuUsage();
  const broker0 = brokerPid === undefined ? 0 : cpuSeconds(brokerPid);
  let got = 0;
  const client = mqtt.connect(url, opts);
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`bare drain: ${got} of ${n} messages in 120 s`)), 120_000);
      client.on('message', (_topic, payload) => {
        JSON.parse(payload.toString());
        if (++got === n) { clearTimeout(timer); resolve(); }
      });
      client.on('error', (err) => { clearTimeout(timer); reject(err); });
    });
    const used = process.cpuUsage(cpu);
    return {
      seconds: (performance.now() - started) / 1000,
      cpuSeconds: (used.user + used.system) / 1e6,
      brokerCpuSeconds: brokerPid === undefined ? 0 : cpuSeconds(brokerPid) - broker0,
    };
  } finally {
    await client.endAsync();
  }
}
