/**
 * The embedded store's size and speed, old layout against new, on the same points: the demo's mix
 * (demo-mix.ts: wifi_ap + device_status of 400 APs every 10 s, 60 fibre nodes with 8 interfaces
 * polled every 60 s, heartbeats). Each run writes the points in pipeline-sized batches (5000) into
 * a fresh file per layout (the two alternate which goes first), closes it (SQLite checkpoints and
 * removes the WAL on the last close; any WAL left is counted), then reopens it and times the
 * reads the API makes. Bytes per point = file bytes (tables + indexes + free pages) / points.
 * Figures are medians over the runs; the new store's answers are compared with the old one's.
 *
 * Run alone: `npx tsx tests/bench/sqlite-size.bench.ts` (no service needed).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { SqliteStore } from '../../server/store/sqlite-store.js';
import type { AggregateQuery } from '../../server/store/metric-store.js';
import { median, type Benchmark, type BenchContext } from './bench-types.js';
import { demoMix } from './demo-mix.js';
import { SqliteV1Store } from './sqlite-v1-store.js';

const POINTS = Number(process.env['NETATLAS_BENCH_SQLITE_POINTS'] ?? 200_000);
const RUNS = Number(process.env['NETATLAS_BENCH_SQLITE_RUNS'] ?? 3);
const QUERY_REPEATS = 5;
const BATCH = 5000;
const DAY_MS = 86_400_000;

/** The reads, as functions of a store (old or new); each returns something comparable. */
interface Reads {
  statusDay(): Promise<unknown>;
  meanByDevice(): Promise<unknown>;
  latestStatus(): Promise<unknown>;
}

function queries(t0: number): { day: { from: number; to: number }; mean: AggregateQuery } {
  const day = { from: t0, to: t0 + DAY_MS };
  // what the AP panel and the area charts ask: mean clients per device per 5 minutes over a day
  return { day, mean: { measurement: 'wifi_ap', field: 'clients', fn: 'mean', groupBy: ['device'], stepMs: 300_000, ...day } };
}

function fileBytes(file: string): number {
  return [file, `${file}-wal`].reduce((n, f) => n + (fs.existsSync(f) ? fs.statSync(f).size : 0), 0);
}

/** Bytes per table/index from SQLite's dbstat (pages in use), for the note. */
function breakdown(file: string): Record<string, number> {
  const db = new Database(file, { readonly: true });
  try {
    const rows = db.prepare('SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC').all() as { name: string; bytes: number }[];
    return Object.fromEntries(rows.map((r) => [r.name, r.bytes]));
  } catch {
    return {}; // dbstat not compiled in
  } finally {
    db.close();
  }
}

async function timeReads(reads: Reads): Promise<{ ms: Record<keyof Reads, number>; answers: Record<keyof Reads, unknown> }> {
  const ms = {} as Record<keyof Reads, number>;
  const answers = {} as Record<keyof Reads, unknown>;
  for (const name of ['statusDay', 'meanByDevice', 'latestStatus'] as const) {
    const times: number[] = [];
    for (let i = 0; i < QUERY_REPEATS; i++) {
      const started = performance.now();
      answers[name] = await reads[name]();
      times.push(performance.now() - started);
    }
    ms[name] = median(times);
  }
  return { ms, answers };
}

interface Side { bytes: number; writeS: number; readMs: Record<keyof Reads, number>; answers: Record<keyof Reads, unknown>; tables: Record<string, number> }

async function runOld(dir: string, points: ReturnType<typeof demoMix>, t0: number): Promise<Side> {
  const file = path.join(dir, 'old.sqlite');
  const q = queries(t0);
  let store = new SqliteV1Store(file);
  const started = performance.now();
  for (let i = 0; i < points.length; i += BATCH) store.write(points.slice(i, i + BATCH));
  const writeS = (performance.now() - started) / 1000;
  store.close();
  const bytes = fileBytes(file);
  store = new SqliteV1Store(file);
  const { ms, answers } = await timeReads({
    statusDay: async () => store.statusSamples(q.day),
    meanByDevice: async () => store.queryAggregate(q.mean),
    latestStatus: async () => store.latestStatus(),
  });
  store.close();
  return { bytes, writeS, readMs: ms, answers, tables: breakdown(file) };
}

