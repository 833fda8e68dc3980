/**
 * The first N incidents of a window by start (then device), without reading the whole window:
 * GET /api/incidents with its default order (oldest first) and a `limit` needs only those. The
 * window is walked a chunk (a day) at a time as windowIncidents walks it; once N runs are known
 * at the end of a chunk, no run found later can come before them (a later run starts at or after
 * that chunk's end, and every run under way there is already known), so the walk stops. The runs
 * among the N still open there are then followed, for their devices only, until they end: their
 * end and duration are those of the whole window. The answer equals windowIncidents' sorted by
 * (start, device) and cut to N (tests/integration/first-incidents.test.ts).
 */
import type { Device } from '../../core/device.js';
import type { MetricStore } from '../store/metric-store.js';
import { deviceIncidents, type Incident } from './incidents.js';
import { collectorDownFor, DAY_MS, forEachTimeline, joinChunk, type TimelineWindow } from './reader.js';
import type { TimelineInput } from './timeline.js';

/** The order of GET /api/incidents?sort=start: oldest first, ties by device. */
export function byStart(a: Incident, b: Incident): number {
  return a.start - b.start || a.device.localeCompare(b.device);
}

export async function firstIncidents(store: MetricStore, w: TimelineWindow & { chunkMs?: number | undefined }, n: number): Promise<Incident[]> {
  if (n <= 0 || w.devices.length === 0 || w.from >= w.to) return [];
  const chunkMs = w.chunkMs ?? DAY_MS;
  // read once, for both walks: the same spans as one walk over the whole window would use
  const collectorDown = await collectorDownFor(store, w);
  const done: Incident[] = [];
  /** per device, its run that reached the end of the last chunk walked */
  const open = new Map<string, Incident>();
  const visit = (d: Device, input: TimelineInput): void => {
    const list = deviceIncidents(input, { device: d.id, tech: d.tech, area: d.area, ...(d.householdsPassed !== undefined ? { householdsPassed: d.householdsPassed } : {}) });
    const step = joinChunk(open.get(d.id), list, input.from, input.to, w.from, w.to);
    open.delete(d.id);
    if (step.open) open.set(d.id, step.open);
    done.push(...step.done);
  };
  let reached = w.from;
  await forEachTimeline(store, { ...w, collectorDown, chunkMs, stop: (end) => {
    reached = end;
    return done.length + open.size >= n;
  } }, visit);
  const first = [...done, ...open.values()].sort(byStart).slice(0, n);
  if (reached >= w.to) return first;
  // the walk stopped early: follow the runs among the first N still under way, and only them
  const following = new Map(first.filter((i) => open.get(i.device) === i).map((i) => [i.device, i.start]));
  if (following.size === 0) return first;
  for (const id of [...open.keys()]) if (!following.has(id)) open.delete(id);
  /** per followed device, its run once over (its start is the one it had when the walk stopped) */
  const ended = new Map<string, Incident>();
  done.length = 0;
  await forEachTimeline(store, {
    ...w, devices: w.devices.filter((d) => following.has(d.id)), from: reached, collectorDown, chunkMs,
    stop: () => {
      for (const i of done) if (following.get(i.device) === i.start) ended.set(i.device, i);
      done.length = 0;
      return ended.size === following.size;
    },
  }, visit);
  // a run still under way at the window's end is in `open`, as windowIncidents leaves it
  return first.map((i) => ended.get(i.device) ?? (following.has(i.device) ? open.get(i.device) ?? i : i));
}
