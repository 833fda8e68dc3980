/**
 * Ingest with 1 and 2 consumers in one shared group (#19): how fast `netatlas start --role
 * collector` processes in one `mqtt.sharedGroup` drain the same queued QoS 1 telemetry into
 * InfluxDB. Per run (k members in a group of the run's own, same messages, same broker, a fresh
 * database): the k members start once so the broker learns their sessions and the group, and
 * stop; a publisher process sends N messages, which Mosquitto splits among the absent members'
 * sessions round-robin; then the k members start together; the rate is taken between 10 % and
 * 90 % of the messages stored in InfluxDB (process start-up, several seconds of tsx, is left out
 * and printed apart). CPU is the members' user + system time from /proc, from each member's
 * "running" line to the last point. Runs alternate 1, 2, 1, 2 consumers and the medians are
 * compared. Private Mosquitto with the shipped queue settings, loopback only;
 * bounded: 4 runs, each stopped after 180 s, no new run after the bench budget.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { median, type Benchmark, type BenchContext } from './bench-types.js';
import { countPoints } from './influx-http.js';
import { cpuSeconds } from './proc-cpu.js';
import { DEVICES, PREFIX, runPublisher } from './mqtt-fixture.js';
import { MosquittoProcess } from '../helpers/mosquitto-process.js';
import { startNetatlas, writeApInventory, writeConfig, type ClusterFiles, type NetatlasProcess } from '../helpers/cluster-processes.js';

const MESSAGES = Number(process.env['NETATLAS_BENCH_GROUP_MESSAGES'] ?? 100_000);
/** consumers per run */
const ORDER = [1, 2, 1, 2];
const RUN_LIMIT_MS = 180_000;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface RunResult {
  consumers: number;
  messages: number;
  /** from the first point stored to the last */
  drain_s: number;
  /** 80 % of the messages over the time from 10 % to 90 % stored */
  messages_per_s: number;
  cpu_s: number;
  cpu_s_per_member: number[];
  startup_s: number;
}

