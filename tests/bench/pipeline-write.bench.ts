/**
 * Throughput of the write pipeline into InfluxDB against the floor it cannot beat: the same
 * points POSTed as raw line protocol in batches of 5000, one request at a time. Each run writes
 * into its own fresh database (so neither side profits from series the other created), the two
 * sides alternate which goes first, and every database is counted, then dropped.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Point } from '../../core/point.js';
import { InfluxStore } from '../../server/store/influx-store.js';
import { encodePoints } from '../../server/store/line-protocol.js';
import { BatchingWriter } from '../../collectors/pipeline/index.js';
import { median, type Benchmark, type BenchContext } from './bench-types.js';
import { countPoints, influxQuery } from './influx-http.js';

const POINTS = Number(process.env['NETATLAS_BENCH_PIPELINE_POINTS'] ?? 200_000);
const RUNS = Number(process.env['NETATLAS_BENCH_PIPELINE_RUNS'] ?? 5);
const BATCH = 5000;
/** a collector-sized write: one device's interfaces of one poll, a few at a time */
const WRITE_CHUNK = 500;
const DEVICES = 500;
const IFACES = 16;

function interfacePoints(n: number, t0: number): Point[] {
  const series = DEVICES * IFACES;
  return Array.from({ length: n }, (_, i) => {
    const s = i % series;
    const dev = Math.floor(s / IFACES);
    const ifIndex = s % IFACES;
    return {
      measurement: 'interface',
      tags: {
        agent_host: `10.${Math.floor(dev / 250)}.${dev % 250}.1`, hostname: `olt-${dev}`, device: `olt-${dev}`,
        ifName: `gpon-0/1/${ifIndex}`, ifIndex: String(ifIndex + 1), site: `site-${dev % 120}`,
        area: `area-${dev % 19}`, tech: 'fibre',
      },
      fields: {
        ifOperStatus: 1, ifAdminStatus: 1, ifHCInOctets: 1_000_000 + i * 1500, ifHCOutOctets: 2_000_000 + i * 900,
        ifInErrors: i % 3, ifOutErrors: 0, ifHighSpeed: 10_000, in_bps: 123_456.7 + i, out_bps: 65_432.1 + i,
      },
      time: t0 + Math.floor(i / series) * 10_000, // a poll every 10 s
    };
  });
}

const count = (url: string, db: string): Promise<number> => countPoints(url, db, 'interface', 'ifHCInOctets');

async function viaPipeline(url: string, db: string, points: readonly Point[]): Promise<number> {
  const store = new InfluxStore({ url, database: db, timeoutMs: 30_000 });
  await store.init();
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'netatlas-bench-'));
  const writer = await BatchingWriter.open({ store, dataDir, batchSize: BATCH });
  try {
    const started = performance.now();
    const writes: Promise<void>[] = [];
    for (let i = 0; i < points.length; i += WRITE_CHUNK) writes.push(writer.write(points.slice(i, i + WRITE_CHUNK)));
    await Promise.all(writes);
    const seconds = (performance.now() - started) / 1000;
    const stats = writer.stats();
    if (stats.written !== points.length) throw new Error(`pipeline wrote ${stats.written} of ${points.length} directly (stats ${JSON.stringify(stats)})`);
    return seconds;
  } finally {
    await writer.close();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

async function viaRawHttp(url: string, db: string, points: readonly Point[]): Promise<number> {
  await new InfluxStore({ url, database: db }).init(); // same database and retention policies as the pipeline's
  const started = performance.now();
  for (let i = 0; i < points.length; i += BATCH) {
    const body = encodePoints(points.slice(i, i + BATCH));
    const res = await fetch(`${url}/write?db=${encodeURIComponent(db)}&rp=raw&precision=ms`, {
      method: 'POST', body, headers: { 'content-type': 'text/plain; charset=utf-8' }, signal: AbortSignal.timeout(30_000),
    });
    if (res.status !== 204) throw new Error(`raw write: HTTP ${res.status} ${await res.text()}`);
  }
  return (performance.now() - started) / 1000;
}

const bench: Benchmark = {
  name: 'pipeline-write',
  description: `${POINTS} interface points through BatchingWriter+InfluxStore vs raw line-protocol POSTs of ${BATCH}, ${RUNS} alternating runs`,
  async run(ctx: BenchContext) {
    const points = interfacePoints(POINTS, Date.now() - 3_600_000);
    const runs: Array<{ run: number; mode: 'pipeline' | 'raw'; seconds: number; pointsPerSecond: number }> = [];
    const started = Date.now();
    for (let run = 0; run < RUNS; run++) {
      if (run > 0 && Date.now() - started > ctx.budgetMs) {
        ctx.log(`time budget of ${ctx.budgetMs} ms spent; stopping after ${run} runs`);
        break;
      }
      const order: Array<'pipeline' | 'raw'> = run % 2 === 0 ? ['pipeline', 'raw'] : ['raw', 'pipeline'];
      for (const mode of order) {
        const db = `netatlas_bench_${mode}_${process.pid}_${run}`;
        try {
          const seconds = mode === 'pipeline' ? await viaPipeline(ctx.influxUrl, db, points) : await viaRawHttp(ctx.influxUrl, db, points);
          const stored = await count(ctx.influxUrl, db);
          if (stored !== POINTS) throw new Error(`${mode} run ${run}: InfluxDB holds ${stored} of ${POINTS} points`);
          const pointsPerSecond = Math.round(POINTS / seconds);
          runs.push({ run, mode, seconds: Number(seconds.toFixed(3)), pointsPerSecond });
          ctx.log(`run ${run} ${mode}: ${pointsPerSecond} points/s`);
        } finally {
          await influxQuery(ctx.influxUrl, `DROP DATABASE "${db}"`);
        }
      }
    }
    const pipeline = median(runs.filter((r) => r.mode === 'pipeline').map((r) => r.pointsPerSecond));
    const raw = median(runs.filter((r) => r.mode === 'raw').map((r) => r.pointsPerSecond));
    return {
      points: POINTS, batchSize: BATCH, writeChunk: WRITE_CHUNK, series: DEVICES * IFACES,
      medianPointsPerSecond: { pipeline, raw },
      ratioPipelineToRaw: Number((pipeline / raw).toFixed(3)),
      runs,
    };
  },
};

export default bench;
