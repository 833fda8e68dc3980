import { describe, expect, it } from 'vitest';
import { greedyMaxCoverage } from '../../server/planning/greedy.js';
import { coverSets } from '../../server/planning/siting.js';

/** the plain (eager) greedy, for comparison */
function plainGreedy(w: readonly number[], sets: readonly number[][], n: number): number[] {
  const covered = new Set<number>();
  const out: number[] = [];
  for (let k = 0; k < n; k++) {
    let best = -1, bestGain = 0;
    sets.forEach((s, i) => { const g = s.filter((j) => !covered.has(j)).reduce((t, j) => t + w[j]!, 0); if (g > bestGain) { best = i; bestGain = g; } });
    if (best < 0) break;
    out.push(best);
    for (const j of sets[best]!) covered.add(j);
  }
  return out;
}

describe('greedy maximum coverage with lazy evaluation', () => {
  it('picks, on a small case, what greedy must, within 1 − 1/e of the optimum enumerated by hand', () => {
    // 6 points of weight 1; A = {0,1,2,3}, B = {0,1,4}, C = {2,3,5}; N = 2.
    // Every pair: A+B covers {0,1,2,3,4} = 5, A+C covers {0,1,2,3,5} = 5, B+C covers all 6 = 6 → optimum 6 (B, C).
    // Greedy: A first (gain 4 > 3, 3); then B adds {4} = 1 and C adds {5} = 1, a tie won by the lower index: B.
    // Total 5 ≥ (1 − 1/e) × 6 = 3.79.
    const r = greedyMaxCoverage([1, 1, 1, 1, 1, 1], [[0, 1, 2, 3], [0, 1, 4], [2, 3, 5]], 2);
    expect(r.picks.map((p) => [p.candidate, p.gain, p.cumulative])).toEqual([[0, 4, 4], [1, 1, 5]]);
    expect(5).toBeGreaterThanOrEqual((1 - 1 / Math.E) * 6);
  });

  it('finds the optimum where greedy can: weights 3,3,2,2,2', () => {
    // A = {0,2,3} = 3+2+2 = 7, B = {1,4} = 5, C = {0,1} = 6, D = {2,3,4} = 6; N = 2.
    // Pairs: AB = 12 (all), AC = 3+3+2+2 = 10, AD = 3+2+2+2 = 9, BC = 3+3+2 = 8, BD = 3+2+2+2 = 9, CD = 12 → optimum 12.
    // Greedy: A (7), then B adds {1,4} = 5, C adds {1} = 3, D adds {4} = 2 → B: 12, the optimum.
    const r = greedyMaxCoverage([3, 3, 2, 2, 2], [[0, 2, 3], [1, 4], [0, 1], [2, 3, 4]], 2);
    expect(r.picks.map((p) => [p.candidate, p.gain])).toEqual([[0, 7], [1, 5]]);
  });

  it('stops when nothing more can be covered', () => {
    const r = greedyMaxCoverage([1, 1], [[0], [0, 1], [1]], 5);
    expect(r.picks.map((p) => p.candidate)).toEqual([1]);
  });

  it('picks what the plain greedy picks, with fewer gain evaluations (seeded random case)', () => {
    let seed = 7;
    const rnd = (): number => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
    const w = Array.from({ length: 400 }, () => Math.round(rnd() * 10));
    const sets = Array.from({ length: 300 }, () => Array.from({ length: 12 }, () => Math.floor(rnd() * 400)).filter((j, k, a) => a.indexOf(j) === k));
    const lazy = greedyMaxCoverage(w, sets, 20);
    expect(lazy.picks.map((p) => p.candidate)).toEqual(plainGreedy(w, sets, 20));
    expect(lazy.evaluations).toBeLessThan(20 * 300);
  });

  it('a candidate covers the demand points within its radius (bucketed search)', () => {
    // points at 0, 49.9, 50.1 and 120 m east of the site; radius 50 → the first two
    const sets = coverSets([{ x: 0, y: 0 }, { x: 49.9, y: 0 }, { x: 50.1, y: 0 }, { x: 120, y: 0 }], [{ x: 0, y: 0 }], 50);
    expect([...sets[0]!].sort()).toEqual([0, 1]);
  });
});
