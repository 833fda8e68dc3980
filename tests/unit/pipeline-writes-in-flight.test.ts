/**
 * Two store writes in flight (BatchingWriter's default writesInFlight 2): the next batch goes out
 * while the previous one is still being written, unless the two share a point identity; batches
 * settle in order (write() resolves, and the spool receives, in the order points were accepted).
 * The store is the pipeline's fault-injection fake; the spool is the real one in a temp dir.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BatchingWriter, type BatchingWriterOptions } from '../../collectors/pipeline/index.js';
import type { Point } from '../../core/point.js';
import { FaultyStore, makePoints, waitFor } from './pipeline-fake-store.js';

let dataDir: string;
const open: BatchingWriter[] = [];
beforeEach(async () => { dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'netatlas-inflight-')); });
const stores: FaultyStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) s.release(); // a failed assertion must not leave close() waiting on a held store
  for (const w of open.splice(0)) await w.close();
  await fs.rm(dataDir, { recursive: true, force: true });
});

async function pipeline(store: FaultyStore, options: Partial<BatchingWriterOptions> = {}): Promise<BatchingWriter> {
  stores.push(store);
  const w = await BatchingWriter.open({ store, dataDir, retryMinMs: 5, retryMaxMs: 40, batchSize: 100, flushIntervalMs: 60_000, ...options });
  open.push(w);
  return w;
}

const seqOf = (points: readonly Point[]): number[] => points.map((p) => p.fields['seq'] as number);
const range = (from: number, n: number): number[] => Array.from({ length: n }, (_, i) => from + i);
/** lets queued promise reactions and timers of 0 ms run */
const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 20));

describe('writes in flight', () => {
  it('sends the second batch while the first is still being written, never a third', async () => {
    const store = new FaultyStore();
    store.hold();
    const w = await pipeline(store);
    const done = w.write(makePoints(300)); // three batches of 100
    await waitFor(() => store.attempts === 2, 'two store writes started');
    await settle();
    expect(store.attempts).toBe(2);
    store.release();
    await done;
    expect(store.writeSizes).toEqual([100, 100, 100]);
    expect(seqOf(store.points)).toEqual(range(0, 300));
  });

  it('with writesInFlight 1, sends one batch at a time', async () => {
    const store = new FaultyStore();
    store.hold();
    const w = await pipeline(store, { writesInFlight: 1 });
    const done = w.write(makePoints(200));
    await waitFor(() => store.attempts === 1, 'one store write started');
    await settle();
    expect(store.attempts).toBe(1);
    store.release();
    await done;
    expect(seqOf(store.points)).toEqual(range(0, 200));
  });

  it('holds back a batch that shares a point identity with one in flight, so the later value is written last', async () => {
    const store = new FaultyStore();
    store.hold();
    const w = await pipeline(store);
    const first = makePoints(100, 0);
    // the same measurement, tags (an empty tag is no tag, as in line protocol) and time as first[99], another value
    const again: Point = { ...first[99]!, tags: { ...first[99]!.tags, note: '' }, fields: { seq: 1099, in_bps: 0 } };
    const second = [...makePoints(99, 100), again];
    const done = Promise.all([w.write(first), w.write(second)]);
    await waitFor(() => store.attempts === 1, 'the first store write started');
    await settle();
    expect(store.attempts).toBe(1); // the second waits for the first to settle
    store.release();
    await done;
    expect(store.attempts).toBe(2);
    expect(seqOf(store.points)).toEqual([...range(0, 100), ...range(100, 99), 1099]);
  });

  it('a batch that differs only by time or by a tag value goes out beside the one in flight', async () => {
    const store = new FaultyStore();
    store.hold();
    const w = await pipeline(store);
    const first = makePoints(100, 0);
    const sameTimeOtherTag: Point = { ...first[99]!, tags: { ...first[99]!.tags, device: 'olt-other' }, fields: { seq: 1099 } };
    const done = Promise.all([w.write(first), w.write([...makePoints(99, 100), sameTimeOtherTag])]);
    await waitFor(() => store.attempts === 2, 'two store writes started');
    store.release();
    await done;
    expect(store.points).toHaveLength(200);
  });

  it('when the first of two batches fails and the second is stored, spools the first and resolves the writes in order', async () => {
    const store = new FaultyStore();
    store.hold();
    store.failNext = 1; // the first write to pass the gate fails: the first batch's
    const w = await pipeline(store);
    const resolved: string[] = [];
    const a = w.write(makePoints(100, 0)).then(() => resolved.push('first'));
    const b = w.write(makePoints(100, 100)).then(() => resolved.push('second'));
    await waitFor(() => store.attempts === 2, 'two store writes started');
    store.release();
    await Promise.all([a, b]);
    // the second batch was in the store before the first was spooled, yet its write() resolved after
    expect(resolved).toEqual(['first', 'second']);
    expect(w.stats()).toMatchObject({ written: 100, spooled: 100 });
    await w.whenSpoolDrained();
    // exactly once each; the first batch arrived later, from the spool (they share no point)
    expect(seqOf(store.points)).toEqual([...range(100, 100), ...range(0, 100)]);
    expect(w.stats()).toMatchObject({ written: 100, spooled: 100, replayed: 100, dropped: 0 });
  });

  it('when both batches in flight fail, the spool keeps them in the order they were accepted', async () => {
    const store = new FaultyStore();
    store.hold();
    store.down = true;
    const w = await pipeline(store);
    const done = Promise.all([w.write(makePoints(100, 0)), w.write(makePoints(100, 100)), w.write(makePoints(100, 200))]);
    await waitFor(() => store.attempts === 2, 'two store writes started');
    store.release();
    await done; // all three durable in the spool (the third went there without trying the store)
    expect(w.stats()).toMatchObject({ written: 0, spooled: 300 });
    store.down = false;
    await w.whenSpoolDrained();
    expect(seqOf(store.points)).toEqual(range(0, 300));
  });

  it('refuses a writesInFlight that is not a positive integer, naming it', async () => {
    await expect(BatchingWriter.open({ store: new FaultyStore(), dataDir, writesInFlight: 0 })).rejects.toThrow(/writesInFlight must be an integer >= 1, got 0/);
  });
});
