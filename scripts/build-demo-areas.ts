/**
 * Builds regions/brussels/areas.geojson: APPROXIMATE municipality polygons for the demo region.
 *
 *   npx tsx scripts/build-demo-areas.ts
 *
 * Official municipal boundaries (UrbIS) are not shipped with the project, so this script grows
 * each municipality from its official reference point over a 75 m grid clipped to the approximate
 * region outline until it holds its official area:
 *
 * 1. Grid cells whose centre lies inside the outline form the region (≈ 159 km², the official total
 *    is 161.9 km², so every target is scaled by outline/official so that the targets fill the grid).
 * 2. A multi-source Dijkstra over 4-neighbour cells assigns every cell to the municipality that
 *    reaches it first, each municipality travelling at its own speed (a "multiplicatively
 *    weighted" flood fill). Regions are contiguous by construction and each holds its own
 *    reference cell (cost 0).
 * 3. The speeds are tuned over rounds, speed *= (target / area)^0.35, until every municipality is
 *    within 1 % of its target or the round budget runs out (the best round is kept). A repair pass
 *    then hands single boundary cells from over-target to adjacent under-target municipalities,
 *    never disconnecting one nor taking its reference cell.
 * 4. Each cell set becomes a polygon by tracing the outer edges of its cells; collinear vertices
 *    are dropped (lossless), so neighbours share edges exactly and never overlap.
 *
 * The output is deterministic. It is a demo approximation: its shapes are not the real ones, only
 * the areas (within a few %), populations and reference points are official.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import * as turf from '@turf/turf';
import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';

const CELL_M = 75;
const TOLERANCE = 0.01;
const MAX_ROUNDS = 400;
const DAMPING = 0.35;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = path.join(root, 'regions', 'brussels');

interface Municipality {
  nis: string;
  nameFr: string;
  nameNl: string;
  population: number;
  areaKm2: number;
  lat: number;
  lon: number;
}

function readMunicipalities(): Municipality[] {
  const lines = readFileSync(path.join(dir, 'brussels-municipalities.csv'), 'utf8').trim().split(/\r?\n/);
  return lines.slice(1).map((line) => {
    const [nis, nameFr, nameNl, pop, area, lat, lon] = line.split(',');
    return {
      nis: nis!, nameFr: nameFr!, nameNl: nameNl!, population: Number(pop),
      areaKm2: Number(area), lat: Number(lat), lon: Number(lon),
    };
  });
}

const outline = JSON.parse(readFileSync(path.join(dir, 'brussels-region-outline.geojson'), 'utf8')) as FeatureCollection<Polygon>;
const outlineFeature = outline.features[0]!;
const munis = readMunicipalities();

// Local equirectangular projection around the region's centre: at this scale (20 km) the
// distortion is far below the grid size.
const [minLon, minLat, maxLon, maxLat] = turf.bbox(outlineFeature);
const lat0 = (minLat + maxLat) / 2;
const M_PER_DEG_LAT = 111_320;
const M_PER_DEG_LON = 111_320 * Math.cos((lat0 * Math.PI) / 180);
const dLat = CELL_M / M_PER_DEG_LAT;
const dLon = CELL_M / M_PER_DEG_LON;
const cols = Math.ceil((maxLon - minLon) / dLon) + 1;
const rows = Math.ceil((maxLat - minLat) / dLat) + 1;

const inside = new Uint8Array(cols * rows);
for (let r = 0; r < rows; r++) {
  for (let c = 0; c < cols; c++) {
    const lon = minLon + (c + 0.5) * dLon;
    const lat = minLat + (r + 0.5) * dLat;
    if (turf.booleanPointInPolygon([lon, lat], outlineFeature)) inside[r * cols + c] = 1;
  }
}
const cellOf = (lat: number, lon: number): number =>
  Math.floor((lat - minLat) / dLat) * cols + Math.floor((lon - minLon) / dLon);

/** area of one grid cell in km², measured by turf so that targets and the final check agree */
function cellAreaKm2(idx: number): number {
  const r = Math.floor(idx / cols);
  const c = idx % cols;
  const x0 = minLon + c * dLon;
  const y0 = minLat + r * dLat;
  return turf.area(turf.polygon([[[x0, y0], [x0 + dLon, y0], [x0 + dLon, y0 + dLat], [x0, y0 + dLat], [x0, y0]]])) / 1e6;
}
const cellKm2 = cellAreaKm2(cellOf(lat0, (minLon + maxLon) / 2));
let gridCells = 0;
for (const v of inside) gridCells += v;
const gridKm2 = gridCells * cellKm2;
const officialTotal = munis.reduce((s, m) => s + m.areaKm2, 0);
const scale = gridKm2 / officialTotal;
const targets = munis.map((m) => (m.areaKm2 * scale) / cellKm2);
const seeds = munis.map((m) => {
  const idx = cellOf(m.lat, m.lon);
  if (!inside[idx]) throw new Error(`${m.nameFr}: reference point is outside the region outline`);
  return idx;
});

