/**
 * Gathers the points of many messages into few sink writes. One write is in flight at a time, so
 * while the sink is busy the next batch grows instead of queueing many small writes, and batches
 * reach the sink in arrival order. Each add() resolves when the write that carried its points did.
 */
import type { Sink } from '../types.js';
import type { Point } from '../../server/store/point.js';

interface Entry {
  points: readonly Point[];
  resolve: () => void;
  reject: (err: Error) => void;
}

export class PointBatcher {
  private pending: Entry[] = [];
  private inFlight: Promise<void> | undefined;
  private scheduled = false;

  constructor(
    private readonly sink: Sink,
    private readonly maxBatchPoints: number,
    private readonly onWritten: (points: number) => void = () => {},
  ) {}

  add(points: readonly Point[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ points, resolve, reject });
      this.schedule();
    });
  }

  /** Resolves when everything added so far has been written (or failed). */
  async flush(): Promise<void> {
    for (let i = 0; i < 1_000_000 && (this.pending.length > 0 || this.inFlight); i++) {
      if (this.inFlight) await this.inFlight;
      else await this.writeNext();
    }
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight) return;
    this.scheduled = true;
    // one macrotask of grace: messages parsed from the same socket read join this batch
    setImmediate(() => {
      this.scheduled = false;
      if (!this.inFlight) void this.writeNext();
    });
  }

  private writeNext(): Promise<void> {
    if (this.pending.length === 0) return Promise.resolve();
    // entries are whole messages: cut the batch at the first message boundary at or after the cap
    let n = 0;
    let count = 0;
    while (n < this.pending.length && count < this.maxBatchPoints) count += this.pending[n++]!.points.length;
    const waiters = this.pending.slice(0, n);
    this.pending = this.pending.slice(n);
    const points = waiters.flatMap((w) => w.points);
    const run = this.sink.write(points).then(
      () => {
        this.onWritten(points.length);
        for (const w of waiters) w.resolve();
      },
      (err: unknown) => {
        const e = err instanceof Error ? err : new Error(String(err));
        for (const w of waiters) w.reject(e);
      },
    );
    this.inFlight = run.finally(() => {
      this.inFlight = undefined;
      if (this.pending.length > 0) this.schedule();
    });
    return this.inFlight;
  }
}
