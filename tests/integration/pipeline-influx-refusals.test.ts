/**
 * The write pipeline and InfluxStore against a fake InfluxDB on loopback that refuses the way a
 * misconfigured one does (fault injection: a real InfluxDB cannot be made to answer 401, 403, 404,
 * 413 or 429 on demand). Issue 14 items 1 and 4: refusals that are not the points' fault spool
 * and retry (no dead letters, no bisection); a field type conflict still isolates only the bad
 * point; `replay-rejected` re-sends it; a 413 splits the batch; a full spool holds writes back
 * instead of dropping.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Point } from '../../core/point.js';
import { InfluxStore } from '../../server/store/influx-store.js';
import { BatchingWriter } from '../../collectors/pipeline/index.js';
import { replayRejected } from '../../collectors/pipeline/replay-rejected.js';
import { encodeRecord } from '../../collectors/pipeline/spool-format.js';
import { startFakeInflux, type FakeInflux } from '../helpers/fake-influx.js';
import { runCli } from '../../server/cli.js';

let fake: FakeInflux;
let dataDir: string;
let writer: BatchingWriter | undefined;
beforeEach(async () => {
  fake = await startFakeInflux();
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'netatlas-refusals-'));
});
afterEach(async () => {
  await writer?.close();
  writer = undefined;
  await fake.close();
  await fs.rm(dataDir, { recursive: true, force: true });
});

const T0 = Date.now() - 3_600_000;
function points(n: number, start: number): Point[] {
  return Array.from({ length: n }, (_, k) => ({
    measurement: 'interface',
    tags: { device: `olt-${(start + k) % 7}`, ifName: `ge-0/0/${start + k}` },
    fields: { seq: start + k, in_bps: (start + k) * 1.5 },
    time: T0 + start + k,
  }));
}

async function waitFor(cond: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function open(options: { batchSize?: number; maxSpoolBytes?: number; maxQueuePoints?: number } = {}): Promise<{ store: InfluxStore; w: BatchingWriter }> {
  const store = new InfluxStore({ url: fake.url, database: 'netatlas', timeoutMs: 2000 });
  await store.init();
  writer = await BatchingWriter.open({ store, dataDir, batchSize: options.batchSize ?? 10, flushIntervalMs: 20, retryMinMs: 50, retryMaxMs: 100, ...options });
  return { store, w: writer };
}

const deadLetterLines = async (): Promise<string[]> => {
  try {
    return (await fs.readFile(path.join(dataDir, 'spool', 'rejected.jsonl'), 'utf8')).split('\n').filter((l) => l.length > 0);
  } catch {
    return [];
  }
};

describe('InfluxDB refusing for a reason that is not the points (401, 403, 404, 429)', () => {
  it('spools every batch whole, dead-letters nothing, names the cause in health, then stores every point exactly once', async () => {
    const { w } = await open();
    const refusals = [
      { status: 401, error: 'authorization failed', cause: 'authentication failed' },
      { status: 403, error: '"netatlas" user is not authorized to write to database "netatlas"', cause: 'not authorized' },
      { status: 404, error: 'database not found: "netatlas"', cause: 'database or retention policy missing' },
      { status: 429, error: 'too many requests', cause: 'rate limiting' },
    ];
    let answer: { status: number; error?: string } = refusals[0]!;
    fake.answer = () => answer;
    // three batches of 10 while InfluxDB says 401: the first is tried once, the other two go
    // straight behind it into the spool (the store only gets points from the spool meanwhile)
    for (let b = 0; b < 3; b++) await w.write(points(10, b * 10));
    expect(w.stats().spooled).toBe(30);
    for (const refusal of refusals) {
      answer = refusal;
      const before = fake.writes.length;
      await waitFor(() => fake.writes.slice(before).some((r) => r.status === refusal.status), `a ${refusal.status} answer`);
      // the fake has sent its answer; the pipeline records the cause once it has read it
      await waitFor(() => w.stats().storeUnavailable?.cause.includes(`HTTP ${refusal.status}`) === true, `the pipeline to record the ${refusal.status}`);
      const health = await w.health();
      expect(health.ok).toBe(false);
      expect(health.detail).toContain(`HTTP ${refusal.status}`);
      expect(health.detail).toContain(refusal.cause);
    }
    const refused = fake.writes.length;
    answer = { status: 204 };
    await w.whenSpoolDrained();

    // while refusing: one request per attempt, each carrying the whole oldest batch (0-9), never
    // bisected (a bisection would send 5, 3, 2 and 1 lines) and never batches 2 or 3
    const whileRefusing = fake.writes.slice(0, refused);
    expect(whileRefusing.every((r) => r.status >= 400 && r.lines.length === 10)).toBe(true);
    expect(new Set(whileRefusing.map((r) => r.lines.join('\n'))).size).toBe(1);
    expect(whileRefusing[0]!.lines.every((l) => /seq=\d\b|seq=\di\b/.test(l))).toBe(true);
    // then: 3 requests of 10 (the three spooled batches, oldest first) = 30 lines, each once
    expect(fake.writes.slice(refused).map((r) => [r.status, r.lines.length])).toEqual([[204, 10], [204, 10], [204, 10]]);
    expect(fake.stored.length).toBe(30);
    expect(new Set(fake.stored).size).toBe(30);
    const stats = w.stats();
    expect([stats.spooled, stats.replayed, stats.written, stats.rejected, stats.dropped]).toEqual([30, 30, 0, 0, 0]);
    expect(stats.storeUnavailable).toBeNull();
    expect(await deadLetterLines()).toEqual([]);
    const health = await w.health();
    expect([health.ok, health.deadLetters]).toEqual([true, 0]);
  });
});

describe('InfluxDB refusing points (400 field type conflict)', () => {
  it('isolates only the bad point, dead-letters it, and replay-rejected stores it once the conflict is fixed', async () => {
    const { store, w } = await open();
    let fixed = false;
    // like InfluxDB: a request holding the string-typed seq is refused as a partial write
    fake.answer = (lines) => (!fixed && lines.some((l) => l.includes('seq="six"'))
      ? { status: 400, error: 'partial write: field type conflict: input field "seq" on measurement "interface" is type string, already exists as type float dropped=1' }
      : { status: 204 });
    const batch = points(10, 0);
    batch[6] = { ...batch[6]!, fields: { seq: 'six', in_bps: 9 } };
    await w.write(batch);
    await w.flush();
    // bisection, halves rounded up: [0-9] 400, [0-4] 204, [5-9] 400, [5-7] 400, [5,6] 400,
    // [5] 204, [6] 400 (isolated), [7] 204, [8,9] 204 = 9 requests, 9 points stored
    expect(fake.writes.map((r) => [r.status, r.lines.length])).toEqual([
      [400, 10], [204, 5], [400, 5], [400, 3], [400, 2], [204, 1], [400, 1], [204, 1], [204, 2],
    ]);
    expect(fake.stored.length).toBe(9);
    expect(fake.stored.some((l) => l.includes('seq="six"'))).toBe(false);
    const stats = w.stats();
    expect([stats.written, stats.rejected, stats.spooled]).toEqual([9, 1, 0]);
    const letters = await deadLetterLines();
    expect(letters.length).toBe(1);
    const letter = JSON.parse(letters[0]!) as { reason: string; point: Point };
    expect(letter.point.fields['seq']).toBe('six');
    expect(letter.reason).toContain('field type conflict');
    const health = await w.health();
    expect([health.ok, health.deadLetters]).toEqual([true, 1]);
    expect(health.detail).toContain('1 points refused by the store');

    fixed = true; // e.g. the field renamed in the point, or the measurement dropped
    const result = await replayRejected({ store, dataDir });
    expect(result).toEqual({ stored: 1, stillRejected: 0, notSent: 0, unreadable: 0 });
    expect(fake.stored.filter((l) => l.includes('seq="six"')).length).toBe(1);
    expect(await deadLetterLines()).toEqual([]);
    expect((await w.health()).deadLetters).toBe(0);
  });

  it('replay-rejected keeps what is still refused (new reason) and what the store could not take', async () => {
    const { store, w } = await open({ batchSize: 4 });
    fake.answer = (lines) => (lines.some((l) => l.includes('bad=')) ? { status: 400, error: 'partial write: field type conflict dropped=1' } : { status: 204 });
    const bad = points(3, 100).map((p) => ({ ...p, fields: { bad: 's' } }));
    await w.write(bad);
    await w.flush();
    expect(w.stats().rejected).toBe(3);
    // still refused: stays, with the store's latest reason
    fake.answer = (lines) => (lines.some((l) => l.includes('bad=')) ? { status: 400, error: 'partial write: still conflicting dropped=1' } : { status: 204 });
    expect(await replayRejected({ store, dataDir })).toEqual({ stored: 0, stillRejected: 3, notSent: 0, unreadable: 0 });
    expect((await deadLetterLines()).map((l) => (JSON.parse(l) as { reason: string }).reason.includes('still conflicting'))).toEqual([true, true, true]);
    // unavailable: nothing sent is lost, the replay says why it stopped
    fake.answer = () => ({ status: 401, error: 'authorization failed' });
    const stopped = await replayRejected({ store, dataDir });
    expect([stopped.stored, stopped.notSent]).toEqual([0, 3]);
    expect(stopped.stoppedBy).toContain('HTTP 401');
    expect((await deadLetterLines()).length).toBe(3);
  });
});

describe('InfluxDB answering 413 (batch larger than max-body-size)', () => {
  it('splits the batch in halves until each part fits: every point stored once, nothing spooled or refused', async () => {
    const { w } = await open();
    fake.answer = (lines) => (lines.length > 4 ? { status: 413, error: 'Request Entity Too Large' } : { status: 204 });
    await w.write(points(10, 0));
    await w.flush();
    // 10 → 413; halves 5 → 413 → 3 + 2; 5 → 413 → 3 + 2: 7 requests, 4 accepted = 10 lines
    expect(fake.writes.map((r) => [r.status, r.lines.length])).toEqual([[413, 10], [413, 5], [204, 3], [204, 2], [413, 5], [204, 3], [204, 2]]);
    expect(new Set(fake.stored).size).toBe(10);
    expect([w.stats().written, w.stats().spooled, w.stats().rejected]).toEqual([10, 0, 0]);
  });

  it('refuses (dead-letters) a single point that alone is too large, and stores the rest', async () => {
    const { w } = await open();
    fake.answer = (lines) => (lines.some((l) => l.includes('huge')) ? { status: 413, error: 'Request Entity Too Large' } : { status: 204 });
    const batch = points(3, 0);
    batch[1] = { ...batch[1]!, fields: { huge: 'x'.repeat(100) } };
    await w.write(batch);
    await w.flush();
    expect([w.stats().written, w.stats().rejected, w.stats().spooled]).toEqual([2, 1, 0]);
    // point 0 is sent twice: once while InfluxHttp splits the 3-line body (0 fits, 1 alone does
    // not: a refusal), again while the pipeline bisects the refused batch; a rewrite overwrites
    expect(new Set(fake.stored).size).toBe(2);
    expect(fake.stored.some((l) => l.includes('huge'))).toBe(false);
    const letters = await deadLetterLines();
    expect(letters.length).toBe(1);
    expect(letters[0]).toContain('raise max-body-size');
  });
});

describe('spool cap (pipeline.maxSpoolBytes) while InfluxDB is down', () => {
  it('holds writes back when the spool is full, loses no acknowledged point, and stores every point once the store returns', async () => {
    // fixed-width points, so every 10-point record has the same size R
    const batchOf = (b: number): Point[] => Array.from({ length: 10 }, (_, k) => ({
      measurement: 'interface', tags: { device: 'olt-1', ifName: `ge-0/0/${100 + b * 10 + k}` }, fields: { seq: 100 + b * 10 + k }, time: T0 + 100 + b * 10 + k,
    }));
    const R = encodeRecord(batchOf(0)).length;
    expect(encodeRecord(batchOf(19)).length).toBe(R);
    // cap 2R + 1: after 2 records (2R < cap) a 3rd is appended (3R >= cap), the 4th waits
    const { w } = await open({ maxSpoolBytes: 2 * R + 1, maxQueuePoints: 20 });
    fake.answer = () => ({ status: 503, error: 'influxdb is restarting' });
    let acked = 0;
    const writes = Array.from({ length: 20 }, (_, b) => w.write(batchOf(b)).then(() => { acked += 10; }));
    await waitFor(() => w.stats().spoolFullSince !== null, 'the spool to fill');
    await new Promise((r) => setTimeout(r, 500)); // the replayer retries meanwhile: nothing moves
    // acknowledged = spooled = 3 records x 10; in memory: batch 4 (waiting for room) and batch 5
    // = 20 = maxQueuePoints; batches 6-20 (150 points) are not admitted: their write() waits
    const full = w.stats();
    expect([acked, full.spooled, full.spoolRecords, full.spoolBytes, full.queuedPoints, full.dropped, full.spoolFullWaits]).toEqual([30, 30, 3, 3 * R, 20, 0, 1]);
    const health = await w.health();
    expect(health.ok).toBe(false);
    expect(health.detail).toContain('spool full');
    // a caller with a deadline (an SNMP cycle) gets its signal's reason instead of waiting forever
    await expect(w.write(batchOf(99), { signal: AbortSignal.timeout(100) })).rejects.toThrow(/timeout|aborted/i);

    const back = Date.now();
    fake.answer = () => ({ status: 204 });
    await Promise.all(writes);
    await w.flush();
    await w.whenSpoolDrained();
    const drainMs = Date.now() - back;
    expect(acked).toBe(200);
    // every point of the 20 batches once (the aborted write was never admitted: not stored)
    expect(fake.stored.length).toBe(200);
    expect(new Set(fake.stored).size).toBe(200);
    expect(fake.stored.some((l) => l.includes('seq=1090'))).toBe(false);
    const s = w.stats();
    // (while it drains, batches still queue behind the spool and fill it again: several full spells)
    expect([s.accepted, s.dropped, s.rejected, s.spoolFullSince]).toEqual([200, 0, 0, null]);
    console.log(`spool cap: R=${R} B, cap ${2 * R + 1} B, acked while full 30/200, drained in ${drainMs} ms after the store returned`);
  });
});

describe('netatlas replay-rejected', () => {
  it('re-sends the dead letters through the configured store, removes what it took and says so', async () => {
    await fs.mkdir(path.join(dataDir, 'spool'), { recursive: true });
    const letters = points(2, 500).map((point) => JSON.stringify({ rejectedAt: new Date().toISOString(), reason: 'field type conflict', point }));
    await fs.writeFile(path.join(dataDir, 'spool', 'rejected.jsonl'), letters.join('\n') + '\n');
    const configFile = path.join(dataDir, 'netatlas.yaml');
    await fs.writeFile(configFile, `dataDir: ${dataDir}\nstore:\n  influx:\n    url: ${fake.url}\n`);
    const out: string[] = [];
    const err: string[] = [];
    let code = -1;
    await runCli(['node', 'netatlas', 'replay-rejected', '-c', configFile], { out: (l) => out.push(l), err: (l) => err.push(l), env: {}, setExitCode: (c) => { code = c; } });
    expect([code, err]).toEqual([0, []]);
    expect(out).toEqual(['replay-rejected: 2 points stored and removed, 0 still refused (kept), 0 not sent (kept), 0 unreadable lines (kept)']);
    expect(fake.stored.length).toBe(2);
    expect(await deadLetterLines()).toEqual([]);
  });
});
