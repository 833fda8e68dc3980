/**
 * SNMP poll cycle at scale: 2000 simulated devices x 8 interfaces (simulator in its own process),
 * polled by the collector (in its own process, for a clean peak-memory figure) against the same
 * tables walked by Net-SNMP's `snmpbulkwalk` (ifTable and ifXTable per device) with the same
 * concurrency through `xargs -P`, against the same agents in the same run.
 */
import { execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startSimProcess } from '../helpers/snmp-sim-process.js';
import type { Benchmark, BenchContext } from './bench-types.js';
import { median } from './bench-types.js';

const DEVICES = Number(process.env['NETATLAS_BENCH_SNMP_DEVICES'] ?? 2000);
const INTERFACES = 8;
const CONCURRENCY = Number(process.env['NETATLAS_BENCH_SNMP_CONCURRENCY'] ?? 64);
const MAX_REPETITIONS = 10;
const CYCLES = 3;
const TSX = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));
const WORKER = fileURLToPath(new URL('../helpers/snmp-poll-worker.ts', import.meta.url));
const run$ = promisify(execFile);

export interface WorkerResult {
  cycles: Array<{ ms: number; up: number; down: number; notRun: number; points: number; interfaces: number }>;
  baselineRssBytes: number;
  peakRssBytes: number;
  peakHeapUsedBytes: number;
}

export async function collectorCycles(basePort: number): Promise<WorkerResult> {
  const { stdout } = await run$(TSX, [WORKER, '--base-port', String(basePort), '--count', String(DEVICES), '--cycles', String(CYCLES),
    '--concurrency', String(CONCURRENCY), '--max-repetitions', String(MAX_REPETITIONS)], { timeout: 600_000, maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').pop() as string) as WorkerResult;
}

/** snmpbulkwalk of ifTable and ifXTable for every device, CONCURRENCY devices at a time. */
async function bulkwalkAll(basePort: number): Promise<{ ms: number; lines: number }> {
  const walk = `snmpbulkwalk -v2c -c public -Cr${MAX_REPETITIONS} -t 5 -r 1 -On -Oq 127.0.0.1:$0`;
  const script = `seq ${basePort} ${basePort + DEVICES - 1} | xargs -P ${CONCURRENCY} -n 1 sh -c '${walk} 1.3.6.1.2.1.2.2; ${walk} 1.3.6.1.2.1.31.1.1' | wc -l`;
  const t0 = performance.now();
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn('bash', ['-c', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let buf = '';
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error('snmpbulkwalk run over 600 s')); }, 600_000);
    child.stdout.on('data', (d: Buffer) => { buf += d.toString(); });
    child.on('exit', (code) => { clearTimeout(timer); if (code === 0) resolve(buf); else reject(new Error(`snmpbulkwalk run exited ${code}`)); });
  });
  return { ms: Math.round(performance.now() - t0), lines: Number(out.trim()) };
}

export async function run(ctx?: Partial<BenchContext>): Promise<Record<string, unknown>> {
  const log = ctx?.log ?? ((m: string) => process.stderr.write(`snmp-poll: ${m}\n`));
  const sim = await startSimProcess({ count: DEVICES, interfaces: INTERFACES });
  try {
    log(`${DEVICES} simulated agents x ${INTERFACES} interfaces on 127.0.0.1:${sim.basePort}+`);
    const collector = await collectorCycles(sim.basePort);
    log(`collector cycles (ms): ${collector.cycles.map((c) => c.ms).join(', ')}`);
    const walks = await bulkwalkAll(sim.basePort);
    log(`snmpbulkwalk of ifTable+ifXTable: ${walks.ms} ms, ${walks.lines} varbinds`);
    // the first cycle also opens 2000 sockets; the steady state is what repeats every interval
    const steady = collector.cycles.slice(1).map((c) => c.ms);
    const steadyMs = median(steady.length ? steady : collector.cycles.map((c) => c.ms));
    return {
      devices: DEVICES,
      interfacesPerDevice: INTERFACES,
      concurrency: CONCURRENCY,
      maxRepetitions: MAX_REPETITIONS,
      collector_first_cycle_ms: collector.cycles[0]?.ms,
      collector_cycle_ms: steadyMs,
      collector_cycles: collector.cycles,
      snmpbulkwalk_ms: walks.ms,
      snmpbulkwalk_varbinds: walks.lines,
      ratio_collector_to_snmpbulkwalk: Math.round((steadyMs / walks.ms) * 1000) / 1000,
      collector_peak_rss_mb: Math.round(collector.peakRssBytes / 1e6),
      collector_baseline_rss_mb: Math.round(collector.baselineRssBytes / 1e6),
      collector_peak_heap_used_mb: Math.round(collector.peakHeapUsedBytes / 1e6),
    };
  } finally {
    await sim.stop();
  }
}

const bench: Benchmark = {
  name: 'snmp-poll',
  description: `collector poll cycle of ${DEVICES} simulated devices x ${INTERFACES} interfaces vs snmpbulkwalk of ifTable+ifXTable with xargs -P ${CONCURRENCY}`,
  run: (ctx) => run(ctx),
};
export default bench;
