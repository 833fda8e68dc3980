/**
 * A real SNMP peer: Debian's `prometheus-snmp-exporter` (Go, gosnmp), as many operators run it,
 * scraping the same simulated agents as the collector (2000 devices x 8 interfaces by default) with
 * the same concurrency, each target through the exporter's `if_mib` module, against the collector's
 * poll cycle (tests/helpers/snmp-poll-worker.ts, the snmp-poll bench's worker) in the same run.
 *
 * Install: `apt-get install -y prometheus-snmp-exporter` (Debian). The package ships no snmp.yml
 * (MIB licensing), but it ships the generator and its example generator.yml: the bench generates
 * the `if_mib` module from that example with the generator, reading IF-MIB and its imports from the
 * net-snmp npm package (a dependency of this project). Without the package the bench fails with
 * that command; CI does not run benches.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parse, stringify } from 'yaml';
import { startSimProcess } from '../helpers/snmp-sim-process.js';
import { freePort } from '../helpers/mosquitto-process.js';
import type { Benchmark, BenchContext } from './bench-types.js';
import { median } from './bench-types.js';
import { collectorCycles } from './snmp-poll.bench.js';

const DEVICES = Number(process.env['NETATLAS_BENCH_SNMP_DEVICES'] ?? 2000);
const INTERFACES = 8;
const CONCURRENCY = Number(process.env['NETATLAS_BENCH_SNMP_CONCURRENCY'] ?? 64);
const CYCLES = 3;
const EXPORTER = '/usr/bin/prometheus-snmp-exporter';
const GENERATOR = '/usr/bin/prometheus-snmp-generator';
const EXAMPLE = '/usr/share/doc/prometheus-snmp-exporter/examples/generator.yml';
const MIBS = fileURLToPath(new URL('../../node_modules/net-snmp/lib/mibs', import.meta.url));
const INSTALL = 'apt-get install -y prometheus-snmp-exporter';
const run$ = promisify(execFile);

function requireExporter(): void {
  for (const f of [EXPORTER, GENERATOR, EXAMPLE]) {
    if (!existsSync(f)) throw new Error(`snmp-exporter bench: ${f} not found; install Debian's exporter with: ${INSTALL}`);
  }
}

/** snmp.yml with the if_mib module generated from the package's own example generator.yml */
async function generateConfig(dir: string): Promise<string> {
  const example = parse(await fs.readFile(EXAMPLE, 'utf8')) as { modules: Record<string, unknown> };
  if (!example.modules['if_mib']) throw new Error(`${EXAMPLE} has no if_mib module`);
  await fs.writeFile(path.join(dir, 'generator.yml'), stringify({ modules: { if_mib: example.modules['if_mib'] } }));
  await run$(GENERATOR, ['generate'], { cwd: dir, env: { ...process.env, MIBDIRS: MIBS }, timeout: 60_000 });
  return path.join(dir, 'snmp.yml');
}

async function startExporter(config: string, port: number): Promise<ChildProcess> {
  const child = spawn(EXPORTER, [`--config.file=${config}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-2000); });
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`prometheus-snmp-exporter exited ${child.exitCode}: ${stderr}`);
    const ok = await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(1000) }).then((r) => r.ok, () => false);
    if (ok) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`prometheus-snmp-exporter did not answer on 127.0.0.1:${port} within 10 s: ${stderr}`);
}

/** One cycle: every agent scraped once through the exporter, CONCURRENCY at a time. */
async function scrapeCycle(port: number, basePort: number): Promise<{ ms: number; ok: number; failed: number; ifSeries: number }> {
  let next = 0;
  let ok = 0;
  let failed = 0;
  let ifSeries = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < DEVICES) {
      const target = `127.0.0.1:${basePort + next++}`;
      const res = await fetch(`http://127.0.0.1:${port}/snmp?module=if_mib&target=${encodeURIComponent(target)}`, { signal: AbortSignal.timeout(60_000) });
      const body = await res.text();
      // a target the exporter could not read answers 500, or 200 without interface series
      const series = body.split('\nifHCInOctets{').length - 1;
      if (res.ok && series > 0) { ok++; ifSeries += series; } else failed++;
    }
  }));
  return { ms: Math.round(performance.now() - t0), ok, failed, ifSeries };
}

/** CPU seconds (user + system) from /proc/<pid>/stat: the process's own, and its waited-for children's */
async function cpuOf(pid: number | 'self'): Promise<{ own: number; children: number }> {
  const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8');
  // fields after the parenthesised command name; utime stime cutime cstime are fields 14-17 (clock ticks of 1/100 s on Linux)
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
  return { own: (f[11]! + f[12]!) / 100, children: (f[13]! + f[14]!) / 100 };
}

