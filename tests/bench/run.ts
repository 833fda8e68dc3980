/**
 * `npm run bench`: runs every `*.bench.ts` module in this folder, one after the other, against
 * the real services (started by tests/services/start), and prints one JSON document on stdout.
 * Progress goes to stderr. Optional argument: a substring to select benchmarks by name.
 * soak.bench.ts runs the service for NETATLAS_BENCH_SOAK_MIN minutes (default 10) whatever the
 * budget: `npm run bench soak` runs it alone, NETATLAS_BENCH_SOAK_MIN=1 for a quick check.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { requireInflux, services } from '../helpers/services.js';
import type { Benchmark } from './bench-types.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2];
const budgetMs = Number(process.env['NETATLAS_BENCH_BUDGET_MS'] ?? 180_000);

const files = (await fs.readdir(here)).filter((f) => f.endsWith('.bench.ts')).sort();
const influxUrl = await requireInflux(services.influxUrl);
const results: Record<string, unknown> = {};
for (const file of files) {
  const mod = (await import(pathToFileURL(path.join(here, file)).href)) as { default: Benchmark };
  const bench = mod.default;
  if (filter && !bench.name.includes(filter)) continue;
  process.stderr.write(`bench ${bench.name}: ${bench.description}\n`);
  const started = Date.now();
  const result = await bench.run({ influxUrl, budgetMs, log: (m) => process.stderr.write(`  ${bench.name}: ${m}\n`) });
  results[bench.name] = { ...result, elapsed_s: (Date.now() - started) / 1000 };
}
process.stdout.write(JSON.stringify({
  date: new Date().toISOString(),
  node: process.version,
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model ?? 'unknown',
  influxUrl,
  results,
}, null, 2) + '\n');
