/**
 * Siting over 10 000 candidate sites for N = 50 in one municipality of regions/brussels (Ixelles,
 * 21009, by default) with the demo inventory: candidates spread uniformly (seeded) over the
 * municipality's bounding box, kept inside it; AP radius from the default model (P.1411 street
 * NLoS, 78.6 m). Reports the time (demand cells, cover sets, lazy greedy), the gain evaluations
 * against the plain greedy's N × candidates, and the coverage reached: uncovered households
 * before and after, and the share of them the 50 picks reach.
 * Runs in `npm run bench`, or alone: `npx tsx tests/bench/siting.bench.ts` prints the JSON.
 */
import fs from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import * as turf from '@turf/turf';
import type { Benchmark, BenchContext } from './bench-types.js';
import { parseAreasText } from '../../server/inventory/areas.js';
import { locateDevices } from '../../server/inventory/locate.js';
import { apRadius } from '../../server/planning/propagation.js';
import { site, type Candidate } from '../../server/planning/siting.js';
import { DEMO_AREAS, AVG_HOUSEHOLD_SIZE, demoDevices } from '../e2e/map-harness.js';
import { createRng } from '../../sim/rng.js';

const AREA = process.env['NETATLAS_BENCH_SITING_AREA'] ?? '21009';
const CANDIDATES = 10_000;
const N = 50;

/** mulberry32: a seeded generator, so every run sites the same candidates */
function random(seed: number): () => number {
  return createRng(seed).next;
}

export async function run(ctx: Pick<BenchContext, 'log'> = { log: () => undefined }): Promise<Record<string, unknown>> {
  const parsed = parseAreasText(await fs.readFile(DEMO_AREAS, 'utf8'), DEMO_AREAS, { avgHouseholdSize: AVG_HOUSEHOLD_SIZE });
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  const all = parsed.value.areas;
  const area = all.find((a) => a.id === AREA);
  if (!area) throw new Error(`no area ${AREA}`);
  const devices = locateDevices(await demoDevices(), all).devices;
  const rnd = random(16);
  const candidates: Candidate[] = [];
  const [x0, y0, x1, y1] = area.bbox;
  // bounded: the municipality fills a good share of its box, so 10 000 hits need far fewer draws
  for (let draws = 0; candidates.length < CANDIDATES && draws < CANDIDATES * 100; draws++) {
    const lon = x0 + rnd() * (x1 - x0), lat = y0 + rnd() * (y1 - y0);
    if (turf.booleanPointInPolygon([lon, lat], area.geometry)) candidates.push({ id: `c${candidates.length + 1}`, lat, lon });
  }
  const radiusM = apRadius().radiusM;
  ctx.log(`${candidates.length} candidates in ${area.name}, N = ${N}, radius ${radiusM.toFixed(1)} m`);
  const r = site({ areas: [area], allAreas: all, devices, candidates, count: N, radiusM });
  return {
    area: `${area.id} ${area.name}`, candidates: r.candidates, count: N, radiusM: Number(radiusM.toFixed(2)), h3Resolution: r.resolution,
    elapsed_ms: Math.round(r.elapsed_ms), evaluations: r.evaluations, plainGreedyEvaluations: N * r.candidates,
    households: Math.round(r.households), uncoveredHouseholdsBefore: Math.round(r.uncoveredHouseholdsBefore),
    uncoveredHouseholdsAfter: Math.round(r.uncoveredHouseholdsAfter), reachedHouseholds: Math.round(r.uncoveredHouseholdsBefore - r.uncoveredHouseholdsAfter),
    reachedShareOfUncovered: Number(((r.uncoveredHouseholdsBefore - r.uncoveredHouseholdsAfter) / r.uncoveredHouseholdsBefore).toFixed(4)),
    firstGain: Number((r.picks[0]?.gainHouseholds ?? 0).toFixed(1)), lastGain: Number((r.picks.at(-1)?.gainHouseholds ?? 0).toFixed(1)),
  };
}

const bench: Benchmark = {
  name: 'siting',
  description: 'greedy lazy siting: 10 000 candidate sites, N = 50, one Brussels municipality (demo inventory)',
  run: (ctx) => run(ctx),
};
export default bench;

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write(JSON.stringify(await run({ log: (m) => process.stderr.write(`siting: ${m}\n`) }), null, 2) + '\n');
}
