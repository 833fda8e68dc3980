/**
 * Restates every AP whose last sample is down, once per effective interval, while the collector is
 * connected and subscribed. A down state holds only while its collector restates it (server/status
 * semantics.ts: 2.5 intervals without a restatement means nobody is watching); an AP whose power is
 * cut says `offline` once (its Last Will) and then nothing, so without this its outage would read
 * down for 2.5 intervals and unknown after.
 *
 * One timer per distinct effective interval (few: the default and the inventory's `intervalS`
 * values), each restating, in one batch, the down APs of that interval. Paused while the collector
 * cannot see the broker: a restatement there would claim knowledge we do not have.
 */
import type { Device } from '../../core/device.js';
import type { Point } from '../../core/point.js';
import type { StatusTracker } from './status-tracker.js';

export interface DownRestaterOptions {
  tracker: StatusTracker;
  /** the AP's current inventory entry (undefined: gone, forgotten) */
  lookup: (id: string) => Device | undefined;
  /** the AP's effective interval in ms (server/status's intervalSOf, from the collector context) */
  intervalMsOf: (device: Device) => number;
  now: () => number;
  write: (points: Point[]) => void;
}

export class DownRestater {
  private readonly timers = new Map<number, NodeJS.Timeout>();
  private running = false;

  constructor(private readonly o: DownRestaterOptions) {}

  /** Start restating (after each subscription): a timer for each interval of an AP known down. */
  resume(): void {
    this.running = true;
    this.sync();
  }

  /** An AP was just said down: from now on it is restated at its interval. */
  noteDown(device: Device): void {
    if (this.running) this.ensure(this.o.intervalMsOf(device));
  }

  /** Stop restating (disconnected or stopping); the tracker keeps what it knows. */
  pause(): void {
    this.running = false;
    for (const t of this.timers.values()) clearInterval(t);
    this.timers.clear();
  }

  /** the intervals (ms) that currently have a timer, for tests */
  intervals(): number[] {
    return [...this.timers.keys()].sort((a, b) => a - b);
  }

  private tick(intervalMs: number): void {
    if (!this.running) return;
    const points = this.o.tracker.restateDown(this.o.now(), this.o.lookup, (d) => this.o.intervalMsOf(d) === intervalMs);
    if (points.length > 0) this.o.write(points);
    // an AP back up, gone from the inventory, or whose intervalS changed: timers follow
    this.sync();
  }

  /** one timer per interval of the APs known down, and none other */
  private sync(): void {
    const wanted = new Set<number>();
    for (const id of this.o.tracker.downIds()) {
      const d = this.o.lookup(id);
      if (d) wanted.add(this.o.intervalMsOf(d));
    }
    for (const [ms, t] of this.timers) {
      if (!wanted.has(ms)) { clearInterval(t); this.timers.delete(ms); }
    }
    if (this.running) for (const ms of wanted) this.ensure(ms);
  }

  private ensure(intervalMs: number): void {
    if (this.timers.has(intervalMs)) return;
    const t = setInterval(() => this.tick(intervalMs), intervalMs);
    t.unref();
    this.timers.set(intervalMs, t);
  }
}
