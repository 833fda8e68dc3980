/**
 * Soak: the demo at 10 times its size (600 simulated fibre nodes polled every 15 s, 4000 simulated
 * APs sending telemetry every 10 s) run by `netatlas start` (embedded SQLite store, embedded
 * broker, collection in its worker thread) for NETATLAS_BENCH_SOAK_MIN minutes (default 10) under
 * a steady read load: NETATLAS_BENCH_SOAK_READERS clients (default 2), each loading the map, the
 * device list and the health once a second or as fast as they answer. Reports the service
 * process's CPU (all its threads) and RSS, the store's growth per hour, the reads' latencies
 * (median, p99) and collection lag: SNMP cycle durations against the 15 s interval, overruns,
 * the collection thread's event-loop delay, points queued in the pipeline, and how old each
 * device's last evidence is at the end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { cleanEnv, cliArgv, freeTcpPort, getJson, waitFor, type RunningChild } from '../integration/first-run-helpers.js';
import { percentile } from '../helpers/read-load.js';
import type { Benchmark, BenchContext } from './bench-types.js';
import { openFiles, startSimulateProcess, writeSeparateSimConfig } from './soak-sim-process.js';

const MINUTES = Number(process.env['NETATLAS_BENCH_SOAK_MIN'] ?? 10);
const READERS = Number(process.env['NETATLAS_BENCH_SOAK_READERS'] ?? 2);
/** the demo's size is 60 nodes and 400 APs (sim/demo-inventory.ts DEMO_DEFAULTS) */
const SCALE = Number(process.env['NETATLAS_BENCH_SOAK_SCALE'] ?? 10);
/**
 * NETATLAS_BENCH_SOAK_DEVICES: that many devices in the demo's proportion (60 fibre nodes to 400
 * APs) instead of a scale, e.g. 10000 = 1304 nodes + 8696 APs: the cost-per-device table's
 * "RSS at 10 000 devices with collectors and API together" (#18 item 5).
 */
const DEVICES = Number(process.env['NETATLAS_BENCH_SOAK_DEVICES'] ?? 0);
/**
 * NETATLAS_BENCH_SOAK_ONLY=snmp|mqtt keeps only that side's devices of the size (the other side 0),
 * so the service's CPU divides by one kind of work: CPU-s per 1000 device-polls, per 1000 messages.
 */
const ONLY = process.env['NETATLAS_BENCH_SOAK_ONLY'];
const FIBRE_NODES = ONLY === 'mqtt' ? 0 : DEVICES > 0 ? Math.round((DEVICES * 60) / 460) : 60 * SCALE;
const WIFI_APS = ONLY === 'snmp' ? 0 : DEVICES > 0 ? DEVICES - Math.round((DEVICES * 60) / 460) : 400 * SCALE;
/**
 * NETATLAS_BENCH_SOAK_SIM=process: the simulated network in its own process (`netatlas simulate`),
 * so the service's RSS, CPU and open files are its own; default: inside the service (the demo).
 */
const SIM_PROCESS = process.env['NETATLAS_BENCH_SOAK_SIM'] === 'process';
/** the SNMP collector's concurrency and interval with SIM_PROCESS (the demo's: 16 and 15 s) */
const SNMP_CONCURRENCY = Number(process.env['NETATLAS_BENCH_SOAK_SNMP_CONCURRENCY'] ?? 16);
const SNMP_INTERVAL_S = Number(process.env['NETATLAS_BENCH_SOAK_SNMP_INTERVAL_S'] ?? 15);
const SAMPLE_MS = 10_000;
const ENDPOINTS = ['/api/map/devices', '/api/devices', '/api/health'] as const;
// Linux reports a process's CPU time in clock ticks of 1/100 s (USER_HZ)
const TICKS_PER_S = 100;

interface Cycles { ran: number; skipped: number; timedOut: number; lastDurationMs: number | null; maxDurationMs: number | null }
/** an SNMP collector with nothing to poll (NETATLAS_BENCH_SOAK_ONLY=mqtt) may report no cycles */
const NO_CYCLES: Cycles = { ran: 0, skipped: 0, timedOut: 0, lastDurationMs: null, maxDurationMs: null };
interface Health {
  pipeline: { written: number; queuedPoints: number; dropped: number; spooled: number };
  simulator?: { agents: number; aps: number };
  collection?: { cycles: Record<string, Cycles>; eventLoopDelayMs: { p50: number; p99: number; max: number } };
}

