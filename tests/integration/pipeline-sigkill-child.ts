/**
 * Child process for pipeline-sigkill.test.ts (not a test itself): a pipeline whose store is a dead
 * port, so every batch goes to the spool. Writes `total` points, `perWrite` at a time, and prints
 * "ACK <n>" (points acknowledged so far) after each write() resolves, until the test kills it.
 *
 * usage: tsx pipeline-sigkill-child.ts <dataDir> <deadPort> <t0_ms> <total> <perWrite>
 */
import { InfluxStore } from '../../server/store/influx-store.js';
import { BatchingWriter } from '../../collectors/pipeline/index.js';
import type { Point } from '../../core/point.js';

const [dataDir, deadPort, t0Arg, totalArg, perWriteArg] = process.argv.slice(2);
if (!dataDir || !deadPort || !t0Arg || !totalArg || !perWriteArg) {
  throw new Error('usage: pipeline-sigkill-child.ts <dataDir> <deadPort> <t0_ms> <total> <perWrite>');
}
const t0 = Number(t0Arg);
const total = Number(totalArg);
const perWrite = Number(perWriteArg);

const store = new InfluxStore({ url: `http://127.0.0.1:${deadPort}`, database: 'unreachable', timeoutMs: 500 });
const writer = await BatchingWriter.open({ store, dataDir, batchSize: perWrite, flushIntervalMs: 5, retryMinMs: 60_000, retryMaxMs: 60_000 });
for (let start = 0; start < total; start += perWrite) {
  const points: Point[] = [];
  for (let i = start; i < Math.min(start + perWrite, total); i++) {
    points.push({
      measurement: 'interface',
      tags: { device: `olt-${i % 20}`, ifName: `gpon-0/1/${i % 16}`, tech: 'fibre' },
      fields: { ifHCInOctets: i, in_bps: i * 2.5 },
      time: t0 + i,
    });
  }
  await writer.write(points);
  process.stdout.write(`ACK ${start + points.length}\n`);
}
process.stdout.write('DONE\n');
await writer.close();
