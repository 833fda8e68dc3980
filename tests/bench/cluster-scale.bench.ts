/**
 * SNMP devices polled per CPU-second with 1, 2 and 3 collector processes (#19): real
 * `netatlas start --role collector` processes sharing 600 simulated agents through the broker
 * (sharding on), the real InfluxDB and Mosquitto. CPU is the processes' user + system time from
 * /proc/<pid>/stat over a window of whole intervals, once every member polls; devices polled are
 * the device_status samples the store holds for that window. Loopback only, bounded: 3 runs of
 * one 30 s window each, stopped early when the budget runs out.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createStore } from '../../server/store/create-store.js';
import { services } from '../helpers/services.js';
import { startSimProcess } from '../helpers/snmp-sim-process.js';
import { startNetatlas, writeConfig, writeInventory, type NetatlasProcess } from '../helpers/cluster-processes.js';
import type { Benchmark } from './bench-types.js';
import { cpuSeconds } from './proc-cpu.js';

const DEVICES = 600;
const INTERVAL_S = 10;
const WINDOW_INTERVALS = 3;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const bench: Benchmark = {
  name: 'cluster-scale',
  description: `SNMP devices polled per CPU-second by 1, 2 and 3 sharded collector processes (${DEVICES} simulated agents, ${INTERVAL_S} s interval)`,
  async run(ctx) {
    const started = Date.now();
    const sim = await startSimProcess({ count: DEVICES, interfaces: 2 });
    const dir = mkdtempSync(path.join(tmpdir(), 'netatlas-bench-cluster-'));
    const out: Record<string, unknown> = {};
    try {
      const files = writeInventory(dir, DEVICES, sim.basePort);
      for (const k of [1, 2, 3]) {
        if (Date.now() - started > ctx.budgetMs) { ctx.log(`budget spent: ${k} processes not run`); break; }
        const database = `netatlas_bench_cluster_${process.pid}_${k}`;
        const settings = { influxUrl: ctx.influxUrl, database, mqttUrl: services.mqttUrl, topicPrefix: `netatlas-bench-${process.pid}-${k}`, intervalS: INTERVAL_S, heartbeatS: 5, keepaliveS: 2 };
        const procs: NetatlasProcess[] = [];
        const store = createStore({ influx: { url: ctx.influxUrl, database } });
        try {
          const configs = Array.from({ length: k }, (_, i) => writeConfig(files, `k${k}-c${i}`, settings));
          for (const c of configs) procs.push(await startNetatlas(c.file, 'collector'));
          // every member polls from the tick a full interval after it joined: skip two more
          const I = INTERVAL_S * 1000;
          const from = (Math.floor(Date.now() / I) + 3) * I;
          await sleep(from - Date.now());
          const cpu0 = procs.map((p) => cpuSeconds(p.child.pid!));
          await sleep(WINDOW_INTERVALS * I);
          const cpu1 = procs.map((p) => cpuSeconds(p.child.pid!));
          await sleep(3000);
          const rows = await store.querySeries({ measurement: 'device_status', from, to: from + WINDOW_INTERVALS * I, fields: ['up'] });
          const cpu = cpu1.reduce((n, c, i) => n + c - cpu0[i]!, 0);
          const polled = rows.length;
          out[`processes_${k}`] = {
            devices_polled: polled,
            expected: DEVICES * WINDOW_INTERVALS,
            cpu_s: Math.round(cpu * 100) / 100,
            devices_per_cpu_s: Math.round(polled / cpu),
            cpu_s_per_process: cpu1.map((c, i) => Math.round((c - cpu0[i]!) * 100) / 100),
          };
          ctx.log(`${k} process(es): ${polled} polls in ${WINDOW_INTERVALS} intervals for ${cpu.toFixed(2)} CPU-s = ${Math.round(polled / cpu)} devices/CPU-s`);
        } finally {
          await Promise.all(procs.map((p) => p.stop()));
          await store.close();
          await fetch(new URL(`/query?q=${encodeURIComponent(`DROP DATABASE "${database}"`)}`, ctx.influxUrl), { method: 'POST' }).catch(() => undefined);
        }
      }
    } finally {
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    }
    return out;
  },
};

export default bench;