/** Binary min-heap of (cost, cell, owner). */
class Heap {
  private cost: number[] = [];
  private cell: number[] = [];
  private owner: number[] = [];
  get size(): number { return this.cost.length; }
  push(cost: number, cell: number, owner: number): void {
    this.cost.push(cost); this.cell.push(cell); this.owner.push(owner);
    let i = this.cost.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.cost[p]! <= this.cost[i]!) break;
      this.swap(i, p); i = p;
    }
  }
  pop(): [number, number, number] {
    const top: [number, number, number] = [this.cost[0]!, this.cell[0]!, this.owner[0]!];
    const lc = this.cost.pop()!; const lce = this.cell.pop()!; const lo = this.owner.pop()!;
    if (this.cost.length > 0) {
      this.cost[0] = lc; this.cell[0] = lce; this.owner[0] = lo;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1; const r = l + 1; let m = i;
        if (l < this.cost.length && this.cost[l]! < this.cost[m]!) m = l;
        if (r < this.cost.length && this.cost[r]! < this.cost[m]!) m = r;
        if (m === i) break;
        this.swap(i, m); i = m;
      }
    }
    return top;
  }
  private swap(a: number, b: number): void {
    [this.cost[a], this.cost[b]] = [this.cost[b]!, this.cost[a]!];
    [this.cell[a], this.cell[b]] = [this.cell[b]!, this.cell[a]!];
    [this.owner[a], this.owner[b]] = [this.owner[b]!, this.owner[a]!];
  }
}

function grow(speed: readonly number[]): Int32Array {
  const owner = new Int32Array(cols * rows).fill(-1);
  const heap = new Heap();
  seeds.forEach((s, i) => heap.push(0, s, i));
  while (heap.size > 0) {
    const [cost, cell, who] = heap.pop();
    if (owner[cell] !== -1) continue;
    owner[cell] = who;
    const r = Math.floor(cell / cols); const c = cell % cols;
    const next = [r > 0 ? cell - cols : -1, r < rows - 1 ? cell + cols : -1, c > 0 ? cell - 1 : -1, c < cols - 1 ? cell + 1 : -1];
    for (const n of next) {
      if (n >= 0 && inside[n] && owner[n] === -1) heap.push(cost + 1 / speed[who]!, n, who);
    }
  }
  return owner;
}

function counts(owner: Int32Array): number[] {
  const n = new Array<number>(munis.length).fill(0);
  for (const o of owner) if (o >= 0) n[o]! += 1;
  return n;
}

let speed = munis.map((m) => Math.sqrt(m.areaKm2));
let owner = grow(speed);
let best = { owner, err: Infinity };
for (let round = 0; round < MAX_ROUNDS; round++) {
  const n = counts(owner);
  const err = Math.max(...n.map((k, i) => Math.abs(k / targets[i]! - 1)));
  if (err < best.err) best = { owner, err };
  if (err < TOLERANCE) break;
  // damped update: a full step oscillates between neighbours that trade the same cells
  speed = speed.map((s, i) => s * Math.pow(targets[i]! / Math.max(1, n[i]!), DAMPING));
  owner = grow(speed);
}
owner = best.owner;
const growErr = best.err;
const moves = repair(owner);

/**
 * One region's speed cannot fit every neighbourhood: a small municipality squeezed between
 * large ones oscillates. Finish by handing single boundary cells from the most over-target
 * region to an adjacent under-target one, never disconnecting the giver or taking its seed.
 */
