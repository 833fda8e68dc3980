/**
 * A device's timeline (timeline.ts) as one ordered list of spans covering its counted window, each
 * with its state — what a per-device timeline drawing needs. Unknown time carries its reason:
 * `unreadable` (the device answered but could not be read), `collector-down` (the collector
 * watching it was not alive) or `no-evidence` (nothing said anything). Maintenance is a state of
 * its own, as uptime reports it apart. Pure; the spans tile the window exactly, so their lengths
 * add up to up_ms + down_ms + unknown_ms + maintenance_ms of the same timeline.
 */
import { merge, subtract, type Span } from '../analytics/intervals.js';
import type { UnknownReason } from './semantics.js';
import type { Timeline } from './timeline.js';

export type SpanState = 'up' | 'down' | 'unknown' | 'maintenance';
/** semantics.ts's reasons less `stale`, which a past span does not need: its up state ran out (no-evidence) */
export type SpanUnknownReason = Extract<UnknownReason, 'unreadable' | 'collector-down' | 'no-evidence'>;

export interface StateSpan extends Span {
  state: SpanState;
  /** why the device was unknown; only on unknown spans */
  reason?: SpanUnknownReason;
}

export function stateSpans(t: Timeline): StateSpan[] {
  const out: StateSpan[] = [];
  const add = (spans: readonly Span[], state: SpanState, reason?: SpanUnknownReason): void => {
    for (const s of spans) out.push(reason ? { start: s.start, end: s.end, state, reason } : { start: s.start, end: s.end, state });
  };
  add(t.up, 'up');
  add(t.down, 'down');
  add(t.maintenance, 'maintenance');
  // the lists do not overlap by construction (a state stops at its collector's first gap);
  // subtracting anyway keeps the tiling exact if that rule ever changes
  const unreadable = subtract(t.unreadable, [...t.up, ...t.down]);
  add(unreadable, 'unknown', 'unreadable');
  const collectorDown = subtract(t.collectorDown, [...t.up, ...t.down, ...unreadable]);
  add(collectorDown, 'unknown', 'collector-down');
  const said = merge([...t.up, ...t.down, ...t.maintenance, ...unreadable, ...collectorDown]);
  add(subtract([t.window], said), 'unknown', 'no-evidence');
  return out.filter((s) => s.end > s.start).sort((a, b) => a.start - b.start);
}
