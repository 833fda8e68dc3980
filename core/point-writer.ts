/**
 * The write side of a store, as the write pipeline sees it: the pipeline (collectors/pipeline/)
 * writes to it, the stores (server/store/) implement it, and the two errors say which failures
 * are worth retrying. Shared here so that the pipeline does not import the store.
 */
import type { Point } from './point.js';

export interface PointWriter {
  /**
   * Persist points. Rejects (StoreUnavailableError or StoreRejectedError) without partial success
   * guarantees; callers retry whole batches, which is safe because writes are idempotent.
   */
  write(points: readonly Point[]): Promise<void>;
}

/** The store could not be reached or failed transiently: retry later (the pipeline spools). */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
}

/** The store refused the points themselves (e.g. field type conflict): retrying will not help. */
export class StoreRejectedError extends Error {
  override readonly name = 'StoreRejectedError';
}
