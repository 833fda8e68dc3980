/**
 * Half-open time intervals [start, end) in epoch ms, the arithmetic under uptime and incidents.
 * All functions return new, sorted, non-overlapping lists.
 */
export interface Span {
  start: number;
  end: number;
}

/** Sorts and merges overlapping or touching spans; drops empty ones. */
export function merge(spans: readonly Span[]): Span[] {
  const sorted = spans.filter((s) => s.end > s.start).sort((a, b) => a.start - b.start);
  const out: Span[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else out.push({ start: s.start, end: s.end });
  }
  return out;
}

/** The parts of `spans` inside [from, to). */
export function clip(spans: readonly Span[], from: number, to: number): Span[] {
  return merge(spans.map((s) => ({ start: Math.max(s.start, from), end: Math.min(s.end, to) })));
}

/** `spans` minus `cuts`. */
export function subtract(spans: readonly Span[], cuts: readonly Span[]): Span[] {
  const c = merge(cuts);
  const out: Span[] = [];
  for (const s of merge(spans)) {
    let cur = s.start;
    for (const k of c) {
      if (k.end <= cur || k.start >= s.end) continue;
      if (k.start > cur) out.push({ start: cur, end: k.start });
      cur = Math.max(cur, k.end);
      if (cur >= s.end) break;
    }
    if (cur < s.end) out.push({ start: cur, end: s.end });
  }
  return out;
}

export function totalMs(spans: readonly Span[]): number {
  return spans.reduce((sum, s) => sum + (s.end - s.start), 0);
}
