/**
 * Drain: how fast the MQTT collector empties a broker queue, the one ingest figure that measures
 * the collector and not the publisher. Per round: the collector subscribes once (persistent session,
 * clean=false) and leaves; a publisher process sends N QoS 1 telemetry messages, which the broker
 * queues for the absent collector; then the collector starts and the clock runs from start() until
 * count() in InfluxDB equals N. Baseline, in the same round: the same N wifi_ap points POSTed as raw
 * line protocol (5000 a request) into another fresh database. Rounds alternate the two, and the
 * medians are compared.
 *
 * A second baseline, the client library's floor: a bare mqtt.js client drains the same N queued
 * messages from the same broker, parsing each payload and storing nothing.
 *
 * The broker is a private Mosquitto with the test broker's queue settings (tests/services/start):
 * max_queued_messages 0 (the queue is unbounded) and max_inflight_messages 1000.
 */
import os from 'node:os';
import type { Benchmark, BenchContext } from './bench-types.js';
import { median } from './bench-types.js';
import { countPoints, influxQuery } from './influx-http.js';
import { MosquittoProcess } from '../helpers/mosquitto-process.js';
import { bareClientDrain, benchPoints, openCollector, rawWrite, runPublisher, DEVICES } from './mqtt-fixture.js';

const MESSAGES = Number(process.env['NETATLAS_BENCH_MQTT_MESSAGES'] ?? 100_000);
const ROUNDS = Number(process.env['NETATLAS_BENCH_MQTT_DRAIN_ROUNDS'] ?? 3);

const count = (url: string, db: string): Promise<number> => countPoints(url, db, 'wifi_ap', 'clients');

