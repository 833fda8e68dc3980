/**
 * The write pipeline against a real InfluxDB that misbehaves: a private influxd (never the shared
 * one) is frozen with SIGSTOP, or killed with SIGKILL and restarted, while points stream in.
 * Afterwards every accepted point must be in InfluxDB exactly once, counted with raw InfluxQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Point } from '../../core/point.js';
import { InfluxStore } from '../../server/store/influx-store.js';
import { BatchingWriter } from '../../collectors/pipeline/index.js';
import { startInfluxProcess, type InfluxProcess } from '../helpers/influx-process.js';

let influx: InfluxProcess;
beforeAll(async () => { influx = await startInfluxProcess(); });
afterAll(async () => { await influx?.cleanup(); });

function interfacePoints(start: number, n: number, t0: number): Point[] {
  return Array.from({ length: n }, (_, k) => {
    const i = start + k;
    const olt = i % 40;
    return {
      measurement: 'interface',
      tags: {
        agent_host: `10.20.${olt}.1`, hostname: `olt-${olt}`, device: `olt-${olt}`, ifName: `gpon-0/1/${i % 16}`,
        ifIndex: String(1000 + (i % 16)), site: `site-${olt % 10}`, area: `area-${olt % 19}`, tech: 'fibre',
      },
      fields: { ifHCInOctets: i, in_bps: i * 8.5, ifOperStatus: 1 },
      time: t0 + i, // one point per millisecond: every point has its own identity
    };
  });
}

async function countPoints(db: string): Promise<number> {
  const body = await influx.query(db, 'SELECT count("ifHCInOctets") FROM "raw"."interface"');
  const value = body.results[0]?.series?.[0]?.values[0]?.[1];
  return typeof value === 'number' ? value : 0;
}

/**
 * Streams `ratePerTick` points every 50 ms for `durationMs`, calling `fault(elapsedMs)` as it goes.
 * Returns how many points were acknowledged by write().
 */
async function stream(writer: BatchingWriter, durationMs: number, fault: (elapsedMs: number) => Promise<void>): Promise<number> {
  const t0 = Date.now() - 60_000;
  const started = Date.now();
  const writes: Promise<number>[] = [];
  let next = 0;
  for (let tick = 0; tick < 10_000 && Date.now() - started < durationMs; tick++) {
    const n = 150; // 3 000 points/s
    writes.push(writer.write(interfacePoints(next, n, t0)).then(() => n));
    next += n;
    await fault(Date.now() - started);
    await new Promise((r) => setTimeout(r, 50));
  }
  const acked = (await Promise.all(writes)).reduce((a, b) => a + b, 0);
  expect(acked).toBe(next); // no write() was refused
  return acked;
}

describe('write pipeline against a faulty InfluxDB', () => {
  it('loses and duplicates nothing when InfluxDB is frozen (SIGSTOP) for 11 s mid-stream', async () => {
    const database = `netatlas_pipeline_pause_${process.pid}_${Date.now()}`;
    const store = new InfluxStore({ url: influx.url, database, timeoutMs: 1000 });
    await store.init();
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'netatlas-pause-'));
    const writer = await BatchingWriter.open({ store, dataDir, batchSize: 500, flushIntervalMs: 200, retryMinMs: 200, retryMaxMs: 2000 });
    let paused = false;
    let resumed = false;
    try {
      const acked = await stream(writer, 20_000, async (elapsed) => {
        if (!paused && elapsed >= 4000) { influx.pause(); paused = true; }
        if (paused && !resumed && elapsed >= 15_000) { influx.resume(); resumed = true; }
      });
      await writer.flush();
      await writer.whenSpoolDrained();
      const stats = writer.stats();
      expect(resumed).toBe(true);
      expect(stats.spooled).toBeGreaterThan(10_000); // the freeze really sent points to the spool
      expect(stats.replayed).toBe(stats.spooled);
      expect(stats).toMatchObject({ accepted: acked, dropped: 0, rejected: 0, spoolRecords: 0 });
      expect(stats.written + stats.replayed).toBe(acked);
      const counted = await countPoints(database);
      console.log(`SIGSTOP 11 s: accepted ${acked}, written ${stats.written}, spooled ${stats.spooled}, replayed ${stats.replayed}, dropped ${stats.dropped}; InfluxQL count ${counted}`);
      expect(counted).toBe(acked);
    } finally {
      if (paused && !resumed) influx.resume();
      await writer.close();
      await influx.query(undefined, `DROP DATABASE "${database}"`);
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);

  it('loses and duplicates nothing when InfluxDB is killed with SIGKILL and restarted mid-stream', async () => {
    const database = `netatlas_pipeline_kill_${process.pid}_${Date.now()}`;
    const store = new InfluxStore({ url: influx.url, database, timeoutMs: 1000 });
    await store.init();
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'netatlas-kill-'));
    const writer = await BatchingWriter.open({ store, dataDir, batchSize: 500, flushIntervalMs: 200, retryMinMs: 200, retryMaxMs: 2000 });
    let killed = false;
    let restarted: Promise<void> | undefined;
    try {
      const acked = await stream(writer, 12_000, async (elapsed) => {
        if (!killed && elapsed >= 3000) { await influx.kill(); killed = true; }
        if (killed && !restarted && elapsed >= 7000) restarted = influx.restart(); // points keep flowing meanwhile
      });
      await restarted;
      await writer.flush();
      await writer.whenSpoolDrained();
      const stats = writer.stats();
      expect(stats.spooled).toBeGreaterThan(5000);
      expect(stats).toMatchObject({ accepted: acked, dropped: 0, rejected: 0, spoolRecords: 0 });
      expect(stats.written + stats.replayed).toBe(acked);
      const counted = await countPoints(database);
      console.log(`SIGKILL + restart: accepted ${acked}, written ${stats.written}, spooled ${stats.spooled}, replayed ${stats.replayed}, dropped ${stats.dropped}; InfluxQL count ${counted}`);
      expect(counted).toBe(acked);
    } finally {
      await writer.close();
      await influx.query(undefined, `DROP DATABASE "${database}"`);
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
