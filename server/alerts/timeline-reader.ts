/**
 * Reads what the timeline rules need for one evaluation over [from, to): each device's timeline
 * and each collector's down spans, both from server/status. A device's timeline takes the gaps of
 * the collector instance assigned to it (the one that wrote each of its samples), as every other
 * reader of server/status does. Only the new samples are read: the
 * state each device carries into the window is its last sample read before (kept in the alert
 * state), so an evaluation costs the samples of one evaluation interval, like the old reader.
 *
 * Samples arrive a little late (pipeline batching): the read starts LATE_MS before `from`, and a
 * late sample older than `from` but newer than the carried one becomes the carried one. The time
 * before `from` was already fed and is not fed again, so a late sample moves what follows
 * `from`, not what was decided before (an incident seen late ends at most one evaluation late).
 */
import type { Span } from '../analytics/intervals.js';
import type { Device } from '../../core/device.js';
import type { MetricStore } from '../store/metric-store.js';
import type { StatusSample } from '../../core/status-sample.js';
import { assignedGaps, collectorDownSpans, collectorOf, deviceTimeline, intervalMsOf, maxIntervalMs, type DefaultIntervals, type Timeline } from '../status/index.js';
import type { CarriedSample, TimelineRulesState } from './timeline-rules.js';

/** Samples may reach the store this late (pipeline batching): re-read this much. */
export const LATE_MS = 30_000;

export interface TimelineRead {
  timelines: Map<string, Timeline>;
  collectorDown: Map<string, Span[]>;
  /** each device's last sample read, to carry into the next evaluation */
  carry: Map<string, CarriedSample>;
}

export interface ReadInput {
  store: MetricStore;
  devices: readonly Device[];
  state: TimelineRulesState;
  from: number;
  /** exclusive; the engine reads up to and including the instant it evaluates at (now + 1) */
  to: number;
  intervals: DefaultIntervals;
  maintenance: (device: Device, from: number, to: number) => Span[];
}

function carried(s: StatusSample): CarriedSample {
  const instance = s.tags['instance'];
  return { time: s.time, up: s.up, ...(s.unreadable ? { unreadable: true } : {}), ...(s.reason !== undefined ? { reason: s.reason } : {}), ...(instance !== undefined ? { instance } : {}) };
}

/** a carried sample as assignedGaps reads it: its instance as the tag it was read from */
function tagged(s: CarriedSample): { time: number; tags: Record<string, string> } {
  return { time: s.time, tags: s.instance !== undefined ? { instance: s.instance } : {} };
}

export async function readTimelines(r: ReadInput): Promise<TimelineRead> {
  const out: TimelineRead = { timelines: new Map(), collectorDown: new Map(), carry: new Map() };
  if (r.devices.length === 0 || r.to <= r.from) return out;
  // the first evaluation has nothing carried: it asks the store for each device's sample before the window
  const first = !r.state.primed;
  const [samples, down] = await Promise.all([
    r.store.statusSamples({ from: r.from - LATE_MS, to: r.to, includePrevious: first }),
    collectorDownSpans(r.store, r.from, r.to, maxIntervalMs(r.devices, r.intervals)),
  ]);
  out.collectorDown = down;
  const byDevice = new Map<string, StatusSample[]>();
  for (const s of samples) (byDevice.get(s.device) ?? byDevice.set(s.device, []).get(s.device)!).push(s);
  for (const d of r.devices) {
    let carry: CarriedSample | null = r.state.devices[d.id]?.last ?? null;
    const inWindow: CarriedSample[] = [];
    for (const s of (byDevice.get(d.id) ?? []).sort((a, b) => a.time - b.time)) {
      if (s.time >= r.from) inWindow.push(carried(s));
      else if (carry === null || s.time >= carry.time) carry = carried(s);
    }
    const input = [...(carry ? [carry] : []), ...inWindow];
    out.timelines.set(d.id, deviceTimeline({
      samples: input, from: r.from, to: r.to, now: r.to, intervalMs: intervalMsOf(d, r.intervals),
      // the gaps of the instance that wrote each sample (server/status assignedGaps): with sharded
      // collectors, another instance dying says nothing about this device
      collectorDown: assignedGaps(down, collectorOf(d), input.map(tagged)), maintenance: r.maintenance(d, r.from, r.to),
    }));
    const last = input[input.length - 1];
    if (last) out.carry.set(d.id, last);
  }
  return out;
}