async function drain(ctx: BenchContext, broker: MosquittoProcess, files: ClusterFiles, k: number, t0: number, run: number): Promise<RunResult> {
  const database = `netatlas_bench_group_${process.pid}_${run}`;
  // a group of this run's own: the previous run's stopped member still holds a session in its
  // group, and Mosquitto would queue a share for it (first try: 20 000 of 60 000 went there)
  // PREFIX is `<topicPrefix>/wifi`, the topics the publisher process uses
  const settings = { influxUrl: ctx.influxUrl, database, mqttUrl: broker.url, topicPrefix: PREFIX.replace(/\/wifi$/, ''), intervalS: 60, heartbeatS: 5, keepaliveS: 10, sharedGroup: `netatlas-run${run}` };
  const configs = Array.from({ length: k }, (_, i) => writeConfig(files, `run${run}-m${i}`, settings).file);
  const count = (): Promise<number> => countPoints(ctx.influxUrl, database, 'wifi_ap', 'clients');
  let procs: NetatlasProcess[] = [];
  try {
    // first visit: the members' sessions join the group, then the broker queues for them
    procs = await Promise.all(configs.map((c) => startNetatlas(c, 'collector')));
    await Promise.all(procs.map((p) => p.stop()));
    const publishS = await runPublisher(broker.url, MESSAGES, t0);
    if ((await count()) !== 0) throw new Error(`${k} consumer(s): points stored while the members were away`);
    ctx.log(`${k} consumer(s): ${MESSAGES} messages queued in ${publishS.toFixed(1)} s; starting the members`);

    const spawned = performance.now();
    procs = [];
    // each member's CPU counts from its "running" line (its MQTT collector is subscribed by then)
    const cpu0 = new Map<NetatlasProcess, number>();
    const starting = configs.map((c) => startNetatlas(c, 'collector').then((p) => { procs.push(p); cpu0.set(p, cpuSeconds(p.child.pid!)); return p; }));
    const deadline = Date.now() + RUN_LIMIT_MS;
    // the rate between 10 % and 90 % of the messages stored: leaves out start-up (the members
    // start draining before they print their "running" line) and the pipeline's last batches
    let stored = 0, first = 0, t10 = 0, t90 = 0;
    for (let i = 0; i < 100_000 && Date.now() < deadline; i++) {
      stored = await count();
      const now = performance.now();
      if (stored > 0 && first === 0) first = now;
      if (stored >= 0.1 * MESSAGES && t10 === 0) t10 = now;
      if (stored >= 0.9 * MESSAGES && t90 === 0) t90 = now;
      if (stored >= MESSAGES) break;
      await sleep(100);
    }
    const end = performance.now();
    await Promise.all(starting);
    const cpu1 = procs.map((p) => cpuSeconds(p.child.pid!) - cpu0.get(p)!);
    if (stored !== MESSAGES) throw new Error(`${k} consumer(s): InfluxDB holds ${stored} of ${MESSAGES} points after ${RUN_LIMIT_MS / 1000} s`);
    const drainS = (end - first) / 1000;
    const perMember = cpu1.map((c) => Math.round(c * 100) / 100);
    return {
      consumers: k, messages: MESSAGES, drain_s: Math.round(drainS * 100) / 100,
      messages_per_s: Math.round((0.8 * MESSAGES) / ((t90 - t10) / 1000)),
      cpu_s: Math.round(perMember.reduce((a, b) => a + b, 0) * 100) / 100, cpu_s_per_member: perMember,
      startup_s: Math.round((first - spawned) / 100) / 10,
    };
  } finally {
    await Promise.all(procs.map((p) => p.stop()));
    await fetch(new URL(`/query?q=${encodeURIComponent(`DROP DATABASE "${database}"`)}`, ctx.influxUrl), { method: 'POST' }).catch(() => undefined);
  }
}

const bench: Benchmark = {
  name: 'cluster-ingest',
  description: `QoS 1 telemetry drained into InfluxDB by 1 and 2 collector processes in one shared MQTT group (${MESSAGES} messages, ${DEVICES} APs, runs ${ORDER.join(', ')})`,
  async run(ctx) {
    const started = Date.now();
    const broker = await MosquittoProcess.start({ extraConfig: ['max_queued_messages 0', 'max_queued_bytes 0', 'max_inflight_messages 1000'] });
    const dir = mkdtempSync(path.join(tmpdir(), 'netatlas-bench-group-'));
    const out: Record<string, unknown> = {};
    try {
      // the publisher process's APs: ap-0 … ap-199
      const files = writeApInventory(dir, DEVICES, (i) => `ap-${i}`);
      const t0 = Date.now() - 3_600_000;
      // alternated, so that a change of the machine's load touches both
      const runs: RunResult[] = [];
      for (const [i, k] of ORDER.entries()) {
        if (i > 0 && Date.now() - started > ctx.budgetMs) { ctx.log(`budget spent: ${ORDER.length - i} run(s) not made`); break; }
        const r = await drain(ctx, broker, files, k, t0, i);
        runs.push(r);
        ctx.log(`${k} consumer(s): ${r.messages} messages in ${r.drain_s} s, ${r.messages_per_s}/s from 10 % to 90 %, for ${r.cpu_s} CPU-s (${r.cpu_s_per_member.join(' + ')})`);
      }
      out['runs'] = runs;
      for (const k of [1, 2]) out[`median_messages_per_s_${k}`] = median(runs.filter((r) => r.consumers === k).map((r) => r.messages_per_s));
      out['ratio_2_over_1'] = Math.round(((out['median_messages_per_s_2'] as number) / (out['median_messages_per_s_1'] as number)) * 100) / 100;
    } finally {
      await broker.close();
      rmSync(dir, { recursive: true, force: true });
    }
    return out;
  },
};

export default bench;
