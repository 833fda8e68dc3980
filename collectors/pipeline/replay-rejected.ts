import path from 'node:path';
import type { Point } from '../../core/point.js';
import { StoreRejectedError, type PointWriter } from '../../core/point-writer.js';
import { parseLine, rewrite, type DeadLetter } from './dead-letter.js';
import { IsolationInterruptedError, writeIsolatingRejected } from './isolate-rejected.js';

/**
 * `netatlas replay-rejected`: re-sends the points in `<dataDir>/spool/rejected.jsonl` after the
 * cause was fixed (a field type conflict resolved, max-body-size raised, retention widened). Points
 * the store takes are removed from the file; points it still refuses stay, with the store's new
 * reason (and their first rejectedAt, so retention still counts from the first refusal); when the
 * store is unavailable the replay stops and everything not yet sent stays. Lines that are not
 * dead letters are kept untouched. Safe while the service runs: see DeadLetterFile's rewrite.
 */
export interface ReplayRejectedResult {
  /** points the store took (removed from the file) */
  stored: number;
  /** points it refused again (kept) */
  stillRejected: number;
  /** points not sent because the store became unavailable (kept) */
  notSent: number;
  /** lines that were not readable dead letters (kept) */
  unreadable: number;
  /** why the replay stopped early, if it did */
  stoppedBy?: string;
}

export async function replayRejected(opts: { store: PointWriter; dataDir: string; batchSize?: number }): Promise<ReplayRejectedResult> {
  const file = path.join(opts.dataDir, 'spool', 'rejected.jsonl');
  const batchSize = opts.batchSize ?? 5000;
  const result: ReplayRejectedResult = { stored: 0, stillRejected: 0, notSent: 0, unreadable: 0 };
  await rewrite(file, async (lines) => {
    const keep: string[] = [];
    const letters: DeadLetter[] = [];
    for (const line of lines) {
      const letter = parseLine(line);
      if (letter) letters.push(letter);
      else { keep.push(line); result.unreadable++; }
    }
    for (let i = 0; i < letters.length; i += batchSize) {
      const batch = letters.slice(i, i + batchSize);
      if (result.stoppedBy !== undefined) {
        keep.push(...batch.map((l) => JSON.stringify(l)));
        result.notSent += batch.length;
        continue;
      }
      const byPoint = new Map<Point, DeadLetter>(batch.map((l) => [l.point, l]));
      const write = async (points: readonly Point[]): Promise<void> => {
        await opts.store.write(points);
        result.stored += points.length;
      };
      const refused = async (points: readonly Point[], reason: string): Promise<void> => {
        for (const p of points) keep.push(JSON.stringify({ ...byPoint.get(p)!, reason }));
        result.stillRejected += points.length;
      };
      try {
        await writeIsolatingRejected(batch.map((l) => l.point), write, refused);
      } catch (err) {
        const done = err instanceof IsolationInterruptedError ? err.done : 0;
        const cause = err instanceof IsolationInterruptedError ? err.cause : err;
        if (cause instanceof StoreRejectedError) throw cause;
        result.stoppedBy = (cause as Error)?.message ?? String(cause);
        const rest = batch.slice(done);
        keep.push(...rest.map((l) => JSON.stringify(l)));
        result.notSent += rest.length;
      }
    }
    return keep;
  });
  return result;
}
