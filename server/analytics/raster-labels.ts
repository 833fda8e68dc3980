/**
 * A label raster: which label (area, H3 cell, …) each part of each raster row belongs to, kept as
 * runs rather than one value per cell so that a city at 5 m cells costs a few MB, not 100.
 *
 * Filling: each row is sampled along `subRows` horizontal lines; along a line the crossings of
 * every ring of a label (outer rings, holes, every polygon of a MultiPolygon) are sorted and
 * paired even-odd, so holes and multi-part areas need no special case. Crossing x is kept exact
 * (runs have fractional ends in cell units), so borders cut cells by the right fraction in x; in
 * y a row counts its sub-lines, each for 1/subRows of the row. A point on a boundary counts as
 * inside (closed intervals), and where labels overlap the smaller label index wins — callers
 * order labels by area id, which gives locate.ts's border rule (smaller id wins).
 */
import { cellX, cellY, type Frame } from './raster-frame.js';

/** rings of [lon, lat] positions (GeoJSON order) */
export type Rings = ReadonlyArray<ReadonlyArray<ReadonlyArray<number>>>;

export interface LabelRaster {
  frame: Frame;
  labels: number;
  /** global index of the first row (row j spans y ∈ [j, j + 1) cell units) */
  row0: number;
  rows: number;
  /** global index of local column 0 */
  col0: number;
  cols: number;
  subRows: number;
  /** runs of local row r: rowStart[r] … rowStart[r + 1] − 1, sorted by runA */
  rowStart: Int32Array;
  /** run ends in local column units (continuous: 2.25 = a quarter into column 2) */
  runA: Float64Array;
  runB: Float64Array;
  runLabel: Int32Array;
  /** raster cells of each label (fractional), Σ run length / subRows */
  cellsPerLabel: Float64Array;
}

interface Interval { l: number; a: number; b: number }

/** Builds the raster of `shapes` (index = label) in `frame`, `subRows` sample lines per row. */
export function buildLabelRaster(frame: Frame, shapes: readonly Rings[], subRows = 1): LabelRaster {
  const k = Math.max(1, Math.floor(subRows));
  const projected = shapes.map((rings) => rings.map((ring) => {
    const xy = new Float64Array(ring.length * 2);
    ring.forEach((p, i) => { xy[2 * i] = cellX(frame, p[0]!); xy[2 * i + 1] = cellY(frame, p[1]!); });
    return xy;
  }));
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const rings of projected) for (const xy of rings) for (let i = 0; i < xy.length; i += 2) {
    minX = Math.min(minX, xy[i]!); maxX = Math.max(maxX, xy[i]!);
    minY = Math.min(minY, xy[i + 1]!); maxY = Math.max(maxY, xy[i + 1]!);
  }
  if (!Number.isFinite(minX)) minX = maxX = minY = maxY = 0;
  const col0 = Math.floor(minX) - 1;
  const cols = Math.ceil(maxX) - col0 + 2;
  const row0 = Math.floor(minY);
  const rows = Math.max(1, Math.ceil(maxY) - row0 + 1);

  // edge table: crossings of every edge with every sample line it spans (half-open in y, so a
  // vertex shared by two edges is crossed once)
  const lines = rows * k;
  const buckets: number[][] = Array.from({ length: lines }, () => []);
  projected.forEach((rings, label) => {
    for (const xy of rings) {
      for (let i = 0; i + 3 < xy.length; i += 2) {
        const x1 = xy[i]!, y1 = xy[i + 1]!, x2 = xy[i + 2]!, y2 = xy[i + 3]!;
        if (y1 === y2) continue;
        const yLo = Math.min(y1, y2), yHi = Math.max(y1, y2);
        const qa = Math.max(0, Math.ceil((yLo - row0) * k - 0.5));
        const qb = Math.min(lines - 1, Math.ceil((yHi - row0) * k - 0.5) - 1);
        for (let q = qa; q <= qb; q++) {
          const y = row0 + (q + 0.5) / k;
          buckets[q]!.push(label, x1 + ((y - y1) * (x2 - x1)) / (y2 - y1) - col0);
        }
      }
    }
  });

  const rowStart = new Int32Array(rows + 1);
  const runA: number[] = [], runB: number[] = [], runLabel: number[] = [];
  const cellsPerLabel = new Float64Array(shapes.length);
  for (let r = 0; r < rows; r++) {
    rowStart[r] = runA.length;
    const rowRuns: Interval[] = [];
    for (let s = 0; s < k; s++) rowRuns.push(...lineIntervals(buckets[r * k + s]!));
    rowRuns.sort((p, q) => p.a - q.a);
    for (const v of rowRuns) {
      runA.push(v.a); runB.push(v.b); runLabel.push(v.l);
      cellsPerLabel[v.l] = cellsPerLabel[v.l]! + (v.b - v.a) / k;
    }
  }
  rowStart[rows] = runA.length;
  return {
    frame, labels: shapes.length, row0, rows, col0, cols, subRows: k, rowStart,
    runA: Float64Array.from(runA), runB: Float64Array.from(runB), runLabel: Int32Array.from(runLabel), cellsPerLabel,
  };
}

/** The disjoint intervals of one sample line from its crossings [label, x, label, x, …]. */
function lineIntervals(flat: readonly number[]): Interval[] {
  if (flat.length === 0) return [];
  const order = Array.from({ length: flat.length / 2 }, (_, i) => i);
  order.sort((p, q) => flat[2 * p]! - flat[2 * q]! || flat[2 * p + 1]! - flat[2 * q + 1]!);
  const out: Interval[] = [];
  for (let i = 0; i + 1 < order.length; i++) {
    const p = order[i]!, q = order[i + 1]!;
    if (flat[2 * p] !== flat[2 * q]) continue; // odd count for a label (degenerate ring): skip
    out.push({ l: flat[2 * p]!, a: flat[2 * p + 1]!, b: flat[2 * q + 1]! });
    i++;
  }
  out.sort((p, q) => p.a - q.a);
  for (let i = 1; i < out.length; i++) if (out[i]!.a < out[i - 1]!.b) return resolveOverlaps(out);
  return out;
}

/**
 * Overlapping labels on one line (shared borders, polygons that overlap): the smaller label keeps
 * the overlap. Rare, so the simple quadratic way.
 */
function resolveOverlaps(intervals: Interval[]): Interval[] {
  const byLabel = [...intervals].sort((p, q) => p.l - q.l || p.a - q.a);
  const kept: Interval[] = [];
  for (const v of byLabel) {
    let pieces: Array<[number, number]> = [[v.a, v.b]];
    for (const o of kept) {
      pieces = pieces.flatMap(([a, b]): Array<[number, number]> => {
        if (o.b <= a || o.a >= b) return [[a, b]];
        const left: Array<[number, number]> = o.a > a ? [[a, o.a]] : [];
        return o.b < b ? [...left, [o.b, b]] : left;
      });
    }
    for (const [a, b] of pieces) if (b > a) kept.push({ l: v.l, a, b });
  }
  return kept.sort((p, q) => p.a - q.a);
}