async function runNew(dir: string, points: ReturnType<typeof demoMix>, t0: number): Promise<Side> {
  const file = path.join(dir, 'new.sqlite');
  const q = queries(t0);
  let store = new SqliteStore({ path: file });
  await store.init();
  const started = performance.now();
  for (let i = 0; i < points.length; i += BATCH) await store.write(points.slice(i, i + BATCH));
  const writeS = (performance.now() - started) / 1000;
  await store.close();
  const bytes = fileBytes(file);
  store = new SqliteStore({ path: file });
  await store.init();
  const { ms, answers } = await timeReads({
    statusDay: () => store.statusSamples(q.day),
    meanByDevice: () => store.queryAggregate(q.mean),
    latestStatus: () => store.latestStatus(),
  });
  await store.close();
  return { bytes, writeS, readMs: ms, answers, tables: breakdown(file) };
}

function summary(sides: Side[], n: number): Record<string, unknown> {
  const m = (f: (s: Side) => number): number => Math.round(median(sides.map(f)) * 100) / 100;
  return {
    bytes_per_point: m((s) => s.bytes / n),
    file_mb: m((s) => s.bytes / 1e6),
    write_points_per_s: Math.round(median(sides.map((s) => n / s.writeS))),
    query_ms: {
      statusSamples_day: m((s) => s.readMs.statusDay),
      queryAggregate_mean_by_device_5min: m((s) => s.readMs.meanByDevice),
      latestStatus: m((s) => s.readMs.latestStatus),
    },
    bytes_by_table: sides[sides.length - 1]?.tables ?? {},
  };
}

const bench: Benchmark = {
  name: 'sqlite-size',
  description: `embedded store, old layout (JSON row per point) vs compact layout: bytes per point, write rate and read times on ${POINTS} points of the demo mix`,
  async run(ctx: BenchContext): Promise<Record<string, unknown>> {
    const t0 = Math.floor((Date.now() - DAY_MS) / 3_600_000) * 3_600_000;
    const points = demoMix(POINTS, t0);
    const old: Side[] = [];
    const neu: Side[] = [];
    let sameAnswers = true;
    const started = Date.now();
    for (let run = 0; run < RUNS && (run === 0 || Date.now() - started < ctx.budgetMs); run++) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netatlas-sqlite-bench-'));
      try {
        const order = run % 2 === 0 ? ['old', 'new'] : ['new', 'old'];
        for (const side of order) {
          if (side === 'old') old.push(await runOld(dir, points, t0)); else neu.push(await runNew(dir, points, t0));
        }
        const a = old[old.length - 1]!.answers;
        const b = neu[neu.length - 1]!.answers;
        for (const k of ['statusDay', 'meanByDevice', 'latestStatus'] as const) {
          if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) { sameAnswers = false; ctx.log(`run ${run}: ${k} differs between layouts`); }
        }
        ctx.log(`run ${run + 1}: old ${(old[old.length - 1]!.bytes / POINTS).toFixed(1)} B/pt, new ${(neu[neu.length - 1]!.bytes / POINTS).toFixed(1)} B/pt`);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
    const q = queries(t0);
    return {
      points: POINTS, runs: old.length, span_minutes: Math.round((points[points.length - 1]!.time - t0) / 60_000),
      queries: { statusSamples: 'all devices, one day', queryAggregate: q.mean, latestStatus: 'all devices' },
      same_answers: sameAnswers,
      old: summary(old, POINTS),
      new: summary(neu, POINTS),
    };
  },
};
export default bench;

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await bench.run({ influxUrl: '', budgetMs: 600_000, log: (m) => process.stderr.write(`  sqlite-size: ${m}\n`) });
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