/** One drain: returns the seconds from the collector's start() until InfluxDB holds every message. */
async function drainOnce(ctx: BenchContext, broker: MosquittoProcess, db: string, t0: number, round: number): Promise<{ seconds: number; publishSeconds: number; cpuSeconds: number; statusRows: number }> {
  const clientId = `bench-drain-${process.pid}-${round}`;
  // first visit: the broker learns the session and its subscription, then keeps messages for it
  const prime = await openCollector(ctx.influxUrl, broker.url, db, clientId);
  await prime.collector.start(prime.writer);
  await prime.collector.whenSubscribed();
  await prime.close();
  const publishSeconds = await runPublisher(broker.url, MESSAGES, t0);
  if ((await count(ctx.influxUrl, db)) !== 0) throw new Error('drain: points arrived while the collector was away');

  const c = await openCollector(ctx.influxUrl, broker.url, db, clientId);
  try {
    const started = performance.now();
    // this process runs only the collector while it drains (the publisher is done and was another
    // process); the count() polls add a little
    const cpu = process.cpuUsage();
    await c.collector.start(c.writer);
    let stored = 0;
    const deadline = Date.now() + Math.max(ctx.budgetMs, 120_000);
    // count() scans every point stored so far (about 70 ms of InfluxDB CPU at 100 000): polled every
    // 50 ms it took CPU from the writes it was timing. It runs when the pipeline has just written
    // and holds nothing more, and at least once a second; the pipeline's counters are read in-process.
    let countedAt = -1, lastCount = 0;
    for (let i = 0; i < 1_000_000 && Date.now() < deadline; i++) {
      const s = c.writer.stats();
      const written = s.written + s.replayed;
      if ((s.queuedPoints === 0 && written !== countedAt) || Date.now() - lastCount >= 1000) {
        countedAt = written;
        lastCount = Date.now();
        stored = await count(ctx.influxUrl, db);
        if (stored >= MESSAGES) break;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    if (stored !== MESSAGES) throw new Error(`drain: InfluxDB holds ${stored} of ${MESSAGES} points`);
    // the up samples stored beside the telemetry, once thinned (server/status/evidence-thinning.ts)
    const statusRows = await countPoints(ctx.influxUrl, db, 'device_status', 'up');
    return { seconds, publishSeconds, cpuSeconds: (used.user + used.system) / 1e6, statusRows };
  } finally {
    await c.close();
  }
}

const bench: Benchmark = {
  name: 'mqtt-drain',
  description: `${MESSAGES} wifi telemetry messages queued by Mosquitto for the absent collector, drained into InfluxDB, vs raw line-protocol POSTs of the same points; median of ${ROUNDS} rounds`,
  async run(ctx: BenchContext) {
    const broker = await MosquittoProcess.start({ extraConfig: ['max_queued_messages 0', 'max_queued_bytes 0', 'max_inflight_messages 1000'] });
    const drains: number[] = [];
    const raws: number[] = [];
    const publishes: number[] = [];
    const cpus: number[] = [];
    const loads: number[] = [];
    const statusRows: number[] = [];
    const bares: number[] = [];
    const dbs: string[] = [];
    const started = Date.now();
    try {
      for (let round = 0; round < ROUNDS; round++) {
        if (round > 0 && Date.now() - started > ctx.budgetMs) break;
        const t0 = Date.now() - 3_600_000;
        const dbRaw = `netatlas_bench_drainraw_${process.pid}_${round}`;
        const dbMqtt = `netatlas_bench_drain_${process.pid}_${round}`;
        dbs.push(dbRaw, dbMqtt);
        const rawSeconds = await rawWrite(ctx.influxUrl, dbRaw, benchPoints(MESSAGES, t0));
        const rawStored = await count(ctx.influxUrl, dbRaw);
        if (rawStored !== MESSAGES) throw new Error(`raw path: InfluxDB holds ${rawStored} of ${MESSAGES}`);
        const drain = await drainOnce(ctx, broker, dbMqtt, t0, round);
        raws.push(rawSeconds);
        drains.push(drain.seconds);
        publishes.push(drain.publishSeconds);
        cpus.push(drain.cpuSeconds);
        statusRows.push(drain.statusRows);
        bares.push(await bareClientDrain(broker.url, MESSAGES, t0, `bench-bare-${process.pid}-${round}`));
        loads.push(os.loadavg()[0]!);
        ctx.log(`round ${round}: raw ${Math.round(MESSAGES / rawSeconds)} points/s, drain ${Math.round(MESSAGES / drain.seconds)} messages/s (publishing took ${drain.publishSeconds.toFixed(1)} s), collector CPU ${drain.cpuSeconds.toFixed(2)} s, ${drain.statusRows} device_status rows, bare mqtt.js ${Math.round(MESSAGES / bares[bares.length - 1]!)} messages/s, load ${os.loadavg()[0]!.toFixed(1)}`);
        await influxQuery(ctx.influxUrl, `DROP DATABASE "${dbRaw}"`).catch(() => {});
        await influxQuery(ctx.influxUrl, `DROP DATABASE "${dbMqtt}"`).catch(() => {});
      }
      const drainRate = Math.round(MESSAGES / median(drains));
      const rawRate = Math.round(MESSAGES / median(raws));
      return {
        messages: MESSAGES, devices: DEVICES, rounds: drains.length,
        drain: { medianSeconds: Number(median(drains).toFixed(3)), messagesPerSecond: drainRate, seconds: drains.map((s) => Number(s.toFixed(3))) },
        raw: { medianSeconds: Number(median(raws).toFixed(3)), pointsPerSecond: rawRate, batch: 5000, seconds: raws.map((s) => Number(s.toFixed(3))) },
        publishMedianSeconds: Number(median(publishes).toFixed(3)),
        // the floor of any collector built on mqtt.js, on this machine, in the same rounds
        bareClient: { medianSeconds: Number(median(bares).toFixed(3)), messagesPerSecond: Math.round(MESSAGES / median(bares)), seconds: bares.map((s) => Number(s.toFixed(3))) },
        ratioBareClientToRaw: Number((Math.round(MESSAGES / median(bares)) / rawRate).toFixed(3)),
        ratioDrainToBareClient: Number((drainRate / Math.round(MESSAGES / median(bares))).toFixed(3)),
        // device_status rows stored per round (one up sample per message before thinning)
        statusRowsStored: statusRows,
        // CPU of the collector process (user + system) per 1000 messages drained: steadier than the
        // rates on a shared machine, and the figure for sizing one (README "Cost per device")
        cpuSecondsPer1000Messages: Number((1000 * median(cpus) / MESSAGES).toFixed(4)),
        loadAverage1m: loads.map((l) => Number(l.toFixed(2))),
        ratioDrainToRaw: Number((drainRate / rawRate).toFixed(3)),
        goal: '>= 0.7',
      };
    } finally {
      for (const db of dbs) await influxQuery(ctx.influxUrl, `DROP DATABASE "${db}"`).catch(() => {});
      await broker.close();
    }
  },
};

export default bench;
