import fs from 'node:fs/promises';
import path from 'node:path';
import type { Point } from '../../server/store/point.js';

/**
 * Points the store refused (StoreRejectedError), one JSON line each with the reason, in
 * `<spool dir>/rejected.jsonl`. They are kept so an operator can fix and re-import them; they
 * never block the queue.
 */
export class DeadLetterFile {
  readonly file: string;

  constructor(dir: string) {
    this.file = path.join(dir, 'rejected.jsonl');
  }

  async append(points: readonly Point[], reason: string, now_ms: number = Date.now()): Promise<void> {
    const rejectedAt = new Date(now_ms).toISOString();
    const lines = points.map((point) => JSON.stringify({ rejectedAt, reason, point })).join('\n') + '\n';
    const fh = await fs.open(this.file, 'a');
    try {
      await fh.writeFile(lines);
      await fh.datasync();
    } finally {
      await fh.close();
    }
  }
}
