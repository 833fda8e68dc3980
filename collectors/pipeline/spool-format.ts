import type { FileHandle } from 'node:fs/promises';
import type { Point } from '../../core/point.js';
import { crc32 } from './crc32.js';

/**
 * The spool's own record format (deliberately independent of line protocol, so that a change in
 * how a store encodes points never makes an old spool unreadable):
 *
 *   magic "NAS1" (4 bytes) | payload length (uint32 BE) | CRC-32 of payload (uint32 BE) | payload
 *
 * The payload is the JSON of one batch (an array of Points). The magic catches zero-filled
 * tails (a crash after the file grew but before its data reached the disk reads back as zeros),
 * and the CRC catches torn or garbled payloads.
 */
export const RECORD_MAGIC = 0x4e415331;
export const HEADER_BYTES = 12;
/** a record larger than this is taken for garbage, not allocated */
export const MAX_RECORD_BYTES = 256 * 1024 * 1024;

export function encodeRecord(points: readonly Point[]): Buffer {
  const payload = Buffer.from(JSON.stringify(points), 'utf8');
  const record = Buffer.allocUnsafe(HEADER_BYTES + payload.length);
  record.writeUInt32BE(RECORD_MAGIC, 0);
  record.writeUInt32BE(payload.length, 4);
  record.writeUInt32BE(crc32(payload), 8);
  payload.copy(record, HEADER_BYTES);
  return record;
}

export type ReadResult =
  | { ok: true; points: Point[]; bytes: number }
  | { ok: false; reason: string };

async function readExactly(fh: FileHandle, length: number, position: number): Promise<Buffer | undefined> {
  const buf = Buffer.allocUnsafe(length);
  let got = 0;
  while (got < length) {
    const { bytesRead } = await fh.read(buf, got, length - got, position + got);
    if (bytesRead === 0) return undefined;
    got += bytesRead;
  }
  return buf;
}

/**
 * Reads and checks the record at `offset`, never past `end` (the segment's known-good size).
 * Returns why the record is unusable instead of throwing, so the caller decides to truncate.
 */
export async function readRecord(fh: FileHandle, offset: number, end: number): Promise<ReadResult> {
  if (end - offset < HEADER_BYTES) return { ok: false, reason: `torn header (${end - offset} bytes)` };
  const header = await readExactly(fh, HEADER_BYTES, offset);
  if (!header) return { ok: false, reason: 'torn header' };
  if (header.readUInt32BE(0) !== RECORD_MAGIC) return { ok: false, reason: 'bad magic' };
  const length = header.readUInt32BE(4);
  if (length === 0 || length > MAX_RECORD_BYTES) return { ok: false, reason: `implausible length ${length}` };
  if (offset + HEADER_BYTES + length > end) return { ok: false, reason: 'torn payload' };
  const payload = await readExactly(fh, length, offset + HEADER_BYTES);
  if (!payload) return { ok: false, reason: 'torn payload' };
  if (crc32(payload) !== header.readUInt32BE(8)) return { ok: false, reason: 'CRC mismatch' };
  let points: unknown;
  try {
    points = JSON.parse(payload.toString('utf8'));
  } catch {
    return { ok: false, reason: 'payload is not JSON' };
  }
  if (!Array.isArray(points)) return { ok: false, reason: 'payload is not an array of points' };
  return { ok: true, points: points as Point[], bytes: HEADER_BYTES + length };
}

const MAGIC_BYTES = Buffer.from([0x4e, 0x41, 0x53, 0x31]);
const SEARCH_CHUNK = 1024 * 1024;

/**
 * The first whole, checked record starting after `from` and ending by `end`, found by looking for
 * the magic and checking each candidate (its length and CRC): how a corrupt record in the middle
 * of a segment is stepped over so the good records after it are kept. Reads at most end - from
 * bytes (in 1 MiB chunks).
 */
export async function findNextRecord(fh: FileHandle, from: number, end: number): Promise<{ offset: number; points: Point[]; bytes: number } | undefined> {
  for (let chunkStart = from + 1; chunkStart + HEADER_BYTES <= end; chunkStart += SEARCH_CHUNK) {
    // overlap by 3 bytes so a magic split across two chunks is found
    const length = Math.min(SEARCH_CHUNK + MAGIC_BYTES.length - 1, end - chunkStart);
    const buf = await readExactly(fh, length, chunkStart);
    if (!buf) return undefined;
    for (let i = buf.indexOf(MAGIC_BYTES); i !== -1 && i < SEARCH_CHUNK; i = buf.indexOf(MAGIC_BYTES, i + 1)) {
      const result = await readRecord(fh, chunkStart + i, end);
      if (result.ok) return { offset: chunkStart + i, points: result.points, bytes: result.bytes };
    }
  }
  return undefined;
}