function repair(own: Int32Array): number {
  const seedSet = new Set(seeds);
  const nbrs = (cell: number): number[] => {
    const r = Math.floor(cell / cols); const c = cell % cols;
    return [r > 0 ? cell - cols : -1, r < rows - 1 ? cell + cols : -1, c > 0 ? cell - 1 : -1, c < cols - 1 ? cell + 1 : -1].filter((n) => n >= 0);
  };
  const connectedWithout = (who: number, removed: number): boolean => {
    const start = seeds[who]!;
    const seen = new Set<number>([start]);
    const queue = [start];
    while (queue.length > 0) {
      const cur = queue.pop()!;
      for (const n of nbrs(cur)) if (n !== removed && own[n] === who && !seen.has(n)) { seen.add(n); queue.push(n); }
    }
    let total = 0;
    for (const o of own) if (o === who) total++;
    return seen.size === total - 1;
  };
  let moved = 0;
  for (let iter = 0; iter < 20_000; iter++) {
    const n = counts(own);
    const dev = n.map((k, i) => k / targets[i]! - 1);
    if (Math.max(...dev.map(Math.abs)) < TOLERANCE) break;
    // candidate moves: cell of i touching j, where the move lowers max(|dev_i|, |dev_j|)
    const cands: { cell: number; from: number; to: number; gain: number; touching: number }[] = [];
    for (let cell = 0; cell < own.length; cell++) {
      const i = own[cell]!;
      if (i < 0 || seedSet.has(cell)) continue;
      const touch = new Map<number, number>();
      for (const nb of nbrs(cell)) { const j = own[nb]!; if (j >= 0 && j !== i) touch.set(j, (touch.get(j) ?? 0) + 1); }
      for (const [j, k] of touch) {
        const before = Math.max(Math.abs(dev[i]!), Math.abs(dev[j]!));
        const after = Math.max(Math.abs(dev[i]! - 1 / targets[i]!), Math.abs(dev[j]! + 1 / targets[j]!));
        if (after < before - 1e-12) cands.push({ cell, from: i, to: j, gain: dev[i]! - dev[j]!, touching: k });
      }
    }
    if (cands.length === 0) break;
    cands.sort((a, b) => b.gain - a.gain || b.touching - a.touching || a.cell - b.cell);
    const pick = cands.slice(0, 50).find((c) => connectedWithout(c.from, c.cell));
    if (!pick) break;
    own[pick.cell] = pick.to;
    moved++;
  }
  return moved;
}

// ---- cells -> polygon rings -------------------------------------------------------------------
type Vertex = number; // vertex index = r * (cols + 1) + c
const vKey = (r: number, c: number): Vertex => r * (cols + 1) + c;
const vPos = (v: Vertex): Position => {
  const r = Math.floor(v / (cols + 1)); const c = v % (cols + 1);
  return [round6(minLon + c * dLon), round6(minLat + r * dLat)];
};
function round6(x: number): number { return Math.round(x * 1e6) / 1e6; }

/** Boundary rings of a cell set: exterior rings counter-clockwise, holes clockwise (RFC 7946). */
function traceRings(who: number): Position[][] {
  const out = new Map<Vertex, Vertex[]>();
  const add = (a: Vertex, b: Vertex): void => { const l = out.get(a); if (l) l.push(b); else out.set(a, [b]); };
  const mine = (r: number, c: number): boolean => r >= 0 && r < rows && c >= 0 && c < cols && owner[r * cols + c] === who;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      if (!mine(r, c)) continue;
      // counter-clockwise around the cell (x = col east, y = row north): the cell is on the left
      if (!mine(r - 1, c)) add(vKey(r, c), vKey(r, c + 1));
      if (!mine(r, c + 1)) add(vKey(r, c + 1), vKey(r + 1, c + 1));
      if (!mine(r + 1, c)) add(vKey(r + 1, c + 1), vKey(r + 1, c));
      if (!mine(r, c - 1)) add(vKey(r + 1, c), vKey(r, c));
    }
  }
  const rings: Position[][] = [];
  const dir = (a: Vertex, b: Vertex): [number, number] => {
    const ra = Math.floor(a / (cols + 1)); const ca = a % (cols + 1);
    const rb = Math.floor(b / (cols + 1)); const cb = b % (cols + 1);
    return [cb - ca, rb - ra];
  };
  for (const start of [...out.keys()].sort((a, b) => a - b)) {
    while ((out.get(start)?.length ?? 0) > 0) {
      const ring: Vertex[] = [start];
      let prev = start;
      let cur = out.get(start)!.shift()!;
      while (cur !== start) {
        ring.push(cur);
        const options = out.get(cur)!;
        // at a pinch vertex (two cells touching by a corner) turn left first, so rings stay simple
        let pick = 0;
        if (options.length > 1) {
          const [dx, dy] = dir(prev, cur);
          pick = options.findIndex((o) => { const [ex, ey] = dir(cur, o); return dx * ey - dy * ex > 0; });
          if (pick < 0) pick = 0;
        }
        const nxt = options.splice(pick, 1)[0]!;
        prev = cur; cur = nxt;
      }
      rings.push(dropCollinear(ring).map(vPos));
    }
  }
  return rings;
}

