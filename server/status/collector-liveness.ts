/**
 * When was a collector alive, from its `collector_status` points (pure).
 *
 * A collector instance writes `connected=1` with `heartbeat_s=H` every H seconds while it watches
 * its devices (the MQTT collector while connected to the broker, the SNMP collector while
 * polling), and `connected=0` when it stops or loses its broker. A heartbeat keeps the instance
 * alive for HEARTBEAT_HOLD_FACTOR × H or until the instance's next point: so a collector killed
 * with SIGKILL, which writes nothing at the end, is counted dead 2 × H after its last heartbeat,
 * and a down state it was holding ends there (bounded to one device interval while H is at most
 * half the shortest interval, which the collectors' config enforces).
 *
 * A collector is alive when any of its instances is. Across the range read, a collector that wrote
 * heartbeats is dead wherever no heartbeat covers. A collector that wrote only `connected` points
 * without `heartbeat_s` (data from before heartbeats) is dead from a `connected=0` until its next
 * `connected=1`. A collector with no points at all says nothing: no gap (device samples, with
 * their own holds, are all there is to go on).
 */
import { clip, merge, subtract, type Span } from '../analytics/intervals.js';
import { HEARTBEAT_HOLD_FACTOR } from './semantics.js';

export interface CollectorStatusPoint {
  time: number;
  collector: string;
  instance: string;
  connected: boolean;
  /** the heartbeat period in seconds; absent on points written before heartbeats existed */
  heartbeatS?: number | undefined;
}

/**
 * Per collector name, the spans in [from, to) when it was not alive. `points` should cover
 * [from, to) and at least HEARTBEAT_HOLD_FACTOR heartbeats before `from`.
 */
export function collectorGaps(points: readonly CollectorStatusPoint[], from: number, to: number): Map<string, Span[]> {
  const byInstance = new Map<string, CollectorStatusPoint[]>();
  for (const p of points) {
    const key = JSON.stringify([p.collector, p.instance]);
    const list = byInstance.get(key);
    if (list) list.push(p); else byInstance.set(key, [p]);
  }
  const alive = new Map<string, Span[]>();
  const heartbeats = new Set<string>();
  const legacyDown = new Map<string, Span[]>();
  for (const list of byInstance.values()) {
    list.sort((a, b) => a.time - b.time);
    const name = list[0]!.collector;
    const spans = alive.get(name) ?? [];
    const legacy = legacyDown.get(name) ?? [];
    for (let i = 0; i < list.length; i++) {
      const p = list[i]!;
      const nextTime = list[i + 1]?.time ?? Infinity;
      if (p.heartbeatS !== undefined && p.heartbeatS > 0) heartbeats.add(name);
      if (!p.connected) {
        // legacy rule: down until the next connected=1 of any instance (resolved below)
        legacy.push({ start: p.time, end: nextTime });
        continue;
      }
      const hold = p.heartbeatS !== undefined && p.heartbeatS > 0 ? HEARTBEAT_HOLD_FACTOR * 1000 * p.heartbeatS : Infinity;
      spans.push({ start: p.time, end: Math.min(nextTime, p.time + hold) });
    }
    alive.set(name, spans);
    legacyDown.set(name, legacy);
  }
  const out = new Map<string, Span[]>();
  const own = new Map<string, Span[]>();
  // each instance that wrote heartbeats also has gaps of its own (assignedGaps reads them)
  for (const list of byInstance.values()) {
    const { collector, instance } = list[0]!;
    if (!list.some((p) => p.heartbeatS !== undefined && p.heartbeatS > 0)) continue;
    const lives: Span[] = [];
    for (let i = 0; i < list.length; i++) {
      const p = list[i]!;
      if (!p.connected) continue;
      const hold = p.heartbeatS !== undefined && p.heartbeatS > 0 ? HEARTBEAT_HOLD_FACTOR * 1000 * p.heartbeatS : Infinity;
      lives.push({ start: p.time, end: Math.min(list[i + 1]?.time ?? Infinity, p.time + hold) });
    }
    own.set(instanceKey(collector, instance), subtract([{ start: from, end: to }], merge(lives)));
  }
  for (const [name, spans] of alive) {
    const live = merge(spans);
    if (heartbeats.has(name)) {
      out.set(name, subtract([{ start: from, end: to }], live));
    } else {
      // no heartbeats: a connected=0 opens a gap that the next connected=1 (any instance) closes
      const gaps: Span[] = [];
      for (const d of legacyDown.get(name) ?? []) {
        const back = live.find((s) => s.start > d.start);
        gaps.push({ start: d.start, end: back ? back.start : to });
      }
      out.set(name, merge(gaps.map((g) => ({ start: Math.max(g.start, from), end: Math.min(g.end, to) }))));
    }
  }
  // Listed only where they differ from their collector's: one instance (no sharding) adds no key,
  // and readers that walk the collectors see the same map as before sharding.
  for (const [key, gaps] of own) {
    const name = key.slice(0, key.indexOf('\u0000'));
    if (!sameSpans(gaps, out.get(name) ?? [])) out.set(key, gaps);
  }
  return out;
}

function sameSpans(a: readonly Span[], b: readonly Span[]): boolean {
  return a.length === b.length && a.every((s, i) => s.start === b[i]!.start && s.end === b[i]!.end);
}

/** The key of one collector instance's own gaps in collectorGaps' result. */
export function instanceKey(collector: string, instance: string): string {
  return `${collector}\u0000${instance}`;
}

/**
 * The spans when the collector instance assigned to a device was not alive, for a device whose
 * samples are `samples` (any order). With sharded collectors (collectors/cluster/) each SNMP
 * sample carries the `instance` that polled it: from each sample to the next, the device's
 * assigned instance is that sample's, and only its gaps make the device unknown; another
 * instance dying says nothing about this device. Before the first sample, for a sample without
 * the tag, or for an instance without heartbeats or whose gaps are its collector's (collectorGaps
 * lists only those that differ), the collector's gaps (alive when any of its instances is) apply.
 */
export function assignedGaps(down: ReadonlyMap<string, readonly Span[]>, collector: string, samples: readonly { time: number; tags?: Readonly<Record<string, string>> }[]): Span[] {
  const byName = down.get(collector) ?? [];
  const tagged = samples.filter((s) => s.tags?.['instance'] !== undefined);
  if (tagged.length === 0) return [...byName];
  const sorted = [...samples].sort((a, b) => a.time - b.time);
  const out: Span[] = clip(byName, -Infinity, sorted[0]!.time);
  for (let i = 0; i < sorted.length; i++) {
    const s = sorted[i]!;
    const end = sorted[i + 1]?.time ?? Infinity;
    const instance = s.tags?.['instance'];
    const own = instance !== undefined ? down.get(instanceKey(collector, instance)) : undefined;
    out.push(...clip(own ?? byName, s.time, end));
  }
  return merge(out.filter((g) => g.end > g.start));
}

