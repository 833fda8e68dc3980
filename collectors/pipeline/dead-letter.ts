import fs from 'node:fs/promises';
import path from 'node:path';
import type { Point } from '../../core/point.js';
import type { Logger } from '../../core/log.js';
import PQueue from 'p-queue';

/**
 * Points the store refused (StoreRejectedError), one JSON line each with the reason, in
 * `<spool dir>/rejected.jsonl`. They are kept so an operator can fix the cause and re-send them
 * (`netatlas replay-rejected`); they never block the queue. Lines older than the retention are
 * pruned (README "Failure behaviour").
 *
 * Rewriting the file (prune, replay) never truncates it in place, because another process may be
 * appending: the file is renamed to a work file (appends that open afterwards create a new
 * rejected.jsonl), the lines to keep are appended back, and the work file is deleted.
 */
export interface DeadLetter {
  rejectedAt: string;
  reason: string;
  point: Point;
}

export class DeadLetterFile {
  readonly file: string;
  /** appends and rewrites one at a time, in call order (a rewrite must not lose an append) */
  private readonly serial = new PQueue({ concurrency: 1 });
  private counted: { size: number; mtimeMs: number; lines: number } | undefined;

  constructor(dir: string) {
    this.file = path.join(dir, 'rejected.jsonl');
  }

  append(points: readonly Point[], reason: string, now_ms: number = Date.now()): Promise<void> {
    const rejectedAt = new Date(now_ms).toISOString();
    return this.serial.add(() => appendLines(this.file, points.map((point) => JSON.stringify({ rejectedAt, reason, point }))));
  }

  /** Lines in the file (one per refused point); recounted only when its size or mtime changed. */
  async count(): Promise<number> {
    let st;
    try {
      st = await fs.stat(this.file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw err;
    }
    if (this.counted && this.counted.size === st.size && this.counted.mtimeMs === st.mtimeMs) return this.counted.lines;
    const lines = await countLines(this.file);
    this.counted = { size: st.size, mtimeMs: st.mtimeMs, lines };
    return lines;
  }

  /** Prunes lines older than `retention_ms` now and every 24 h; returns stop(). */
  startPruning(retention_ms: number, log: Logger): () => void {
    const pass = (): void => {
      this.prune(Date.now() - retention_ms)
        .then((n) => { if (n > 0) log.info({ pruned: n, file: this.file }, 'pruned refused points past their retention'); })
        .catch((err: unknown) => log.warn({ err }, 'could not prune the dead-letter file'));
    };
    pass();
    const timer = setInterval(pass, 24 * 3600_000).unref();
    return () => clearInterval(timer);
  }

  /** Drops lines rejected before `before_ms` (and unreadable lines). Returns how many were dropped. */
  prune(before_ms: number): Promise<number> {
    return this.serial.add(async () => {
      let dropped = 0;
      await rewrite(this.file, async (lines) => lines.filter((line) => {
        const at = Date.parse(parseLine(line)?.rejectedAt ?? '');
        const keep = Number.isFinite(at) && at >= before_ms;
        if (!keep) dropped++;
        return keep;
      }));
      return dropped;
    });
  }
}

export function parseLine(line: string): DeadLetter | undefined {
  try {
    const v = JSON.parse(line) as Partial<DeadLetter>;
    if (typeof v.rejectedAt === 'string' && typeof v.reason === 'string' && v.point && typeof v.point === 'object') return v as DeadLetter;
  } catch {
    // not JSON: the caller decides
  }
  return undefined;
}

async function appendLines(file: string, lines: readonly string[]): Promise<void> {
  if (lines.length === 0) return;
  const fh = await fs.open(file, 'a');
  try {
    await fh.writeFile(lines.join('\n') + '\n');
    await fh.datasync();
  } finally {
    await fh.close();
  }
}

/** how long a writer that opened the file just before the rename may take to finish its append */
const APPEND_GRACE_MS = 1000;

/**
 * Renames `file` aside, hands its lines (and those of a work file an interrupted earlier rewrite
 * left) to `keep`, appends what it returns back to `file`, then deletes the work file. A crash
 * after the append-back and before the delete repeats lines (harmless for points: they overwrite).
 */
export async function rewrite(file: string, keep: (lines: string[]) => Promise<string[]>): Promise<void> {
  const work = `${file}.work`;
  let hasWork = await exists(work);
  if (!hasWork) {
    try {
      await fs.rename(file, work);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    await new Promise((r) => setTimeout(r, APPEND_GRACE_MS));
    hasWork = true;
  }
  const lines = (await fs.readFile(work, 'utf8')).split('\n').filter((l) => l.length > 0);
  await appendLines(file, await keep(lines));
  await fs.rm(work, { force: true });
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

/** newline count, read in 64 KiB chunks (the file may be large) */
export async function countLines(file: string): Promise<number> {
  const fh = await fs.open(file, 'r');
  try {
    const { size } = await fh.stat();
    const buf = Buffer.allocUnsafe(64 * 1024);
    let lines = 0;
    for (let pos = 0; pos < size; ) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
      if (bytesRead === 0) break;
      for (let i = 0; i < bytesRead; i++) if (buf[i] === 10) lines++;
      pos += bytesRead;
    }
    return lines;
  } finally {
    await fh.close();
  }
}
