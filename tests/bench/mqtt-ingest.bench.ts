/**
 * End-to-end wifi ingest: N telemetry messages published (QoS 1) by a separate process to
 * Mosquitto, through the MQTT collector and the write pipeline into a fresh InfluxDB database, timed
 * from the first publish until InfluxDB holds every point. Next to it, in the same run, the floor:
 * the same points POSTed as raw line protocol into another fresh database. The broker is a private
 * Mosquitto configured as the collector README recommends (no per-client queue cap).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { InfluxStore } from '../../server/store/influx-store.js';
import { BatchingWriter } from '../../collectors/pipeline/index.js';
import { MqttCollector } from '../../collectors/mqtt/collector.js';
import { mqttConfigSchema } from '../../collectors/mqtt/config.js';
import { createMetricsRegistry } from '../../core/self-metrics.js';
import { silentLogger } from '../../core/log.js';
import { MosquittoProcess } from '../helpers/mosquitto-process.js';
import type { Benchmark, BenchContext } from './bench-types.js';
import { countPoints, influxQuery } from './influx-http.js';
import { intervalSOf } from '../../server/status/intervals.js';
import { benchDevices, benchPoints, DEVICES, PREFIX, rawWrite, runPublisher } from './mqtt-fixture.js';

const MESSAGES = Number(process.env['NETATLAS_BENCH_MQTT_MESSAGES'] ?? 100_000);
const count = (url: string, db: string): Promise<number> => countPoints(url, db, 'wifi_ap', 'clients');

async function viaMqtt(ctx: BenchContext, broker: MosquittoProcess, db: string, t0: number) {
  const store = new InfluxStore({ url: ctx.influxUrl, database: db, timeoutMs: 30_000 });
  await store.init();
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'netatlas-bench-mqtt-'));
  const writer = await BatchingWriter.open({ store, dataDir });
  const devices = benchDevices();
  const byId = new Map(devices.map((d) => [d.id, d]));
  const collector = new MqttCollector({
    config: mqttConfigSchema.parse({ url: broker.url, topicPrefix: PREFIX, clientId: `bench-collector-${process.pid}` }),
    ctx: { log: silentLogger, metrics: createMetricsRegistry({ defaultMetrics: false }), intervalSOf, dataDir, inventory: { all: () => devices, byId: (id) => byId.get(id), byMqttId: (id) => byId.get(id) } },
  });
  try {
    await collector.start(writer);
    const started = performance.now();
    const publishSeconds = await runPublisher(broker.url, MESSAGES, t0);
    let stored = 0;
    const deadline = Date.now() + Math.max(ctx.budgetMs, 60_000);
    for (let i = 0; i < 100_000 && Date.now() < deadline; i++) {
      stored = await count(ctx.influxUrl, db);
      if (stored >= MESSAGES) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const seconds = (performance.now() - started) / 1000;
    if (stored !== MESSAGES) throw new Error(`mqtt path: InfluxDB holds ${stored} of ${MESSAGES} points`);
    return { seconds, publishSeconds };
  } finally {
    await collector.stop();
    await writer.close();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

const bench: Benchmark = {
  name: 'mqtt-ingest',
  description: `${MESSAGES} wifi telemetry messages: publisher process -> Mosquitto -> MQTT collector -> pipeline -> InfluxDB, vs raw line-protocol POSTs of the same points`,
  async run(ctx: BenchContext) {
    const broker = await MosquittoProcess.start({ extraConfig: ['max_queued_messages 0'] });
    const t0 = Date.now() - 3_600_000;
    const points = benchPoints(MESSAGES, t0);
    const dbMqtt = `netatlas_bench_mqtt_${process.pid}`;
    const dbRaw = `netatlas_bench_mqttraw_${process.pid}`;
    try {
      const rawSeconds = await rawWrite(ctx.influxUrl, dbRaw, points);
      const rawStored = await count(ctx.influxUrl, dbRaw);
      if (rawStored !== MESSAGES) throw new Error(`raw path: InfluxDB holds ${rawStored} of ${MESSAGES}`);
      ctx.log(`raw line protocol: ${Math.round(MESSAGES / rawSeconds)} points/s`);
      const mqtt = await viaMqtt(ctx, broker, dbMqtt, t0);
      ctx.log(`mqtt end to end: ${Math.round(MESSAGES / mqtt.seconds)} messages/s`);
      const mqttRate = Math.round(MESSAGES / mqtt.seconds);
      const rawRate = Math.round(MESSAGES / rawSeconds);
      return {
        messages: MESSAGES, devices: DEVICES,
        mqtt: { seconds: Number(mqtt.seconds.toFixed(3)), publishSeconds: Number(mqtt.publishSeconds.toFixed(3)), messagesPerSecond: mqttRate },
        raw: { seconds: Number(rawSeconds.toFixed(3)), pointsPerSecond: rawRate, batch: 5000 },
        ratioMqttToRaw: Number((mqttRate / rawRate).toFixed(3)),
      };
    } finally {
      await influxQuery(ctx.influxUrl, `DROP DATABASE "${dbMqtt}"`).catch(() => {});
      await influxQuery(ctx.influxUrl, `DROP DATABASE "${dbRaw}"`).catch(() => {});
      await broker.close();
    }
  },
};

export default bench;
