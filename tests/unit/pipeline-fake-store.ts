/**
 * Fault-injection store for the pipeline's unit tests (test code only, never shipped): records
 * every write it accepts and fails on demand the way the real stores do.
 */
import type { Point } from '../../core/point.js';
import { type MetricStore } from '../../server/store/metric-store.js';
import { StoreRejectedError, StoreUnavailableError } from '../../core/point-writer.js';

export class FaultyStore implements Pick<MetricStore, 'write'> {
  /** every point accepted, in write order */
  readonly points: Point[] = [];
  /** sizes of the accepted writes */
  readonly writeSizes: number[] = [];
  attempts = 0;
  /** the next `failNext` writes throw StoreUnavailableError */
  failNext = 0;
  /** while true, every write throws StoreUnavailableError */
  down = false;
  /** a point for which this returns a reason makes the whole write throw StoreRejectedError */
  rejectReason: ((p: Point) => string | undefined) | undefined;
  private gate: Promise<void> | undefined;
  private openGate: (() => void) | undefined;

  async write(points: readonly Point[]): Promise<void> {
    this.attempts += 1;
    if (this.gate) await this.gate;
    if (this.down) throw new StoreUnavailableError('fake store is down');
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new StoreUnavailableError('fake store failed on purpose');
    }
    for (const p of points) {
      const reason = this.rejectReason?.(p);
      if (reason) throw new StoreRejectedError(reason);
    }
    this.points.push(...points);
    this.writeSizes.push(points.length);
  }

  /** writes hang until release() (a stalled store) */
  hold(): void {
    this.gate = new Promise((resolve) => { this.openGate = resolve; });
  }

  release(): void {
    this.gate = undefined;
    this.openGate?.();
  }
}

export function makePoints(n: number, start = 0, t0 = 1_700_000_000_000): Point[] {
  return Array.from({ length: n }, (_, i) => ({
    measurement: 'interface',
    tags: { device: `olt-${(start + i) % 7}`, ifName: `ge-0/0/${(start + i) % 48}` },
    fields: { seq: start + i, in_bps: (start + i) * 1.5 },
    time: t0 + start + i,
  }));
}

/** polls a condition (bounded) instead of sleeping a guessed time */
export async function waitFor(cond: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
