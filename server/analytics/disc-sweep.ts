/**
 * Accumulates wifi discs over a label raster, row by row, and sums per label the expected covered
 * raster cells.
 *
 * A disc is cut into the raster's rows; in each row it becomes one interval, centred on the AP,
 * whose length × row height is the disc's exact area within that row (the circular-segment
 * integral), so every disc's total is π r² whatever the cell size. Within a row everything is
 * exact in x: the intervals of the row's discs are swept along x into disjoint segments, each with
 * the probability that it is covered —
 *   as built: 1 when any disc covers it, else 0;
 *   live:     1 − Π (1 − uᵢ) over the discs covering it (uᵢ = AP i's uptime, APs independent)
 * — and each label run of the row (whose ends are exact too) collects the overlap length × that
 * probability. So the only approximation is in y (rows, and the area raster's sample lines).
 * Only one row exists at a time: memory O(discs + runs of a row), time O(Σ disc rows × log).
 */
import { cellX, cellY, xStretch } from './raster-frame.js';
import type { LabelRaster } from './raster-labels.js';

export interface Disc {
  lon: number;
  lat: number;
  radiusM: number;
  /** share of the window the AP was up (0..1); 1 for "as built" */
  uptime: number;
}

export interface SweepOptions {
  /** also compute the live figure (uptime-weighted); default false */
  live?: boolean;
  /** also record which labels each disc touches (discs × labels bytes); default false */
  touches?: boolean;
}

export interface SweepResult {
  /** expected covered raster cells per label, as built (every disc up) */
  builtCells: Float64Array;
  /** the same with each disc up a share `uptime` of the time, independently (zeros unless live) */
  liveCells: Float64Array;
  /** touched[d × labels + l] = 1 when disc d covers part of label l (null unless touches) */
  touched: Uint8Array | null;
}

interface Prepared { i: number; ux: number; uy: number; rc: number; stretch: number; u: number; rA: number; rB: number }

/** ∫ from −r to t of the chord 2√(r² − s²) ds, without its constant r²π/2 */
const segment = (t: number, r: number): number => t * Math.sqrt(Math.max(0, r * r - t * t)) + r * r * Math.asin(t / r);

export function sweepDiscs(raster: LabelRaster, discs: readonly Disc[], opts: SweepOptions = {}): SweepResult {
  const { frame, rows, row0, col0, labels, rowStart, runA, runB, runLabel } = raster;
  const live = opts.live ?? false;
  const builtCells = new Float64Array(labels);
  const liveCells = new Float64Array(labels);
  const touched = opts.touches ? new Uint8Array(discs.length * labels) : null;
  const weight = 1 / raster.subRows;

  const prepared: Prepared[] = [];
  discs.forEach((d, i) => {
    const rc = d.radiusM / frame.cellM;
    if (!(rc > 0)) return;
    const uy = cellY(frame, d.lat);
    const rA = Math.max(0, Math.floor(uy - rc) - row0);
    const rB = Math.min(rows - 1, Math.floor(uy + rc) - row0);
    if (rA > rB) return;
    prepared.push({ i, ux: cellX(frame, d.lon) - col0, uy, rc, stretch: xStretch(frame, d.lat), u: Math.min(1, Math.max(0, d.uptime)), rA, rB });
  });
  prepared.sort((p, q) => p.rA - q.rA);

  let active: Prepared[] = [];
  let next = 0;
  const firstRow = prepared.length > 0 ? prepared[0]!.rA : rows;
  const ivA: number[] = [], ivB: number[] = [], ivU: number[] = [];
  for (let r = firstRow; r < rows && (next < prepared.length || active.length > 0); r++) {
    while (next < prepared.length && prepared[next]!.rA === r) active.push(prepared[next++]!);
    if (active.length === 0) { if (next < prepared.length) r = prepared[next]!.rA - 1; continue; }
    const j = row0 + r;
    const rs = rowStart[r]!, re = rowStart[r + 1]!;
    ivA.length = 0; ivB.length = 0; ivU.length = 0;
    for (const d of active) {
      const t0 = Math.min(d.rc, Math.max(-d.rc, j - d.uy));
      const t1 = Math.min(d.rc, Math.max(-d.rc, j + 1 - d.uy));
      const half = (d.stretch * (segment(t1, d.rc) - segment(t0, d.rc))) / 2;
      const a = d.ux - half, b = d.ux + half;
      if (!(b > a)) continue;
      ivA.push(a); ivB.push(b); ivU.push(d.u);
      if (touched) {
        for (let k = rs; k < re && runA[k]! < b; k++) if (runB[k]! > a) touched[d.i * labels + runLabel[k]!] = 1;
      }
    }
    if (ivA.length === 0 || rs === re) { active = active.filter((d) => d.rB > r); continue; }
    const seg = segments(ivA, ivB, ivU, live);
    for (let k = rs; k < re; k++) {
      const a = runA[k]!, b = runB[k]!;
      let sb = 0, sl = 0;
      for (let s = firstEndingAfter(seg.b, a); s < seg.a.length && seg.a[s]! < b; s++) {
        const len = Math.min(b, seg.b[s]!) - Math.max(a, seg.a[s]!);
        sb += len;
        sl += len * seg.p[s]!;
      }
      const l = runLabel[k]!;
      builtCells[l] = builtCells[l]! + sb * weight;
      if (live) liveCells[l] = liveCells[l]! + sl * weight;
    }
    active = active.filter((d) => d.rB > r);
  }
  return { builtCells, liveCells, touched };
}

/**
 * The covered segments of one row: disjoint, sorted, each with the probability of being covered
 * live (as built they are covered, probability 1).
 */
function segments(ivA: readonly number[], ivB: readonly number[], ivU: readonly number[], live: boolean): { a: number[]; b: number[]; p: number[] } {
  const n = ivA.length;
  // events: interval i opens at ivA[i] (code i), closes at ivB[i] (code ~i)
  const ev = Array.from({ length: 2 * n }, (_, k) => (k < n ? k : ~(k - n)));
  const at = (e: number): number => (e >= 0 ? ivA[e]! : ivB[~e]!);
  ev.sort((p, q) => at(p) - at(q));
  const open: number[] = [];
  const out = { a: [] as number[], b: [] as number[], p: [] as number[] };
  let x = at(ev[0]!);
  let p = 0;
  for (const e of ev) {
    const xe = at(e);
    if (open.length > 0 && xe > x) { out.a.push(x); out.b.push(xe); out.p.push(p); }
    x = xe;
    if (e >= 0) open.push(e); else open.splice(open.indexOf(~e), 1);
    if (live) {
      let notCovered = 1;
      for (const i of open) notCovered *= 1 - ivU[i]!;
      p = 1 - notCovered;
    }
  }
  return out;
}

/** index of the first segment whose end is after x (segments sorted and disjoint) */
function firstEndingAfter(ends: readonly number[], x: number): number {
  let lo = 0, hi = ends.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ends[mid]! <= x) lo = mid + 1; else hi = mid;
  }
  return lo;
}