/** peak and current resident set of a process, from /proc (bytes) */
async function rssOf(pid: number): Promise<{ peak: number; now: number }> {
  const status = await fs.readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { peak: kb('VmHWM'), now: kb('VmRSS') };
}

const bench: Benchmark = {
  name: 'snmp-exporter',
  description: `collector poll cycle of ${DEVICES} simulated devices x ${INTERFACES} interfaces vs Debian's prometheus-snmp-exporter (if_mib module) scraping them, both at concurrency ${CONCURRENCY}`,
  async run(ctx: BenchContext) {
    requireExporter();
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'netatlas-bench-snmp-exporter-'));
    const sim = await startSimProcess({ count: DEVICES, interfaces: INTERFACES });
    let exporter: ChildProcess | undefined;
    try {
      const version = (await run$(EXPORTER, ['--version']).then((r) => r.stdout + r.stderr, () => '')).split('\n')[0] ?? '';
      const config = await generateConfig(dir);
      const port = await freePort();
      exporter = await startExporter(config, port);
      const cycles: Awaited<ReturnType<typeof scrapeCycle>>[] = [];
      const exporterCycles = async (n: number): Promise<void> => {
        for (let k = 0; k < n; k++) {
          const i = cycles.length;
          const c = await scrapeCycle(port, sim.basePort);
          if (c.ok !== DEVICES) throw new Error(`exporter cycle ${i}: ${c.failed} of ${DEVICES} targets not read`);
          cycles.push(c);
          ctx.log(`exporter cycle ${i}: ${c.ms} ms, ${c.ok} targets, ${c.ifSeries} ifHCInOctets series, load ${os.loadavg()[0]!.toFixed(1)}`);
        }
      };
      // The exporter's cycles go before and after the collector's: on a shared machine whose load
      // drifts, whichever ran first would otherwise be favoured (load 8.8 for the exporter's, 14.9
      // for the collector's, in one run that measured them one after the other).
      await exporterCycles(CYCLES - 1);
      const exporterCpu0 = (await cpuOf(exporter.pid!)).own;
      // the worker is a waited-for child of this process: its CPU is the growth of our children's
      const before = (await cpuOf('self')).children;
      const collector = await collectorCycles(sim.basePort);
      const collectorCpu = (await cpuOf('self')).children - before;
      ctx.log(`collector cycles (ms): ${collector.cycles.map((c) => c.ms).join(', ')}, load ${os.loadavg()[0]!.toFixed(1)}`);
      const exporterCpu1 = (await cpuOf(exporter.pid!)).own;
      await exporterCycles(2);
      const rss = await rssOf(exporter.pid!);
      // the exporter's CPU over its own cycles, not over its idle wait while the collector polled
      const exporterCpu = (await cpuOf(exporter.pid!)).own - (exporterCpu1 - exporterCpu0);
      // the first cycle of each opens its sockets; the steady state is what repeats every interval
      const exporterMs = median(cycles.slice(1).map((c) => c.ms));
      const collectorMs = median(collector.cycles.slice(1).map((c) => c.ms));
      return {
        devices: DEVICES, interfacesPerDevice: INTERFACES, concurrency: CONCURRENCY, exporterVersion: version.trim(),
        exporter_cycles_ms: cycles.map((c) => c.ms),
        exporter_cycle_ms: exporterMs,
        exporter_if_series: cycles[0]?.ifSeries,
        exporter_peak_rss_mb: Math.round(rss.peak / 1e6),
        collector_cycles_ms: collector.cycles.map((c) => c.ms),
        collector_cycle_ms: collectorMs,
        collector_peak_rss_mb: Math.round(collector.peakRssBytes / 1e6),
        // CPU per 1000 device-polls over all cycles; the collector's includes its process start (tsx)
        exporter_cpu_s_per_1000_polls: Number((1000 * exporterCpu / (cycles.length * DEVICES)).toFixed(3)),
        collector_cpu_s_per_1000_polls: Number((1000 * collectorCpu / (collector.cycles.length * DEVICES)).toFixed(3)),
        ratio_collector_to_exporter: Number((collectorMs / exporterMs).toFixed(3)),
        goal: '<= 1.0',
        loadAverage1m: Number(os.loadavg()[0]!.toFixed(2)),
      };
    } finally {
      exporter?.kill('SIGTERM');
      await sim.stop();
      await fs.rm(dir, { recursive: true, force: true });
    }
  },
};

export default bench;
