/**
 * Gathers the points of many messages into few sink writes. Messages parsed from one socket read
 * join one batch (a macrotask of grace); up to `maxInFlight` writes run at once, because the write
 * pipeline resolves a write only when its own batch is flushed (by size or by time): one write at a
 * time would cap ingest at one batch per flush interval. Batches are handed to the sink in arrival
 * order. Each add() resolves when the write that carried its points did.
 *
 * Bounded: while `maxPendingPoints` or more wait for a write slot (the sink is slow, or holds
 * writes back because the spool is full), whenRoom() waits; the collector calls it before letting
 * mqtt.js read the next packet, so a flood stops at the socket (TCP pushes back to the broker,
 * which keeps the messages) instead of growing this queue. add() itself never refuses: the one
 * caller that does not wait (the down restater) adds at most one point per down AP per interval.
 */
import type { Sink } from '../types.js';
import type { Point } from '../../core/point.js';

/**
 * The points of consecutive messages that will travel in one sink write, and that write's one
 * promise: every add() of the group returns it (a drain adds tens of thousands of messages a
 * second; one promise per write rather than per message, and the PUBACK gate reacts once per write).
 */
interface Group {
  points: Point[];
  promise: Promise<void>;
  resolve: () => void;
  reject: (err: Error) => void;
}

function newGroup(): Group {
  let resolve!: () => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<void>((res, rej) => { resolve = res; reject = rej; });
  return { points: [], promise, resolve, reject };
}

export class PointBatcher {
  /** groups waiting for a write slot; only the last one is still open to new messages */
  private pending: Group[] = [];
  private pendingPoints = 0;
  private roomWaiters: Array<() => void> = [];
  private readonly inFlight = new Set<Promise<void>>();
  private scheduled = false;

  constructor(
    private readonly sink: Sink,
    private readonly maxBatchPoints: number,
    private readonly maxInFlight: number,
    private readonly onWritten: (points: number) => void = () => {},
    /** default: as many as the writes in flight carry */
    private readonly maxPendingPoints: number = maxBatchPoints * maxInFlight,
  ) {}

  /** points waiting for a write slot */
  get pendingCount(): number {
    return this.pendingPoints;
  }

  /** Resolves at once unless `maxPendingPoints` or more wait; then when fewer do. */
  whenRoom(): Promise<void> {
    if (this.pendingPoints < this.maxPendingPoints) return Promise.resolve();
    return new Promise<void>((resolve) => this.roomWaiters.push(resolve));
  }

  add(points: readonly Point[]): Promise<void> {
    // messages stay whole: a group closes at the first message boundary at or after the cap
    let group = this.pending[this.pending.length - 1];
    if (!group || group.points.length >= this.maxBatchPoints) {
      group = newGroup();
      this.pending.push(group);
    }
    for (const p of points) group.points.push(p);
    this.pendingPoints += points.length;
    this.schedule();
    return group.promise;
  }

  /** Resolves when everything added so far has been written (or failed). */
  async flush(): Promise<void> {
    for (let i = 0; i < 1_000_000 && (this.pending.length > 0 || this.inFlight.size > 0); i++) {
      this.pump();
      if (this.inFlight.size > 0) await Promise.race(this.inFlight);
    }
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    while (this.pending.length > 0 && this.inFlight.size < this.maxInFlight) this.writeNext();
  }

  private writeNext(): void {
    const group = this.pending.shift()!;
    const points = group.points;
    this.pendingPoints -= points.length;
    if (this.pendingPoints < this.maxPendingPoints) for (const wake of this.roomWaiters.splice(0)) wake();
    const run: Promise<void> = this.sink.write(points).then(
      () => {
        this.onWritten(points.length);
        group.resolve();
      },
      (err: unknown) => group.reject(err instanceof Error ? err : new Error(String(err))),
    ).finally(() => {
      this.inFlight.delete(run);
      if (this.pending.length > 0) this.schedule();
    });
    this.inFlight.add(run);
  }
}
