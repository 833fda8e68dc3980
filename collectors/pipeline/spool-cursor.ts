import fs from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../../io/atomic-write.js';

/**
 * The replay position, kept durably so a restart resumes where replay stopped: every record in
 * segments before `segment`, and every record of `segment` before `offset`, is in the store.
 */
export interface SpoolCursor {
  segment: number;
  offset: number;
}

const CURSOR_FILE = 'cursor.json';

export async function readCursor(dir: string): Promise<SpoolCursor | undefined | 'corrupt'> {
  let text: string;
  try {
    text = await fs.readFile(path.join(dir, CURSOR_FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const c = JSON.parse(text) as Partial<SpoolCursor>;
    if (Number.isSafeInteger(c.segment) && Number.isSafeInteger(c.offset) && c.offset! >= 0) {
      return { segment: c.segment!, offset: c.offset! };
    }
  } catch {
    // fall through: a cursor we cannot read is reported as corrupt
  }
  return 'corrupt';
}

/** Written atomically (io/atomic-write.ts): the cursor is either old or new, never torn. */
export async function writeCursor(dir: string, cursor: SpoolCursor): Promise<void> {
  await writeFileAtomic(path.join(dir, CURSOR_FILE), JSON.stringify(cursor));
}
