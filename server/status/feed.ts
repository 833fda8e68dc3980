/**
 * The status feed: how points that the write pipeline has made durable reach the live state
 * (live-state.ts) without a store read. The interface is the whole contract, kept tiny so that
 * it can be carried over a message channel (the pipeline in a worker thread or a child process
 * posts each written batch; the receiving side calls its listeners with it):
 *
 * - listeners get every batch the store accepted, in the order the writes completed (a batch
 *   replayed from the spool arrives when it is replayed, possibly long after its points' times);
 * - a batch may hold any measurement: listeners pick what they need (device_status,
 *   collector_status);
 * - nothing is promised about points written by other processes: the live state reconciles with
 *   the store periodically for those.
 */
import type { MetricStore } from '../store/metric-store.js';
import type { Point } from '../../core/point.js';

export interface StatusFeed {
  /** Listen to every batch of points the store has accepted; returns the function that stops listening. */
  onPoints(listener: (points: readonly Point[]) => void): () => void;
}

/** The in-process feed: `publish` calls every listener; a listener that throws does not stop the others. */
export class PointFeed implements StatusFeed {
  private readonly listeners = new Set<(points: readonly Point[]) => void>();

  onPoints(listener: (points: readonly Point[]) => void): () => void {
    this.listeners.add(listener);
    return () => { this.listeners.delete(listener); };
  }

  publish(points: readonly Point[]): void {
    if (points.length === 0) return;
    for (const l of this.listeners) {
      try { l(points); } catch { /* a listener's bug must not fail the write that fed it */ }
    }
  }
}

/**
 * The store as the write pipeline sees it (BatchingWriter's `store`), publishing each batch to
 * `feed` once `write` has resolved: only points the store holds are fed, and a batch that fails
 * (and is spooled) is fed when its replay succeeds.
 */
export function feedAfterWrite(store: Pick<MetricStore, 'write'>, feed: PointFeed): Pick<MetricStore, 'write'> {
  return {
    write: async (points) => {
      await store.write(points);
      feed.publish(points);
    },
  };
}
