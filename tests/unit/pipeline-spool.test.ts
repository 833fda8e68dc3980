import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { Spool } from '../../collectors/pipeline/spool.js';
import { encodeRecord } from '../../collectors/pipeline/spool-format.js';
import { crc32Fallback } from '../../collectors/pipeline/crc32.js';
import { makePoints } from './pipeline-fake-store.js';

let dir: string;
beforeEach(async () => { dir = await fs.mkdtemp(path.join(os.tmpdir(), 'netatlas-spool-')); });
afterEach(async () => { await fs.rm(dir, { recursive: true, force: true }); });

function captureLogger(): { logger: pino.Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) { lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>); cb(); },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

async function drain(spool: Spool): Promise<number[][]> {
  const batches: number[][] = [];
  for (let i = 0; i < 10_000; i++) {
    const rec = await spool.peek();
    if (!rec) return batches;
    batches.push(rec.points.map((p) => p.fields['seq'] as number));
    await spool.ack(rec);
  }
  throw new Error('spool did not drain within 10 000 records');
}

const seqs = (from: number, n: number): number[] => Array.from({ length: n }, (_, i) => from + i);

describe('spool', () => {
  it('returns appended batches oldest first, and again after a reopen', async () => {
    const spool = await Spool.open({ dir });
    for (let b = 0; b < 4; b++) await spool.append(makePoints(10, b * 10));
    expect(spool.pendingRecords).toBe(4);
    await spool.close();
    const reopened = await Spool.open({ dir });
    expect(reopened.pendingRecords).toBe(4);
    expect(await drain(reopened)).toEqual([seqs(0, 10), seqs(10, 10), seqs(20, 10), seqs(30, 10)]);
    expect(reopened.isEmpty).toBe(true);
    expect(reopened.pendingBytes).toBe(0);
    await reopened.close();
  });

  it('resumes after a restart at the first batch that was not acknowledged', async () => {
    const spool = await Spool.open({ dir });
    for (let b = 0; b < 5; b++) await spool.append(makePoints(3, b * 3));
    for (let i = 0; i < 2; i++) await spool.ack((await spool.peek())!);
    await spool.close();
    const reopened = await Spool.open({ dir });
    expect(reopened.pendingRecords).toBe(3);
    expect(await drain(reopened)).toEqual([seqs(6, 3), seqs(9, 3), seqs(12, 3)]);
    await reopened.close();
  });

  it('recovers a segment torn mid-record up to its last whole record and logs the bytes discarded', async () => {
    const spool = await Spool.open({ dir });
    for (let b = 0; b < 3; b++) await spool.append(makePoints(20, b * 20));
    await spool.close();
    const segment = path.join(dir, '000001.spool');
    const whole = (await fs.stat(segment)).size;
    const torn = encodeRecord(makePoints(20, 60)).subarray(0, 150); // a crash halfway through an append
    await fs.appendFile(segment, torn);

    const { logger, lines } = captureLogger();
    const reopened = await Spool.open({ dir, logger });
    expect(reopened.pendingRecords).toBe(3);
    expect((await fs.stat(segment)).size).toBe(whole);
    const warning = lines.find((l) => String(l['msg']).includes('torn or corrupt tail'));
    expect(warning?.['discardedBytes']).toBe(150);
    expect(warning?.['reason']).toBe('torn payload');

    await reopened.append(makePoints(5, 100)); // appends continue cleanly after the cut
    expect(await drain(reopened)).toEqual([seqs(0, 20), seqs(20, 20), seqs(40, 20), seqs(100, 5)]);
    await reopened.close();
  });

  it('discards garbage and zero-filled tails without crashing', async () => {
    const spool = await Spool.open({ dir });
    await spool.append(makePoints(4, 0));
    await spool.append(makePoints(4, 4));
    await spool.close();
    const segment = path.join(dir, '000001.spool');
    await fs.appendFile(segment, Buffer.concat([Buffer.alloc(4096), Buffer.from('garbage after zeros')]));
    const first = await Spool.open({ dir });
    expect(await drain(first)).toEqual([seqs(0, 4), seqs(4, 4)]);
    await first.close();

    const again = await Spool.open({ dir });
    await again.append(makePoints(2, 8));
    await again.close();
    const files = (await fs.readdir(dir)).filter((f) => f.endsWith('.spool'));
    const last = path.join(dir, files.sort().at(-1)!);
    await fs.appendFile(last, Buffer.from('\xde\xad\xbe\xef not a record at all', 'latin1'));
    const third = await Spool.open({ dir });
    expect(await drain(third)).toEqual([seqs(8, 2)]);
    await third.close();
  });

  it('rejects a record whose payload bytes were altered (CRC mismatch)', async () => {
    const spool = await Spool.open({ dir });
    await spool.append(makePoints(4, 0));
    await spool.append(makePoints(4, 4));
    await spool.close();
    const segment = path.join(dir, '000001.spool');
    const bytes = await fs.readFile(segment);
    const secondStart = encodeRecord(makePoints(4, 0)).length;
    bytes[secondStart + 20] = bytes[secondStart + 20]! ^ 0xff;
    await fs.writeFile(segment, bytes);
    const { logger, lines } = captureLogger();
    const reopened = await Spool.open({ dir, logger });
    expect(await drain(reopened)).toEqual([seqs(0, 4)]);
    expect(lines.some((l) => l['reason'] === 'CRC mismatch')).toBe(true);
    await reopened.close();
  });

  it('keeps the good records after a corrupt record in the middle of a segment (found at open)', async () => {
    const spool = await Spool.open({ dir });
    for (let b = 0; b < 3; b++) await spool.append(makePoints(4, b * 4));
    await spool.close();
    const segment = path.join(dir, '000001.spool');
    const bytes = await fs.readFile(segment);
    const [R0, R1, R2] = [0, 4, 8].map((start) => encodeRecord(makePoints(4, start)).length) as [number, number, number];
    expect(bytes.length).toBe(R0 + R1 + R2);
    bytes[R0 + 20] = bytes[R0 + 20]! ^ 0xff; // a flipped bit in the middle record's payload
    await fs.writeFile(segment, bytes);
    const { logger, lines } = captureLogger();
    const reopened = await Spool.open({ dir, logger });
    expect(reopened.pendingRecords).toBe(2);
    expect(await drain(reopened)).toEqual([seqs(0, 4), seqs(8, 4)]);
    const skipped = lines.find((l) => String(l['msg']).includes('corrupt record in the middle'));
    expect([skipped?.['reason'], skipped?.['skippedBytes']]).toEqual(['CRC mismatch', R1]);
    await reopened.close();
  });

  it('steps over a record corrupted while the spool is open and replays the ones after it', async () => {
    const { logger, lines } = captureLogger();
    const spool = await Spool.open({ dir, logger });
    for (let b = 0; b < 3; b++) await spool.append(makePoints(4, b * 4));
    const segment = path.join(dir, '000001.spool');
    const [R0, R1] = [0, 4].map((start) => encodeRecord(makePoints(4, start)).length) as [number, number];
    const fh = await fs.open(segment, 'r+');
    await fh.write(Buffer.from('XXXX'), 0, 4, R0); // the middle record's magic overwritten
    await fh.close();
    expect(await drain(spool)).toEqual([seqs(0, 4), seqs(8, 4)]);
    expect(lines.some((l) => String(l['msg']).includes('skipped to the next good record') && l['skippedBytes'] === R1)).toBe(true);
    expect(spool.isEmpty).toBe(true);
    await spool.close();
  });

  it('rotates segments at the size limit, replays across them in order and deletes replayed ones', async () => {
    const recordBytes = encodeRecord(makePoints(10, 0)).length;
    const spool = await Spool.open({ dir, maxSegmentBytes: recordBytes * 3 });
    for (let b = 0; b < 10; b++) await spool.append(makePoints(10, b * 10));
    const segmentsBefore = (await fs.readdir(dir)).filter((f) => f.endsWith('.spool'));
    expect(segmentsBefore.length).toBeGreaterThanOrEqual(4);
    for (let i = 0; i < 5; i++) await spool.ack((await spool.peek())!);
    await spool.close();

    const reopened = await Spool.open({ dir, maxSegmentBytes: recordBytes * 3 });
    expect(reopened.pendingRecords).toBe(5);
    expect(await drain(reopened)).toEqual(Array.from({ length: 5 }, (_, i) => seqs(50 + i * 10, 10)));
    await reopened.close();
    const segmentsAfter = (await fs.readdir(dir)).filter((f) => f.endsWith('.spool'));
    expect(segmentsAfter).toHaveLength(1);
    expect((await fs.stat(path.join(dir, segmentsAfter[0]!))).size).toBe(0);
  });

  it('leaves the spool unchanged when an append fails (disk full)', async () => {
    const spool = await Spool.open({ dir });
    await spool.append(makePoints(3, 0));
    await spool.close();
    // the next segment is /dev/full: every write to it fails with ENOSPC
    await fs.symlink('/dev/full', path.join(dir, '000002.spool'));
    const full = await Spool.open({ dir });
    await expect(full.append(makePoints(3, 3))).rejects.toMatchObject({ code: 'ENOSPC' });
    expect(full.pendingRecords).toBe(1);
    await full.append(makePoints(3, 6)); // goes to a fresh segment
    expect(await drain(full)).toEqual([seqs(0, 3), seqs(6, 3)]);
    await full.close();
  });

  it('computes the same CRC-32 as zlib in its fallback', () => {
    const data = Buffer.from(JSON.stringify(makePoints(50)));
    expect(crc32Fallback(data)).toBe(zlib.crc32(data) >>> 0);
    expect(crc32Fallback(Buffer.from('123456789'))).toBe(0xcbf43926);
  });
});
