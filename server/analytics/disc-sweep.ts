/**
 * Accumulates wifi discs over a label raster, row by row, and sums per label the expected covered
 * raster cells.
 *
 * A disc is cut into the raster's rows; in each row it becomes one interval, centred on the AP,
 * whose length × row height is the disc's exact area within that row (the circular-segment
 * integral), so every disc's total is π r² whatever the cell size, and the interval's ends cover
 * their cells fractionally. Per cell we keep the probability of "not covered":
 *   as built: Π (1 − fᵢ)          (fᵢ = fraction of the cell under disc i: 0 or 1 inside)
 *   live:     Π (1 − uᵢ · fᵢ)     (uᵢ = AP i's uptime, APs independent)
 * and a label's covered cells = Σ over its runs of run weight × (1 − P). Only one row of P exists
 * at a time, so memory is O(columns), and time is O(Σ disc rows × disc columns + touched cells).
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
  const { frame, rows, cols, row0, col0, labels, rowStart, runA, runB, runLabel } = raster;
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

  const pBuilt = new Float64Array(cols).fill(1);
  const pLive = new Float64Array(cols).fill(1);
  let active: Prepared[] = [];
  let next = 0;
  const firstRow = prepared.length > 0 ? prepared[0]!.rA : rows;
  for (let r = firstRow; r < rows && (next < prepared.length || active.length > 0); r++) {
    while (next < prepared.length && prepared[next]!.rA === r) active.push(prepared[next++]!);
    if (active.length === 0) { if (next < prepared.length) r = prepared[next]!.rA - 1; continue; }
    const j = row0 + r;
    let tMin = cols, tMax = -1;
    const rs = rowStart[r]!, re = rowStart[r + 1]!;
    for (const d of active) {
      const t0 = Math.min(d.rc, Math.max(-d.rc, j - d.uy));
      const t1 = Math.min(d.rc, Math.max(-d.rc, j + 1 - d.uy));
      const half = (d.stretch * (segment(t1, d.rc) - segment(t0, d.rc))) / 2;
      const a = Math.max(0, d.ux - half), b = Math.min(cols, d.ux + half);
      if (!(b > a)) continue;
      const iA = Math.floor(a), iB = Math.ceil(b) - 1;
      for (let c = iA; c <= iB; c++) {
        const f = Math.min(b, c + 1) - Math.max(a, c);
        pBuilt[c] = pBuilt[c]! * (1 - f);
        if (live) pLive[c] = pLive[c]! * (1 - d.u * f);
      }
      if (iA < tMin) tMin = iA;
      if (iB > tMax) tMax = iB;
      if (touched) {
        for (let k = rs; k < re && runA[k]! < b; k++) if (runB[k]! > a) touched[d.i * labels + runLabel[k]!] = 1;
      }
    }
    if (tMax >= tMin) {
      for (let k = rs; k < re; k++) {
        const a = runA[k]!, b = runB[k]!;
        if (b <= tMin || a >= tMax + 1) continue;
        let sb = 0, sl = 0;
        const cA = Math.max(Math.floor(a), tMin), cB = Math.min(Math.ceil(b) - 1, tMax);
        for (let c = cA; c <= cB; c++) {
          const w = Math.min(b, c + 1) - Math.max(a, c);
          sb += w * (1 - pBuilt[c]!);
          if (live) sl += w * (1 - pLive[c]!);
        }
        const l = runLabel[k]!;
        builtCells[l] = builtCells[l]! + sb * weight;
        if (live) liveCells[l] = liveCells[l]! + sl * weight;
      }
      pBuilt.fill(1, tMin, tMax + 1);
      if (live) pLive.fill(1, tMin, tMax + 1);
    }
    active = active.filter((d) => d.rB > r);
  }
  return { builtCells, liveCells, touched };
}