function dropCollinear(ring: Vertex[]): Vertex[] {
  const keep: Vertex[] = [];
  const n = ring.length;
  for (let i = 0; i < n; i++) {
    const a = ring[(i - 1 + n) % n]!; const b = ring[i]!; const c = ring[(i + 1) % n]!;
    const ar = Math.floor(a / (cols + 1)); const ac = a % (cols + 1);
    const br = Math.floor(b / (cols + 1)); const bc = b % (cols + 1);
    const cr = Math.floor(c / (cols + 1)); const cc = c % (cols + 1);
    if ((br - ar) * (cc - bc) - (bc - ac) * (cr - br) !== 0) keep.push(b);
  }
  return [...keep, keep[0]!];
}

function signedArea(ring: Position[]): number {
  let s = 0;
  for (let i = 0; i + 1 < ring.length; i++) s += ring[i]![0]! * ring[i + 1]![1]! - ring[i + 1]![0]! * ring[i]![1]!;
  return s / 2;
}

function toGeometry(who: number): Polygon | MultiPolygon {
  const rings = traceRings(who);
  const outers = rings.filter((r) => signedArea(r) > 0);
  const holes = rings.filter((r) => signedArea(r) < 0);
  const polys: Position[][][] = outers.map((o) => [o]);
  for (const h of holes) {
    const host = polys.find((p) => turf.booleanPointInPolygon(turf.centroid(turf.polygon([h])), turf.polygon([p[0]!])));
    (host ?? polys[0]!).push(h);
  }
  return polys.length === 1 ? { type: 'Polygon', coordinates: polys[0]! } : { type: 'MultiPolygon', coordinates: polys };
}

const features: Feature<Polygon | MultiPolygon>[] = munis.map((m, i) => ({
  type: 'Feature',
  properties: {
    id: m.nis,
    name: `${m.nameFr} / ${m.nameNl}`,
    name_fr: m.nameFr,
    name_nl: m.nameNl,
    population: m.population,
    area_km2_official: m.areaKm2,
    ref_point: [m.lon, m.lat],
    approximate: true,
  },
  geometry: toGeometry(i),
}));

const fc = {
  type: 'FeatureCollection',
  // a foreign member (RFC 7946 §6.1): says what this file is wherever it is copied
  description:
    'APPROXIMATE municipality polygons of the Brussels-Capital Region for the netatlas demo, grown ' +
    'from official reference points to official areas by scripts/build-demo-areas.ts. Not official ' +
    'boundaries: load UrbIS municipal boundaries for real use.',
  features,
};
writeFileSync(path.join(dir, 'areas.geojson'), JSON.stringify(fc) + '\n');

const report = features.map((f, i) => {
  const km2 = turf.area(f) / 1e6;
  const m = munis[i]!;
  const holdsRef = turf.booleanPointInPolygon([m.lon, m.lat], f as Feature<Polygon | MultiPolygon>);
  return `${m.nis} ${m.nameFr.padEnd(24)} ${km2.toFixed(2).padStart(6)} km² vs ${m.areaKm2.toFixed(2).padStart(6)} official (${((km2 / m.areaKm2 - 1) * 100).toFixed(1).padStart(5)} %) ref ${holdsRef ? 'inside' : 'OUTSIDE'} ${f.geometry.type}`;
});
process.stdout.write(`grid ${cols}x${rows}, ${gridCells} cells of ${CELL_M} m, ${gridKm2.toFixed(1)} km² (scale ${scale.toFixed(4)}), worst deviation from scaled target after growth ${(growErr * 100).toFixed(2)} %, ${moves} repair moves\n${report.join('\n')}\n`);
