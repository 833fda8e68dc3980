import type { Point } from '../../core/point.js';
import type { PointWriter } from '../../core/point-writer.js';
import type { Logger } from '../../core/log.js';
import type { Registry } from '../../core/self-metrics.js';

/** BatchingWriter's options and its in-memory batch (batching-writer.ts says what each does). */
export interface BatchingWriterOptions {
  store: PointWriter;
  /** the spool lives in `<dataDir>/spool/` */
  dataDir: string;
  batchSize?: number;
  flushIntervalMs?: number;
  /**
   * store writes at once (default 2): batch N+1 goes out while N is still being written, unless the
   * two share a point identity (shared-points.ts); 1 sends one batch at a time
   */
  writesInFlight?: number;
  maxQueuePoints?: number;
  retryMinMs?: number;
  retryMaxMs?: number;
  maxSegmentBytes?: number;
  /** spool size cap (back-pressure above it); default 1 GiB */
  maxSpoolBytes?: number;
  /** health is degraded while the data dir's file system has less free space; default 512 MiB */
  minFreeBytes?: number;
  /** rejected.jsonl lines older than this are pruned at open and daily; default: never */
  rejectedRetentionMs?: number;
  registry?: Registry;
  logger?: Logger;
}

export class PointsDroppedError extends Error {
  override readonly name = 'PointsDroppedError';
}

export interface Batch {
  points: Point[];
  promise: Promise<void>;
  resolve(): void;
  reject(err: Error): void;
}

export function newBatch(): Batch {
  let resolve!: () => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<void>((res, rej) => { resolve = res; reject = rej; });
  promise.catch(() => undefined); // observed by write(); never an unhandled rejection
  return { points: [], promise, resolve, reject };
}
