/**
 * Runs the SNMP collector alone in a process against `count` simulated agents on consecutive
 * ports, so its memory can be measured without the test or bench runner around it:
 *   tsx tests/helpers/snmp-poll-worker.ts --base-port P --count N --cycles 3 --concurrency 64
 * Prints one JSON line: cycle times, devices up/down, points written, peak RSS and heap.
 */
import { SnmpCollector } from '../../collectors/snmp/collector.js';
import type { Sink } from '../../collectors/types.js';
import { createMetricsRegistry } from '../../core/self-metrics.js';
import type { Point } from '../../core/point.js';
import { snmpConfig, snmpDevice, staticInventory, v2 } from './snmp-fixtures.js';
import { intervalSOf } from '../../server/status/intervals.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const basePort = arg('base-port', 30000);
const count = arg('count', 2000);
const cycles = arg('cycles', 3);
const concurrency = arg('concurrency', 64);
const maxRepetitions = arg('max-repetitions', 10);

/** counts points and lets them go: the sink's own memory is not the collector's */
class CountingSink implements Sink {
  points = 0;
  interfaces = 0;
  async write(points: readonly Point[]): Promise<void> {
    this.points += points.length;
    for (const p of points) if (p.measurement === 'interface') this.interfaces++;
  }
}

const baseline = process.memoryUsage();
let peakHeap = baseline.heapUsed;
// The peak RSS is the kernel's (getrusage maxrss), exact and free; only the heap is sampled, every
// 100 ms: process.memoryUsage() every 20 ms was about 3 % of this process's CPU, charged to the collector.
const sampler = setInterval(() => { peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed); }, 100);

const devices = Array.from({ length: count }, (_, i) => snmpDevice(`sim-${i}`, v2(basePort + i)));
const collector = new SnmpCollector(
  snmpConfig({ timeoutMs: 5000, retries: 1, concurrency, maxRepetitions, optical: false, interfaces: { skipAdminDown: false } }),
  { intervalSOf, inventory: staticInventory(devices), metrics: createMetricsRegistry({ defaultMetrics: false }) },
);
const results: Array<{ ms: number; up: number; down: number; notRun: number; points: number; interfaces: number }> = [];
for (let i = 0; i < cycles; i++) {
  const sink = new CountingSink();
  const ac = new AbortController();
  const guard = setTimeout(() => ac.abort(new Error('cycle over 180 s')), 180_000);
  await collector.poll(sink, ac.signal);
  clearTimeout(guard);
  const s = collector.lastCycle;
  results.push({ ms: s?.durationMs ?? -1, up: s?.up ?? 0, down: s?.down ?? 0, notRun: s?.notRun ?? 0, points: sink.points, interfaces: sink.interfaces });
}
await collector.close();
clearInterval(sampler);
const peakRss = process.resourceUsage().maxRSS * 1024;
process.stdout.write(`${JSON.stringify({ cycles: results, baselineRssBytes: baseline.rss, peakRssBytes: peakRss, peakHeapUsedBytes: peakHeap })}\n`);
process.exit(0);
