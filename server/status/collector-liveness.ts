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
import { merge, subtract, type Span } from '../analytics/intervals.js';
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
  return out;
}
