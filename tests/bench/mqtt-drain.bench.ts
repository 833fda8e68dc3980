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
import { cpuSeconds, influxdPid } from './proc-cpu.js';
import { MosquittoProcess } from '../helpers/mosquitto-process.js';
import { bareClientDrain, benchPoints, openCollector, rawWrite, runPublisher, DEVICES } from './mqtt-fixture.js';

const MESSAGES = Number(process.env['NETATLAS_BENCH_MQTT_MESSAGES'] ?? 100_000);
const ROUNDS = Number(process.env['NETATLAS_BENCH_MQTT_DRAIN_ROUNDS'] ?? 3);

/** CPU seconds the broker and influxd use from now until the returned function is called (0 where unknown) */
function othersCpu(broker: MosquittoProcess): () => { brokerCpuSeconds: number; influxdCpuSeconds: number } {
  const bpid = broker.pid, ipid = influxdPid();
  const b0 = bpid === undefined ? 0 : cpuSeconds(bpid), i0 = ipid === undefined ? 0 : cpuSeconds(ipid);
  return () => ({
    brokerCpuSeconds: bpid === undefined ? 0 : cpuSeconds(bpid) - b0,
    influxdCpuSeconds: ipid === undefined ? 0 : cpuSeconds(ipid) - i0,
  });
}

/** the cores this process may use (a container's quota is not seen: os.availableParallelism) */
const CORES = os.availableParallelism();

function cpuBound(rawSeconds: number, cpu: { collector: number; bareClient: number; broker: number; brokerForBareClient: number; influxd: number }) {
  const floorSeconds = (client: number, broker: number) => (client + broker + cpu.influxd) / CORES;
  const r = (x: number) => Number(x.toFixed(3));
  return {
    cores: CORES,
    cpuSeconds: { collector: r(cpu.collector), broker: r(cpu.broker), influxd: r(cpu.influxd), bareClient: r(cpu.bareClient), brokerForBareClient: r(cpu.brokerForBareClient) },
    minDrainSeconds: r(floorSeconds(cpu.collector, cpu.broker)),
    maxRatioToRaw: r(rawSeconds / floorSeconds(cpu.collector, cpu.broker)),
    minDrainSecondsAtBareClientCost: r(floorSeconds(cpu.bareClient, cpu.brokerForBareClient)),
    maxRatioToRawAtBareClientCost: r(rawSeconds / floorSeconds(cpu.bareClient, cpu.brokerForBareClient)),
  };
}

const count = (url: string, db: string): Promise<number> => countPoints(url, db, 'wifi_ap', 'clients');

/** One drain: returns the seconds from the collector's start() until InfluxDB holds every message. */
async function drainOnce(ctx: BenchContext, broker: MosquittoProcess, db: string, t0: number, round: number): Promise<{ seconds: number; publishSeconds: number; cpuSeconds: number; statusRows: number; brokerCpuSeconds: number; influxdCpuSeconds: number }> {
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
    const others = othersCpu(broker);
    await c.collector.start(c.writer);
    let stored = 0;
    const deadline = Date.now() + Math.max(ctx.budgetMs, 120_000);
    // count() scans every point stored so far (about 70 ms of InfluxDB CPU at 100 000): polled on a
    // timer it took CPU from the writes it was timing, or (polled rarely) missed the moment by up
    // to its period. It runs when the points InfluxDB acknowledged, tallied in this process, say all
    // are there, and once a second in case the tally is wrong.
    let lastCount = Date.now(), countedAt = -1;
    for (let i = 0; i < 1_000_000 && Date.now() < deadline; i++) {
      const tally = c.wifiStored();
      if ((tally >= MESSAGES && tally !== countedAt) || Date.now() - lastCount >= 1000) {
        countedAt = tally;
        lastCount = Date.now();
        stored = await count(ctx.influxUrl, db);
        if (stored >= MESSAGES) break;
      }
      await new Promise((r) => setTimeout(r, 2));
    }
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const otherUsed = others();
    if (stored !== MESSAGES) throw new Error(`drain: InfluxDB holds ${stored} of ${MESSAGES} points`);
    // the up samples stored beside the telemetry, once thinned (server/status/evidence-thinning.ts)
    const statusRows = await countPoints(ctx.influxUrl, db, 'device_status', 'up');
    return { seconds, publishSeconds, cpuSeconds: (used.user + used.system) / 1e6, statusRows, ...otherUsed };
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
    const bareCpus: number[] = [];
    const brokerCpus: number[] = [];
    const bareBrokerCpus: number[] = [];
    const influxdCpus: number[] = [];
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
        const bare = await bareClientDrain(broker.url, MESSAGES, t0, `bench-bare-${process.pid}-${round}`, broker.pid);
        bares.push(bare.seconds);
        bareCpus.push(bare.cpuSeconds);
        brokerCpus.push(drain.brokerCpuSeconds);
        bareBrokerCpus.push(bare.brokerCpuSeconds);
        influxdCpus.push(drain.influxdCpuSeconds);
        loads.push(os.loadavg()[0]!);
        ctx.log(`round ${round}: raw ${Math.round(MESSAGES / rawSeconds)} points/s, drain ${Math.round(MESSAGES / drain.seconds)} messages/s (publishing took ${drain.publishSeconds.toFixed(1)} s), collector CPU ${drain.cpuSeconds.toFixed(2)} s, ${drain.statusRows} device_status rows, broker CPU ${drain.brokerCpuSeconds.toFixed(2)} s, influxd CPU ${drain.influxdCpuSeconds.toFixed(2)} s, bare mqtt.js ${Math.round(MESSAGES / bare.seconds)} messages/s (CPU ${bare.cpuSeconds.toFixed(2)} s), load ${os.loadavg()[0]!.toFixed(1)}`);
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
        // What the machine allows. A drain needs the CPU of three processes (collector, broker,
        // influxd); on C cores its wall time is at least their sum over C. With the collector's own
        // CPU, and with the collector costing no more than the bare mqtt.js client (the floor of any
        // collector built on mqtt.js), the best ratio to raw those bounds permit:
        cpuBound: cpuBound(median(raws), { collector: median(cpus), bareClient: median(bareCpus), broker: median(brokerCpus), brokerForBareClient: median(bareBrokerCpus), influxd: median(influxdCpus) }),
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