function cpuSeconds(pid: number): number {
  // fields after the command's closing parenthesis: state is field 3, utime 14, stime 15
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / TICKS_PER_S;
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : Number.NaN;
}

function storeBytes(dataDir: string): number {
  let total = 0;
  for (const f of ['metrics.sqlite', 'metrics.sqlite-wal', 'metrics.sqlite-shm']) {
    try { total += statSync(path.join(dataDir, f)).size; } catch { /* not there (yet) */ }
  }
  return total;
}

/** netatlas_mqtt_messages_total summed over its kinds, from the service's /metrics (NaN when absent) */
async function mqttMessages(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(30_000) })).text();
  const lines = text.split('\n').filter((l) => l.startsWith('netatlas_mqtt_messages_total'));
  return lines.length > 0 ? lines.reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0) : Number.NaN;
}

/** SIGTERM, then the exit code, or 'timeout' after 20 s */
async function stopChild(c: ChildProcess, exit: Promise<number | null>): Promise<number | null | 'timeout'> {
  c.kill('SIGTERM');
  return Promise.race([exit, sleep(20_000).then(() => 'timeout' as const)]);
}

const r1 = (x: number): number => Math.round(x * 10) / 10;
const finite = (xs: readonly number[]): number[] => xs.filter((x) => Number.isFinite(x));
const maxOf = (xs: readonly number[]): number | null => (finite(xs).length > 0 ? Math.max(...finite(xs)) : null);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function run(ctx: BenchContext): Promise<Record<string, unknown>> {
  const cwd = mkdtempSync(path.join(tmpdir(), 'netatlas-soak-'));
  const dataDir = path.join(cwd, 'data');
  const port = await freeTcpPort();
  const brokerPort = await freeTcpPort();
  const configFile = SIM_PROCESS
    ? await writeSeparateSimConfig(cwd, { fibreNodes: FIBRE_NODES, wifiAps: WIFI_APS, httpPort: port, brokerPort, snmpConcurrency: SNMP_CONCURRENCY, snmpIntervalS: SNMP_INTERVAL_S })
    : undefined;
  const env = configFile ? cleanEnv({ NETATLAS_LOG_LEVEL: 'warn' }) : cleanEnv({
    NETATLAS_PORT: String(port), NETATLAS_DATA_DIR: dataDir, NETATLAS_MQTT_EMBEDDED_PORT: String(brokerPort), NETATLAS_LOG_LEVEL: 'warn',
    NETATLAS_SIMULATOR_FIBRE_NODES: String(FIBRE_NODES), NETATLAS_SIMULATOR_WIFI_APS: String(WIFI_APS),
  });
  const child = spawn(process.execPath, cliArgv(configFile ? ['start', '--config', configFile] : ['start']), { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let sim: RunningChild | undefined;
  let warnings = 0;
  let out = '';
  const count = (c: Buffer): void => { const s = c.toString(); warnings += (s.match(/"level":(40|50|60)/g) ?? []).length; out = (out + s).slice(-8000); };
  child.stdout.on('data', count);
  child.stderr.on('data', count);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  try {
    const t0 = performance.now();
    let ranBefore = 0;
    if (configFile) {
      const h = await waitFor('the soak service answering', 120_000, async () => {
        if (child.exitCode !== null) throw new Error(`the service exited: ${out}`);
        return (await getJson<Health>(`${url}/api/health`)).body;
      });
      sim = await startSimulateProcess(cwd, configFile, `mqtt://127.0.0.1:${brokerPort}`, 240_000);
      ranBefore = h.collection?.cycles['snmp']?.ran ?? 0;
      ctx.log(`simulate (pid ${sim.child.pid}) running after ${Math.round((performance.now() - t0) / 1000)} s`);
    }
    const ready = await waitFor('the soak service collecting (a finished SNMP cycle)', 300_000, async () => {
      if (child.exitCode !== null) throw new Error(`the service exited: ${out}`);
      const { body } = await getJson<Health>(`${url}/api/health`);
      // with the simulator apart, a cycle that began before its agents listened does not count
      // (with no fibre nodes there is no cycle to wait for: the simulator's APs are connected)
      return FIBRE_NODES === 0 || (body.collection?.cycles['snmp']?.ran ?? 0) >= ranBefore + (configFile ? 2 : 1) ? body : undefined;
    });
    ctx.log(`collecting after ${Math.round((performance.now() - t0) / 1000)} s: ${FIBRE_NODES} SNMP agents, ${WIFI_APS} APs (simulator ${configFile ? 'in its own process' : 'inside'}); soaking ${MINUTES} min with ${READERS} readers`);

    const startMs = performance.now();
    const endMs = startMs + MINUTES * 60_000;
    const cpu0 = cpuSeconds(child.pid!);
    const simCpu0 = sim ? cpuSeconds(sim.child.pid!) : 0;
    const messages0 = await mqttMessages(url);
    const bytes0 = storeBytes(dataDir);
    const written0 = ready.pipeline.written;
    const cycles0 = ready.collection?.cycles['snmp'] ?? NO_CYCLES;
    const latencies: Record<string, number[]> = Object.fromEntries(ENDPOINTS.map((e) => [e, []]));
    let readFailures = 0;
    const reader = async (): Promise<void> => {
      for (let i = 0; performance.now() < endMs && i < 100_000; i++) {
        const e = ENDPOINTS[i % ENDPOINTS.length]!;
        const s = performance.now();
        try {
          const res = await fetch(`${url}${e}`, { signal: AbortSignal.timeout(60_000) });
          await res.arrayBuffer();
          if (res.ok || e === '/api/health') latencies[e]!.push(performance.now() - s);
          else readFailures += 1;
        } catch {
          readFailures += 1;
        }
        const wait = 1000 - (performance.now() - s);
        if (wait > 0) await sleep(Math.min(wait, Math.max(0, endMs - performance.now())));
      }
    };
    const samples: { rssMb: number; durationMs: number | null; queued: number; loopP99: number; load1: number; fds: number; simRssMb: number }[] = [];
    let mostFiles = openFiles(child.pid!);
    const sampler = async (): Promise<void> => {
      for (let i = 0; performance.now() < endMs && i < 10_000; i++) {
        await sleep(Math.min(SAMPLE_MS, Math.max(0, endMs - performance.now())));
        const h = (await getJson<Health>(`${url}/api/health`).catch(() => undefined))?.body;
        const snmp = h?.collection?.cycles['snmp'];
        const files = openFiles(child.pid!);
        if (files.total > mostFiles.total) mostFiles = files;
        samples.push({ rssMb: rssMb(child.pid!), durationMs: snmp?.lastDurationMs ?? null, queued: h?.pipeline.queuedPoints ?? Number.NaN, loopP99: h?.collection?.eventLoopDelayMs.p99 ?? Number.NaN, load1: loadavg()[0]!, fds: files.total, simRssMb: sim ? rssMb(sim.child.pid!) : Number.NaN });
        if (i % 6 === 5) ctx.log(`${Math.round((performance.now() - startMs) / 60_000)} min: RSS ${samples.at(-1)!.rssMb} MB, store ${Math.round(storeBytes(dataDir) / 1e6)} MB, ${snmp?.ran ?? '?'} SNMP cycles`);
      }
    };
    await Promise.all([sampler(), ...Array.from({ length: READERS }, reader)]);
    const wallS = (performance.now() - startMs) / 1000;
    const cpuS = cpuSeconds(child.pid!) - cpu0;
    const simCpuS = sim ? cpuSeconds(sim.child.pid!) - simCpu0 : Number.NaN;
    const messages = (await mqttMessages(url)) - messages0;
    const bytes1 = storeBytes(dataDir);
    const end = (await getJson<Health>(`${url}/api/health`)).body;
    const cycles1 = end.collection?.cycles['snmp'] ?? NO_CYCLES;
    const map = (await getJson<{ features: { properties: { lastSeen: string | null } }[] }>(`${url}/api/map/devices`)).body;
    const nowMs = Date.now();
    const ages = map.features.map((f) => (f.properties.lastSeen ? (nowMs - Date.parse(f.properties.lastSeen)) / 1000 : Number.POSITIVE_INFINITY));
    const hours = wallS / 3600;
    const durations = samples.map((s) => s.durationMs).filter((d): d is number => d !== null);
    const readStats = Object.fromEntries(ENDPOINTS.map((e) => [e, { requests: latencies[e]!.length, medianMs: r1(percentile(latencies[e]!, 50)), p99Ms: r1(percentile(latencies[e]!, 99)) }]));
    const all = ENDPOINTS.flatMap((e) => latencies[e]!);

    const polls = (cycles1.ran - cycles0.ran) * FIBRE_NODES;
    const simStop = sim ? await stopChild(sim.child, sim.exit) : undefined;
    const stopAt = performance.now();
    child.kill('SIGTERM');
    const code = await Promise.race([exited, sleep(20_000).then(() => 'timeout' as const)]);
    const shutdownMs = Math.round(performance.now() - stopAt);
    return {
      size: { fibreNodes: FIBRE_NODES, wifiAps: WIFI_APS, devices: map.features.length },
      minutes: r1(wallS / 60),
      readers: READERS,
      cpu: { seconds: r1(cpuS), percentOfOneCore: r1((cpuS / wallS) * 100) },
      simulator: sim ? { process: 'own', cpuSeconds: r1(simCpuS), rssMbMedian: percentile(finite(samples.map((s) => s.simRssMb)), 50), exit: simStop } : { process: 'inside the service' },
      // the service's whole CPU (collection, broker, store, API, readers) over the work it did:
      // meaningful per kind when the run has only fibre nodes or only APs
      cost: {
        devicePolls: polls, mqttMessages: messages,
        cpuSPer1000DevicePolls: polls > 0 ? Math.round((cpuS / polls) * 1000 * 1000) / 1000 : null,
        cpuSPer1000Messages: messages > 0 ? Math.round((cpuS / messages) * 1000 * 1000) / 1000 : null,
      },
      openFiles: { median: percentile(samples.map((s) => s.fds), 50), max: mostFiles.total, byKindAtMax: mostFiles.byKind },
      rssMb: { median: percentile(finite(samples.map((s) => s.rssMb)), 50), max: maxOf(samples.map((s) => s.rssMb)), end: samples.at(-1)?.rssMb ?? null },
      // the machine's 1-min load average while soaking: other work on a shared machine shows here
      hostLoad1: { median: r1(percentile(samples.map((s) => s.load1), 50)), max: r1(maxOf(samples.map((s) => s.load1)) ?? Number.NaN) },
      store: {
        bytesAtStart: bytes0, bytesAtEnd: bytes1,
        growthMbPerHour: r1((bytes1 - bytes0) / 1e6 / hours),
        pointsPerHour: Math.round((end.pipeline.written - written0) / hours),
        bytesPerPoint: r1((bytes1 - bytes0) / Math.max(1, end.pipeline.written - written0)),
      },
      reads: { failures: readFailures, all: { requests: all.length, medianMs: r1(percentile(all, 50)), p99Ms: r1(percentile(all, 99)) }, ...readStats },
      collectionLag: {
        snmpIntervalS: configFile ? SNMP_INTERVAL_S : 15,
        snmpConcurrency: configFile ? SNMP_CONCURRENCY : 16,
        snmpCycles: cycles1.ran - cycles0.ran,
        snmpOverruns: (cycles1.skipped - cycles0.skipped) + (cycles1.timedOut - cycles0.timedOut),
        snmpCycleMs: { median: r1(percentile(durations, 50)), max: r1(Math.max(0, ...durations)) },
        // the collection thread's event-loop delay since it started (p99), as sampled
        collectionEventLoopDelayP99Ms: { median: r1(percentile(finite(samples.map((s) => s.loopP99)), 50)), max: maxOf(samples.map((s) => s.loopP99)) },
        pipelineQueuedPoints: { median: percentile(finite(samples.map((s) => s.queued)), 50), max: maxOf(samples.map((s) => s.queued)) },
        // how old each device's last evidence is at the end (devices with none yet counted apart)
        lastEvidenceAgeS: { median: r1(percentile(finite(ages), 50)), p99: r1(percentile(finite(ages), 99)), none: ages.length - finite(ages).length },
        pointsSpooled: end.pipeline.spooled, pointsDropped: end.pipeline.dropped,
      },
      warningsLogged: warnings,
      exit: code,
      shutdownMs,
      ...(code !== 0 ? { outputTail: out.slice(-1500) } : {}),
    };
  } finally {
    if (sim && sim.child.exitCode === null && sim.child.signalCode === null) sim.child.kill('SIGKILL');
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await Promise.race([exited, sleep(5000)]);
    rmSync(cwd, { recursive: true, force: true });
  }
}

const bench: Benchmark = {
  name: 'soak',
  description: `netatlas start with the demo ${DEVICES > 0 ? `at ${DEVICES} devices` : `at ${SCALE}x`} (${FIBRE_NODES} fibre nodes, ${WIFI_APS} APs; simulator ${SIM_PROCESS ? 'in its own process' : 'inside'}) for ${MINUTES} min under ${READERS} steady readers: CPU, RSS, store growth, read latencies, collection lag (NETATLAS_BENCH_SOAK_MIN shortens it)`,
  run,
};
export default bench;
