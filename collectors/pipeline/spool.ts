import fs, { type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { Point } from '../../core/point.js';
import { silentLogger, type Logger } from '../../core/log.js';
import { encodeRecord, findNextRecord, readRecord } from './spool-format.js';
import { fsyncDir } from '../../io/atomic-write.js';
import { readCursor, writeCursor, type SpoolCursor } from './spool-cursor.js';
import PQueue from 'p-queue';

/**
 * Durable FIFO of point batches on disk: append-only segment files `<dir>/000001.spool`, …,
 * rotated at `maxSegmentBytes`, one fsync per appended batch. Replay reads in append order and
 * acknowledges each record once the store has it; the acknowledged position is kept in
 * `cursor.json`, and fully replayed segments are deleted. Delivery is at-least-once: a crash
 * between a store write and its ack replays that record again, which the stores absorb because
 * a point's identity (measurement + tags + time) overwrites.
 *
 * Opening recovers from a crash mid-append: a segment is cut at its last whole record and the
 * discarded byte count is logged. A corrupt record in the middle of a segment (a bad sector, a
 * bit flip) is stepped over: the next record is found by its magic and checked by its CRC, the
 * skipped bytes are logged, and the good records after it are kept.
 */
export interface SpoolOptions {
  dir: string;
  /** rotate to a new segment file past this size; default 64 MiB */
  maxSegmentBytes?: number;
  logger?: Logger;
}

export interface SpoolRecord {
  points: Point[];
  segment: number;
  offset: number;
  nextOffset: number;
}

interface Segment {
  seq: number;
  /** bytes of whole, checked records (anything past it is ignored and cut on reopen) */
  size: number;
}

const SEGMENT_RE = /^(\d{6,})\.spool$/;
const segmentName = (seq: number): string => `${String(seq).padStart(6, '0')}.spool`;

export class Spool {
  /** one task at a time, in call order: the segment files have one writer and one reader */
  private readonly serial = new PQueue({ concurrency: 1 });
  private writeHandle: FileHandle | undefined;
  /** set when a failed append could not be undone: the next append starts a fresh segment */
  private writeSegmentTainted = false;
  private closed = false;

  private constructor(
    readonly dir: string,
    private readonly maxSegmentBytes: number,
    private readonly log: Logger,
    private readonly segments: Segment[],
    private cursor: SpoolCursor,
    private records: number,
  ) {}

  static async open(options: SpoolOptions): Promise<Spool> {
    const log = options.logger ?? silentLogger;
    const dir = options.dir;
    await fs.mkdir(dir, { recursive: true });
    const seqs = (await fs.readdir(dir))
      .map((f) => SEGMENT_RE.exec(f)?.[1])
      .filter((s): s is string => s !== undefined)
      .map(Number)
      .sort((a, b) => a - b);

    const stored = await readCursor(dir);
    if (stored === 'corrupt') log.warn({ dir }, 'spool cursor file is unreadable; replaying every segment from its start');
    let cursor: SpoolCursor | undefined = stored === 'corrupt' ? undefined : stored;
    const segments: Segment[] = [];
    let records = 0;
    for (const seq of seqs) {
      const file = path.join(dir, segmentName(seq));
      if (cursor && seq < cursor.segment) {
        // replayed completely before a crash that came before its deletion
        await fs.rm(file, { force: true });
        continue;
      }
      const scanned = await scanSegment(file, seq, log);
      const replayFrom = cursor && cursor.segment === seq ? cursor.offset : 0;
      records += scanned.boundaries.filter((b) => b >= replayFrom).length;
      if (cursor && cursor.segment === seq && !scanned.boundaries.includes(cursor.offset) && cursor.offset !== scanned.size) {
        // a cursor inside a record (or past a cut tail) cannot be honoured exactly: resume at the next whole record
        const behind = cursor.offset;
        const next: number = scanned.boundaries.find((b) => b > behind) ?? scanned.size;
        log.warn({ segment: seq, cursorOffset: cursor.offset, resumeAt: next }, 'spool cursor is not on a record boundary');
        cursor = { segment: seq, offset: next };
      }
      segments.push({ seq, size: scanned.size });
    }
    if (!cursor || !segments.some((s) => s.seq === cursor!.segment)) {
      cursor = segments[0] ? { segment: segments[0].seq, offset: 0 } : { segment: (cursor?.segment ?? 0) + 1, offset: 0 };
    }
    if (segments.length === 0) {
      segments.push({ seq: cursor.segment, size: 0 });
    }
    const spool = new Spool(dir, options.maxSegmentBytes ?? 64 * 1024 * 1024, log, segments, cursor, records);
    await spool.openWriteSegment();
    if (records > 0) log.info({ dir, records, bytes: spool.pendingBytes }, 'spool holds batches to replay');
    return spool;
  }

  /** batches appended and not yet acknowledged */
  get pendingRecords(): number {
    return this.records;
  }

  get isEmpty(): boolean {
    return this.records === 0;
  }

  /** bytes of unacknowledged records on disk */
  get pendingBytes(): number {
    let bytes = 0;
    for (const s of this.segments) {
      if (s.seq > this.cursor.segment) bytes += s.size;
      else if (s.seq === this.cursor.segment) bytes += s.size - this.cursor.offset;
    }
    return bytes;
  }

  /** Appends one batch and fsyncs it. Throws (e.g. ENOSPC) leaving the spool as it was. */
  append(points: readonly Point[]): Promise<void> {
    return this.serial.add(async () => {
      this.assertOpen();
      const record = encodeRecord(points);
      let seg = this.writeSegment();
      if (this.writeSegmentTainted || (seg.size > 0 && seg.size + record.length > this.maxSegmentBytes)) {
        await this.rotate();
        seg = this.writeSegment();
      }
      const fh = this.writeHandle!;
      try {
        let written = 0;
        while (written < record.length) {
          const { bytesWritten } = await fh.write(record, written, record.length - written, seg.size + written);
          written += bytesWritten;
        }
        await fh.datasync();
      } catch (err) {
        await this.undoPartialAppend(fh, seg);
        throw err;
      }
      seg.size += record.length;
      this.records += 1;
    });
  }

  /** The oldest unacknowledged batch, or undefined when the spool is empty. */
  peek(): Promise<SpoolRecord | undefined> {
    return this.serial.add(async () => {
      this.assertOpen();
      for (;;) {
        const seg = this.segments.find((s) => s.seq === this.cursor.segment)!;
        if (this.cursor.offset < seg.size) {
          const record = await this.readAt(seg, this.cursor.offset);
          if (record) return record;
          continue; // the segment was cut at the bad record; look again
        }
        if (seg === this.writeSegment()) {
          this.records = 0; // nothing readable is left, whatever the count said
          return undefined;
        }
        await this.advancePast(seg);
      }
    });
  }

  /** Marks a batch returned by peek() as stored. Must be called in peek order. */
  ack(record: SpoolRecord): Promise<void> {
    return this.serial.add(async () => {
      this.assertOpen();
      if (record.segment !== this.cursor.segment || record.offset !== this.cursor.offset) {
        throw new Error(`spool ack out of order: ${record.segment}:${record.offset}, cursor at ${this.cursor.segment}:${this.cursor.offset}`);
      }
      this.cursor = { segment: record.segment, offset: record.nextOffset };
      this.records -= 1;
      const seg = this.writeSegment();
      if (this.records === 0 && seg.seq === this.cursor.segment && seg.size > 0) {
        // drained: start a fresh segment so the replayed one can be deleted
        await this.rotate();
        await this.advancePast(seg);
      } else {
        await writeCursor(this.dir, this.cursor);
      }
    });
  }

  close(): Promise<void> {
    return this.serial.add(async () => {
      if (this.closed) return;
      this.closed = true;
      await this.writeHandle?.close();
      this.writeHandle = undefined;
    });
  }

  private writeSegment(): Segment {
    return this.segments[this.segments.length - 1]!;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('spool is closed');
  }

  private async openWriteSegment(): Promise<void> {
    const seg = this.writeSegment();
    const file = path.join(this.dir, segmentName(seg.seq));
    // 'a+' would ignore positions on Linux; create without truncating, then write at known offsets
    const fh = await fs.open(file, 'a');
    await fh.close();
    this.writeHandle = await fs.open(file, 'r+');
    await fsyncDir(this.dir);
  }

  private async rotate(): Promise<void> {
    await this.writeHandle?.close();
    this.segments.push({ seq: this.writeSegment().seq + 1, size: 0 });
    this.writeSegmentTainted = false;
    await this.openWriteSegment();
  }

  /** Moves the cursor to the next segment (durably first) and deletes the finished one. */
  private async advancePast(seg: Segment): Promise<void> {
    const index = this.segments.indexOf(seg);
    const next = this.segments[index + 1]!;
    this.cursor = { segment: next.seq, offset: 0 };
    await writeCursor(this.dir, this.cursor);
    this.segments.splice(index, 1);
    await fs.rm(path.join(this.dir, segmentName(seg.seq)), { force: true });
  }

  private async readAt(seg: Segment, offset: number): Promise<SpoolRecord | undefined> {
    const fh = await fs.open(path.join(this.dir, segmentName(seg.seq)), 'r');
    try {
      const result = await readRecord(fh, offset, seg.size);
      if (result.ok) return { points: result.points, segment: seg.seq, offset, nextOffset: offset + result.bytes };
      // a corrupt record (found at open, or since): hand out the next good one from this offset, so
      // that acknowledging it moves the cursor past the bad bytes too
      const next = await findNextRecord(fh, offset, seg.size);
      if (next) {
        this.log.error({ segment: seg.seq, offset, skippedBytes: next.offset - offset, reason: result.reason }, 'spool record unreadable at replay; skipped to the next good record');
        return { points: next.points, segment: seg.seq, offset, nextOffset: next.offset + next.bytes };
      }
      // Records were checked when appended or scanned, so this means the disk changed under us.
      this.log.error({ segment: seg.seq, offset, discardedBytes: seg.size - offset, reason: result.reason }, 'spool record unreadable at replay; skipping the rest of its segment');
      this.records = Math.max(0, this.records - 1);
      seg.size = offset;
      if (seg === this.writeSegment()) this.writeSegmentTainted = true;
      return undefined;
    } finally {
      await fh.close();
    }
  }

  private async undoPartialAppend(fh: FileHandle, seg: Segment): Promise<void> {
    try {
      await fh.truncate(seg.size);
      await fh.datasync();
    } catch (err) {
      // the partial record stays on disk past seg.size: never read, cut on reopen; write elsewhere
      this.writeSegmentTainted = true;
      this.log.error({ err, segment: seg.seq }, 'could not undo a failed spool append');
    }
  }
}

interface ScannedSegment {
  /** start offsets of the whole records */
  boundaries: number[];
  size: number;
}

async function scanSegment(file: string, seq: number, log: Logger): Promise<ScannedSegment> {
  const fh = await fs.open(file, 'r+');
  try {
    const { size: fileSize } = await fh.stat();
    const boundaries: number[] = [];
    let offset = 0;
    while (offset < fileSize) {
      const result = await readRecord(fh, offset, fileSize);
      if (!result.ok) {
        const next = await findNextRecord(fh, offset, fileSize);
        if (next) {
          // the bytes stay on disk; replay steps over them the same way (readAt)
          log.error(
            { segment: seq, file, offset, skippedBytes: next.offset - offset, reason: result.reason },
            'spool segment has a corrupt record in the middle; skipped it, the records after it are kept',
          );
          offset = next.offset;
          continue;
        }
        log.warn(
          { segment: seq, file, keptBytes: offset, discardedBytes: fileSize - offset, reason: result.reason },
          'spool segment has a torn or corrupt tail; cut at the last whole record',
        );
        await fh.truncate(offset);
        await fh.sync();
        break;
      }
      boundaries.push(offset);
      offset += result.bytes;
    }
    return { boundaries, size: offset };
  } finally {
    await fh.close();
  }
}
