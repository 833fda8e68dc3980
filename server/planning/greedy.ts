/**
 * Greedy maximum coverage with lazy evaluation (Minoux's "accelerated greedy"; CELF): pick, N
 * times, the candidate whose not-yet-covered demand weighs most. Coverage is submodular (a
 * candidate's gain can only shrink as others are picked), so a candidate's last computed gain is
 * an upper bound of its gain now: kept in a max-heap, the top is recomputed and, if it is still
 * on top, picked without looking at the rest. The result is the plain greedy's, within 1 − 1/e
 * (≈ 63 %) of the optimum (Nemhauser, Wolsey & Fisher 1978), at a fraction of its evaluations.
 */

export interface GreedyPick {
  /** index of the candidate in `covers` */
  candidate: number;
  /** the weight it newly covers (its marginal gain when picked) */
  gain: number;
  /** Σ gains up to and including this pick */
  cumulative: number;
}

export interface GreedyResult {
  picks: GreedyPick[];
  /** gain recomputations done (the plain greedy does N × candidates) */
  evaluations: number;
}

/**
 * `weights[j]`: demand of point j; `covers[i]`: the demand points candidate i covers. Stops early
 * when no candidate adds anything (gain 0). Ties go to the lower candidate index, so the result is
 * deterministic. `onPick` is called after each pick (progress).
 */
export function greedyMaxCoverage(weights: ArrayLike<number>, covers: readonly ArrayLike<number>[], n: number, onPick?: (k: number, pick: GreedyPick) => void): GreedyResult {
  const covered = new Uint8Array(weights.length);
  const gainOf = (i: number): number => {
    const c = covers[i]!;
    let g = 0;
    for (let k = 0; k < c.length; k++) { const j = c[k]!; if (!covered[j]) g += weights[j]!; }
    return g;
  };
  // max-heap of candidates by (bound desc, index asc); stamp = the round its bound was computed in
  const bound = new Float64Array(covers.length);
  const stamp = new Int32Array(covers.length).fill(-1);
  const heap: number[] = [];
  const before = (a: number, b: number): boolean => bound[a]! > bound[b]! || (bound[a] === bound[b] && a < b);
  const up = (k: number): void => {
    while (k > 0) { const p = (k - 1) >> 1; if (!before(heap[k]!, heap[p]!)) break; [heap[k], heap[p]] = [heap[p]!, heap[k]!]; k = p; }
  };
  const down = (k: number): void => {
    for (;;) {
      const l = 2 * k + 1, r = l + 1;
      let m = k;
      if (l < heap.length && before(heap[l]!, heap[m]!)) m = l;
      if (r < heap.length && before(heap[r]!, heap[m]!)) m = r;
      if (m === k) return;
      [heap[k], heap[m]] = [heap[m]!, heap[k]!];
      k = m;
    }
  };
  let evaluations = 0;
  for (let i = 0; i < covers.length; i++) { bound[i] = gainOf(i); stamp[i] = 0; evaluations++; heap.push(i); up(heap.length - 1); }

  const picks: GreedyPick[] = [];
  let cumulative = 0;
  // each pass of the inner loop either picks (≤ n times) or lowers a stale bound to a fresh one;
  // a candidate is refreshed at most once per round, so the loop ends within n × (candidates + 1)
  for (let round = 0; round < n && heap.length > 0; round++) {
    for (let guard = 0; guard <= covers.length && heap.length > 0; guard++) {
      const top = heap[0]!;
      if (stamp[top] === round) {
        if (bound[top]! <= 0) return { picks, evaluations };
        heap[0] = heap[heap.length - 1]!; heap.pop(); if (heap.length > 0) down(0);
        const c = covers[top]!;
        for (let k = 0; k < c.length; k++) covered[c[k]!] = 1;
        cumulative += bound[top]!;
        const pick = { candidate: top, gain: bound[top]!, cumulative };
        picks.push(pick);
        onPick?.(picks.length, pick);
        // the others' bounds are stale from now on: next round's stamp
        break;
      }
      bound[top] = gainOf(top); stamp[top] = round; evaluations++;
      down(0);
    }
  }
  return { picks, evaluations };
}
