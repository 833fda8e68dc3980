/**
 * What the alert machines read of a device's timeline (server/status): the window cut into
 * consecutive pieces, each with the one state the status owner gave it. The machines never look
 * at samples themselves, so an alert opens and ends on the spans that /api/incidents lists.
 *
 * Also the small machine shared by collector_down and device_unreadable: a run of time during
 * which a condition holds (the collector is down, the device is unreadable), with hysteresis.
 * Pure and serialisable (plain objects), like the device-down machine.
 */
import type { Span } from '../analytics/intervals.js';
import type { Timeline } from '../status/index.js';
import type { EndedAs } from './types.js';

/** the state of a piece: the timeline's spans, and `stale` for the rest (no evidence, or it aged out) */
export type PieceKind = 'up' | 'down' | 'unreadable' | 'maintenance' | 'collector-down' | 'stale';

export interface Piece {
  start: number;
  end: number;
  kind: PieceKind;
}

/** The timeline's window as consecutive pieces in time order, every instant in exactly one. */
export function piecesOf(t: Timeline): Piece[] {
  const tagged: Piece[] = [
    ...t.up.map((s) => ({ ...s, kind: 'up' as const })),
    ...t.down.map((s) => ({ ...s, kind: 'down' as const })),
    ...t.unreadable.map((s) => ({ ...s, kind: 'unreadable' as const })),
    ...t.maintenance.map((s) => ({ ...s, kind: 'maintenance' as const })),
    ...t.collectorDown.map((s) => ({ ...s, kind: 'collector-down' as const })),
  ].filter((p) => p.end > p.start).sort((a, b) => a.start - b.start || a.end - b.end);
  const out: Piece[] = [];
  let at = t.window.start;
  const push = (p: Piece): void => {
    const last = out[out.length - 1];
    if (last && last.kind === p.kind && last.end === p.start) last.end = p.end;
    else out.push({ ...p });
  };
  for (const p of tagged) {
    // the status owner's spans do not overlap; should two ever do, the earlier one wins
    const start = Math.max(p.start, at);
    if (p.end <= start) continue;
    if (start > at) push({ start: at, end: start, kind: 'stale' });
    push({ start, end: p.end, kind: p.kind });
    at = p.end;
  }
  if (at < t.window.end) push({ start: at, end: t.window.end, kind: 'stale' });
  return out;
}

/** How a device that is no longer down is described when its alert resolves. */
export function endedAsOf(kind: PieceKind): EndedAs {
  return kind === 'up' ? 'up' : kind === 'down' ? 'unknown: stale' : `unknown: ${kind}`;
}

export interface RunState {
  /** start of the current run; null when the condition does not hold */
  since: number | null;
  /** the run stopped holding here and has not held again since (it ends clearMs later) */
  stoppedAt: number | null;
  /** the alert raised for this run, if any */
  alertId: string | null;
}

export const NO_RUN: RunState = { since: null, stoppedAt: null, alertId: null };

export interface EndedRun {
  since: number;
  /** when the condition stopped holding (the alert's endedAt) */
  endedAt: number;
  alertId: string | null;
}

/**
 * Feeds the spans of [from, to) during which the condition holds (merged, in order). A run
 * starts when the condition starts holding and ends once it has not held for `clearMs`; a
 * shorter pause belongs to the run. Returns the runs that ended in [from, to).
 */
export function feedRun(s: RunState, holds: readonly Span[], from: number, to: number, clearMs: number): EndedRun[] {
  const ended: EndedRun[] = [];
  const notHolding = (a: number, b: number): void => {
    if (s.since === null || b <= a) return;
    s.stoppedAt ??= a;
    if (b - s.stoppedAt >= clearMs) {
      ended.push({ since: s.since, endedAt: s.stoppedAt, alertId: s.alertId });
      Object.assign(s, NO_RUN);
    }
  };
  let at = from;
  for (const h of holds) {
    const start = Math.max(h.start, at), end = Math.min(h.end, to);
    if (end <= start) continue;
    notHolding(at, start);
    if (s.since === null) Object.assign(s, { since: start, stoppedAt: null, alertId: null });
    else s.stoppedAt = null;
    at = end;
  }
  notHolding(at, to);
  return ended;
}

/** The run holds at the end of what was fed and has held at least `thresholdMs` by `now`: time to alert. */
export function runDue(s: RunState, now: number, thresholdMs: number): boolean {
  return s.since !== null && s.stoppedAt === null && s.alertId === null && now - s.since >= thresholdMs;
}
