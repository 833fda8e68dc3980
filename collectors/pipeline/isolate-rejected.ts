import type { Point } from '../../core/point.js';
import { StoreRejectedError } from '../../core/point-writer.js';

/**
 * Writes a batch the store refused, halving it until the refused points are isolated: the good
 * points are written, each refused point is handed to `onRejected` with the store's reason.
 * Work proceeds left to right, so when the store becomes unavailable midway the error carries
 * `done`, the count of leading points already handled, and the caller keeps only the rest.
 */
export class IsolationInterruptedError extends Error {
  override readonly name = 'IsolationInterruptedError';
  constructor(readonly done: number, override readonly cause: unknown) {
    super(`store failed after ${done} points of a rejected batch were handled`);
  }
}

export interface IsolationResult {
  written: number;
  rejected: number;
}

export async function writeIsolatingRejected(
  points: readonly Point[],
  write: (points: readonly Point[]) => Promise<void>,
  onRejected: (points: readonly Point[], reason: string) => Promise<void>,
  firstError?: StoreRejectedError,
): Promise<IsolationResult> {
  const result: IsolationResult = { written: 0, rejected: 0 };
  let done = 0;

  const handle = async (slice: readonly Point[], knownRejected?: StoreRejectedError): Promise<void> => {
    let error = knownRejected;
    if (!error) {
      try {
        await write(slice);
        result.written += slice.length;
        done += slice.length;
        return;
      } catch (err) {
        if (!(err instanceof StoreRejectedError)) throw new IsolationInterruptedError(done, err);
        error = err;
      }
    }
    if (slice.length === 1) {
      await onRejected(slice, error.message);
      result.rejected += 1;
      done += 1;
      return;
    }
    const mid = Math.ceil(slice.length / 2);
    await handle(slice.slice(0, mid));
    await handle(slice.slice(mid));
  };

  await handle(points, firstError);
  return result;
}
