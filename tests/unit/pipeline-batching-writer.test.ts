import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { BatchingWriter, PointsDroppedError, type BatchingWriterOptions } from '../../collectors/pipeline/index.js';
import { FaultyStore, makePoints, waitFor } from './pipeline-fake-store.js';

let dataDir: string;
const open: BatchingWriter[] = [];
beforeEach(async () => { dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'netatlas-pipeline-')); });
afterEach(async () => {
  for (const w of open.splice(0)) await w.close();
  await fs.rm(dataDir, { recursive: true, force: true });
});

async function pipeline(store: FaultyStore, options: Partial<BatchingWriterOptions> = {}): Promise<BatchingWriter> {
  const w = await BatchingWriter.open({ store, dataDir, retryMinMs: 5, retryMaxMs: 40, ...options });
  open.push(w);
  return w;
}

const seqOf = (store: FaultyStore): number[] => store.points.map((p) => p.fields['seq'] as number);
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe('batching writer', () => {
  it('writes full batches as soon as they reach the batch size', async () => {
    const store = new FaultyStore();
    const w = await pipeline(store, { batchSize: 100, flushIntervalMs: 60_000 });
    await w.write(makePoints(300));
    expect(store.writeSizes).toEqual([100, 100, 100]);
    expect(seqOf(store)).toEqual(range(300));
  });

  it('writes a partial batch when the flush interval ends', async () => {
    const store = new FaultyStore();
    const w = await pipeline(store, { batchSize: 5000, flushIntervalMs: 80 });
    const started = Date.now();
    await Promise.all([w.write(makePoints(7, 0)), w.write(makePoints(3, 7))]);
    const waited_ms = Date.now() - started;
    expect(store.writeSizes).toEqual([10]);
    expect(waited_ms).toBeGreaterThanOrEqual(70);
    expect(w.stats()).toMatchObject({ accepted: 10, written: 10, spooled: 0, dropped: 0, queuedPoints: 0 });
  });

  it('puts every point in the store exactly once and in order when the store fails several times then recovers', async () => {
    const store = new FaultyStore();
    store.failNext = 6;
    const w = await pipeline(store, { batchSize: 50, flushIntervalMs: 10 });
    for (let i = 0; i < 20; i++) await w.write(makePoints(25, i * 25));
    await w.whenSpoolDrained();
    expect(seqOf(store)).toEqual(range(500));
    const s = w.stats();
    expect(s.spooled).toBeGreaterThan(0);
    expect(s.replayed).toBe(s.spooled);
    expect(s.written + s.replayed).toBe(500);
    expect(s).toMatchObject({ accepted: 500, dropped: 0, rejected: 0, spoolRecords: 0, spoolBytes: 0 });
  });

  it('keeps order through the spool: batches written while the store is down wait behind the spooled ones', async () => {
    const store = new FaultyStore();
    const w = await pipeline(store, { batchSize: 10, flushIntervalMs: 5 });
    await w.write(makePoints(30, 0)); // direct
    store.down = true;
    await w.write(makePoints(40, 30)); // spooled: write() resolves once fsynced
    expect(w.stats().spooled).toBe(40);
    expect(seqOf(store)).toEqual(range(30));
    store.down = false;
    await w.write(makePoints(30, 70)); // the spool is not empty yet, so these queue behind it
    await w.whenSpoolDrained();
    expect(seqOf(store)).toEqual(range(100));
  });

  it('replays a spool left by a previous run when it opens', async () => {
    const down = new FaultyStore();
    down.down = true;
    const first = await pipeline(down, { batchSize: 20, flushIntervalMs: 5 });
    await first.write(makePoints(100));
    expect(first.stats().spooled).toBe(100);
    await first.close();

    const store = new FaultyStore();
    const second = await pipeline(store, { batchSize: 20 });
    await second.whenSpoolDrained();
    expect(seqOf(store)).toEqual(range(100));
    expect(second.stats().replayed).toBe(100);
  });

  it('isolates points the store rejects, writes the others and keeps the rejected ones with the reason', async () => {
    const store = new FaultyStore();
    const bad = new Set([17, 400, 401, 999]);
    store.rejectReason = (p) => (bad.has(p.fields['seq'] as number) ? `field type conflict on seq=${String(p.fields['seq'])}` : undefined);
    const w = await pipeline(store, { batchSize: 1000, flushIntervalMs: 5 });
    await w.write(makePoints(1000));
    expect(seqOf(store)).toEqual(range(1000).filter((i) => !bad.has(i)));
    expect(w.stats()).toMatchObject({ accepted: 1000, written: 996, rejected: 4, dropped: 0 });
    const lines = (await fs.readFile(path.join(dataDir, 'spool', 'rejected.jsonl'), 'utf8')).trim().split('\n')
      .map((l) => JSON.parse(l) as { reason: string; point: { fields: { seq: number } } });
    expect(lines.map((l) => l.point.fields.seq)).toEqual([17, 400, 401, 999]);
    expect(lines[0]!.reason).toBe('field type conflict on seq=17');
    await w.write(makePoints(10, 2000)); // the queue is not blocked
    expect(store.points).toHaveLength(1006);
  });

  it('isolates rejected points found while replaying the spool, and acknowledges the batch', async () => {
    const store = new FaultyStore();
    store.down = true;
    const w = await pipeline(store, { batchSize: 100, flushIntervalMs: 5 });
    await w.write(makePoints(200));
    expect(w.stats().spooled).toBe(200);
    store.rejectReason = (p) => (p.fields['seq'] === 150 ? 'bad point' : undefined);
    store.down = false;
    await w.whenSpoolDrained();
    expect(seqOf(store)).toEqual(range(200).filter((i) => i !== 150));
    expect(w.stats()).toMatchObject({ replayed: 199, rejected: 1, spoolRecords: 0, dropped: 0 });
  });

  it('makes write() wait instead of growing the queue past maxQueuePoints', async () => {
    const store = new FaultyStore();
    store.hold();
    const w = await pipeline(store, { batchSize: 100, flushIntervalMs: 5, maxQueuePoints: 1000 });
    let resolved = 0;
    const writes = Array.from({ length: 50 }, (_, i) => w.write(makePoints(100, i * 100)).then(() => { resolved += 1; }));
    await waitFor(() => w.stats().queuedPoints === 1000, 'the queue to fill');
    expect(w.stats().accepted).toBe(1000); // the other 40 writes wait, not admitted
    expect(resolved).toBe(0);
    let maxQueued = 0;
    const sampler = setInterval(() => { maxQueued = Math.max(maxQueued, w.stats().queuedPoints); }, 1);
    store.release();
    await Promise.all(writes);
    clearInterval(sampler);
    expect(maxQueued).toBeLessThanOrEqual(1000);
    expect(seqOf(store)).toEqual(range(5000));
  });

  it('flushes pending points when closed', async () => {
    const store = new FaultyStore();
    const w = await pipeline(store, { batchSize: 5000, flushIntervalMs: 60_000 });
    const pending = w.write(makePoints(10));
    await w.close();
    await pending;
    expect(seqOf(store)).toEqual(range(10));
    await expect(w.write(makePoints(1))).rejects.toThrow('closed');
  });

  it('counts and loudly logs points it cannot spool when the disk is full, and keeps running', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = pino({ level: 'info' }, new Writable({
      write(chunk: Buffer, _e, cb) { lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>); cb(); },
    }));
    const store = new FaultyStore();
    store.down = true;
    await fs.mkdir(path.join(dataDir, 'spool'), { recursive: true });
    await fs.symlink('/dev/full', path.join(dataDir, 'spool', '000001.spool')); // writes fail with ENOSPC
    const w = await pipeline(store, { batchSize: 10, flushIntervalMs: 5, logger });
    await expect(w.write(makePoints(10))).rejects.toBeInstanceOf(PointsDroppedError);
    expect(w.stats()).toMatchObject({ accepted: 10, dropped: 10, spooled: 0 });
    const fatal = lines.find((l) => l['level'] === 60);
    expect(String(fatal?.['msg'])).toContain('disk full');
    expect(fatal?.['code']).toBe('ENOSPC');

    await w.write(makePoints(10, 10)); // the next batch lands in a fresh segment
    store.down = false;
    await w.whenSpoolDrained();
    expect(seqOf(store)).toEqual(range(10).map((i) => i + 10));
  });

  it('exports its counters and gauges on the registry it is given', async () => {
    const registry = new Registry();
    const store = new FaultyStore();
    store.down = true;
    const w = await pipeline(store, { batchSize: 10, flushIntervalMs: 5, registry });
    await w.write(makePoints(10));
    await w.write(makePoints(10, 10));
    expect(await registry.metrics()).toMatch(/netatlas_pipeline_spool_bytes [1-9]\d*/);
    store.down = false;
    await w.whenSpoolDrained();
    const text = await registry.metrics();
    expect(text).toContain('netatlas_pipeline_points_total{outcome="accepted"} 20');
    expect(text).toContain('netatlas_pipeline_points_total{outcome="spooled"} 20');
    expect(text).toContain('netatlas_pipeline_points_total{outcome="replayed"} 20');
    expect(text).toContain('netatlas_pipeline_points_total{outcome="dropped"} 0');
    expect(text).toContain('netatlas_pipeline_spool_bytes 0');
    expect(text).toContain('netatlas_pipeline_queue_points 0');
  });
});
