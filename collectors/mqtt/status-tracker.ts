/**
 * Turns what an AP says (status `online`/`offline`, telemetry) into `device_status` samples, and
 * restates the down ones. It decides nothing about up, down or unknown over time: how long a
 * sample holds, when it goes stale and what a collector gap means are server/status/'s rules. It
 * only remembers each AP's last sample, so that:
 *
 * - a status message is one sample at its receive time, every time (a retained status redelivered
 *   after a reconnect restates the AP right after the collector's gap);
 * - every telemetry message is one `up=1` sample at its time. Up holds 2.5 intervals after the
 *   last evidence (DESIGN.md), and the store only knows the evidence we write: thinning to one
 *   sample per interval made up end up to one interval early. The write path then leaves out the
 *   samples that change no timeline (server/status/evidence-thinning.ts: the rule is the status
 *   owner's, and it keeps the last evidence);
 * - telemetry older than the AP's current state (queued while we were away, or from before its
 *   `offline`) is not written: a sample placed before a later one would rewrite history;
 * - an AP whose last sample is down is restated (`restateDown`) by the collector every interval
 *   while it is connected: a down state holds only while restated (semantics.ts), so an AP that
 *   stays off for a week reads down for the week. Up is never restated: only the AP can give
 *   evidence of life.
 *
 * States survive the collector's disconnections: an AP known down before a gap is restated after
 * it (and the broker's retained status, re-sent on the new SUBSCRIBE, says it again anyway).
 */
import type { Point } from '../../core/point.js';
import type { Device } from '../../core/device.js';
import { deviceStatusPoint } from '../../core/status-points.js';

interface Known {
  up: boolean;
  /** time of the sample that began the current state */
  since: number;
  /** time of the latest sample written (a restatement included) */
  lastSampleAt: number;
}

export class StatusTracker {
  private readonly states = new Map<string, Known>();
  /**
   * From an earlier run (floors()/restoreFloors(), kept in the data dir): per AP, the time before
   * which a status is already known. Telemetry stamped before it gives no sample, so a restart
   * (which forgets `states`) cannot let queued or back-dated telemetry rewrite known history. It
   * restates nothing: only what this run hears does.
   */
  private readonly floor = new Map<string, number>();

  onStatus(device: Device, online: boolean, time: number): Point {
    // A status is the newest thing said about the AP: if telemetry stamped by a clock ahead of
    // ours was written after it, place the status just after that sample so that it supersedes it
    // (a sample at the same instant would overwrite it in the store: same series, same time).
    const last = this.states.get(device.id)?.lastSampleAt;
    const at = last !== undefined && last >= time ? last + 1 : time;
    this.states.set(device.id, { up: online, since: at, lastSampleAt: at });
    return statusPoint(device, online, at);
  }

  /**
   * The up sample that telemetry stamped `time` (the AP's `ts`, else the receive time) and
   * received at `receivedAt` gives (at the earlier of the two), or undefined when it predates
   * the AP's current state.
   */
  onTelemetry(device: Device, time: number, receivedAt: number): Point | undefined {
    const s = this.states.get(device.id);
    // evidence of life cannot be later than its arrival (an AP clock ahead of ours, within
    // maxFutureSkewS, must not put an up sample in the future)
    let at = Math.min(time, receivedAt);
    const floor = this.floor.get(device.id);
    if (floor !== undefined && at <= floor) return undefined;
    // never rewrite what is known for a later time; at the very instant of a down sample, an up
    // sample would overwrite it in the store (same series, same time): the status wins
    if (s && (at < s.since || (!s.up && at === s.since))) return undefined;
    if (s && !s.up && at < s.lastSampleAt) {
      // The AP lived after its `offline`, but we restated it down since `time` (its clock lags
      // ours, or the message was queued): stamp the evidence with its receive time so the
      // restatement does not outlive it.
      if (receivedAt < s.lastSampleAt) return undefined;
      at = receivedAt > s.lastSampleAt ? receivedAt : s.lastSampleAt + 1;
    }
    if (s && s.up) s.lastSampleAt = Math.max(s.lastSampleAt, at);
    else this.states.set(device.id, { up: true, since: at, lastSampleAt: at });
    return statusPoint(device, true, at);
  }

  /** ids of the APs whose last sample is down */
  downIds(): string[] {
    const out: string[] = [];
    for (const [id, s] of this.states) if (!s.up) out.push(id);
    return out;
  }

  /**
   * One `up=0` sample at `time` for each AP whose last sample is down and that `select` keeps.
   * `lookup` gives the AP's current inventory entry; an AP gone from the inventory is forgotten.
   */
  restateDown(time: number, lookup: (id: string) => Device | undefined, select: (device: Device) => boolean = () => true): Point[] {
    const out: Point[] = [];
    for (const [id, s] of this.states) {
      if (s.up) continue;
      const device = lookup(id);
      if (!device) { this.states.delete(id); continue; }
      if (!select(device) || time < s.lastSampleAt) continue;
      s.lastSampleAt = time;
      out.push(statusPoint(device, false, time));
    }
    return out;
  }

  /**
   * Per AP, the time up to which its status is known: the last sample of a down AP (restatements
   * included), the start of an up AP's state (later up samples are evidence, not status).
   */
  floors(): Record<string, number> {
    const out: Record<string, number> = Object.fromEntries(this.floor);
    for (const [id, s] of this.states) out[id] = Math.max(out[id] ?? -Infinity, s.up ? s.since : s.lastSampleAt);
    return out;
  }

  restoreFloors(floors: Readonly<Record<string, number>>): void {
    for (const [id, t] of Object.entries(floors)) if (Number.isFinite(t)) this.floor.set(id, Math.max(this.floor.get(id) ?? -Infinity, t));
  }

  /** what the AP last said, as the tracker knows it (not a status: server/status/ decides that) */
  lastSample(deviceId: string): 'up' | 'down' | undefined {
    const s = this.states.get(deviceId);
    return s ? (s.up ? 'up' : 'down') : undefined;
  }
}

/** An AP's device_status sample: `up` alone (an AP's status and telemetry carry no round trip or reason). */
function statusPoint(device: Device, up: boolean, time: number): Point {
  return deviceStatusPoint(device, 'mqtt', time, { up });
}
