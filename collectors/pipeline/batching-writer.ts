import path from 'node:path';
import type { Point } from '../../core/point.js';
import { StoreRejectedError, StoreUnavailableError, type PointWriter } from '../../core/point-writer.js';
import { silentLogger, type Logger } from '../../core/log.js';
import type { Sink, SinkWriteOptions } from '../types.js';
import { Spool } from './spool.js';
import { DeadLetterFile } from './dead-letter.js';
import { IsolationInterruptedError, writeIsolatingRejected } from './isolate-rejected.js';
import { PipelineMetrics, type PipelineState } from './pipeline-metrics.js';
import { Backoff } from './backoff.js';
import { abortable } from './abortable.js';
import { SpoolCap } from './spool-cap.js';
import { pipelineHealth, freeBytes, type PipelineHealth } from './pipeline-health.js';
import { newBatch, PointsDroppedError, type Batch, type BatchingWriterOptions } from './writer-options.js';
import { sharesIdentity, timeIndex, type TimeIndex } from './shared-points.js';

export { PointsDroppedError, type BatchingWriterOptions };

/** A batch whose store write has started: what the store could not take, or the error, once settled. */
interface InFlight {
  batch: Batch;
  index: TimeIndex;
  outcome: Promise<{ rest: readonly Point[] } | { err: Error }>;
}

/**
 * The one path from every collector to the store (DESIGN.md "write pipeline").
 *
 * - Points are grouped into batches of `batchSize`, or whatever arrived within `flushIntervalMs`.
 * - Up to `writesInFlight` (default 2) batches are written to the store at once, so the store
 *   parses one while the next travels; two batches that share a point identity (measurement, tags,
 *   time) never are, so the point acknowledged last is the one the store keeps. Batches settle in
 *   order: a batch's write() resolves, and a batch the store could not take is spooled, only after
 *   every batch before it, so the spool holds them in the order they were accepted.
 * - write() resolves once its points are durable: in the store, or appended and fsynced to the
 *   spool. While more than `maxQueuePoints` are pending, write() waits (back-pressure); it never
 *   drops to make room.
 * - A batch the store cannot take (StoreUnavailableError, or any error that is not a rejection)
 *   goes to the spool. While the spool holds anything, new batches go there too so that order is
 *   kept, and a replayer retries the store with backoff and drains the spool oldest first. (A batch
 *   already in flight beside the failed one may reach the store before it: they share no point.)
 * - Points the store refuses (StoreRejectedError) are isolated by bisection; the good ones are
 *   written, the refused ones go to `<dataDir>/spool/rejected.jsonl` and count as `rejected`.
 * - The spool holds at most `maxSpoolBytes` (overshooting by at most one batch). When it is full
 *   the batch waits in memory until replay frees room, so the queue fills and write() stops
 *   resolving: MQTT PUBACKs are held (the broker keeps the messages), an SNMP cycle's write waits
 *   and the runner skips (and counts) the ticks it overruns. Nothing is dropped for the cap. At
 *   close() the waiting batches go to the spool past the cap rather than be lost.
 * - A write() given an AbortSignal stops waiting when it aborts (its points, once queued, are
 *   still delivered); the admission wait ends too, and those points were never accepted.
 * - Only when the spool cannot be written (disk full) are points lost: they count as `dropped`,
 *   are logged at fatal level, and write() rejects with PointsDroppedError so the caller knows
 *   they were not acknowledged. The service keeps running.
 */
export class BatchingWriter implements Sink {
  private readonly store: PointWriter;
  private readonly log: Logger;
  private readonly batchSize: number;
  private readonly flushIntervalMs: number;
  private readonly writesInFlight: number;
  private readonly maxQueuePoints: number;
  private readonly metrics: PipelineMetrics;
  private readonly deadLetter: DeadLetterFile;
  private readonly backoff: Backoff;
  private readonly cap: SpoolCap;
  private readonly minFreeBytes: number;
  private readonly dataDir: string;
  /** the last StoreUnavailableError (or other failure) since the store last took a write */
  private unavailable: { since: number; cause: string } | undefined;
  private stopPruning: () => void = () => {};

  private current: Batch | undefined;
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly sealed: Batch[] = [];
  /** batches whose store write has started, in the order they were sealed */
  private readonly flight: InFlight[] = [];
  private queued = 0;
  private working = false;
  private spaceWaiters: Array<() => void> = [];
  private idleWaiters: Array<() => void> = [];
  private drainWaiters: Array<() => void> = [];
  private replayTask: Promise<void> | undefined;
  /** the unwritten tail of the spool record being replayed, after a bisection was interrupted */
  private replayRemainder: { key: string; points: readonly Point[] } | undefined;
  private closing = false;
  private closed: Promise<void> | undefined;

  private constructor(options: BatchingWriterOptions, private readonly spool: Spool) {
    this.store = options.store;
    this.log = options.logger ?? silentLogger;
    this.batchSize = options.batchSize ?? 5000;
    this.flushIntervalMs = options.flushIntervalMs ?? 1000;
    this.writesInFlight = options.writesInFlight ?? 2;
    this.maxQueuePoints = options.maxQueuePoints ?? 100_000;
    this.backoff = new Backoff(options.retryMinMs ?? 500, options.retryMaxMs ?? 30_000);
    this.deadLetter = new DeadLetterFile(spool.dir);
    this.cap = new SpoolCap(options.maxSpoolBytes ?? 1024 ** 3, () => spool.pendingBytes, () => {
      this.log.error({ spoolBytes: spool.pendingBytes, maxSpoolBytes: this.cap.maxBytes }, 'spool full: holding points in memory and pausing ingestion until the store takes the spool (nothing dropped)');
      this.startReplayer();
    });
    this.minFreeBytes = options.minFreeBytes ?? 512 * 1024 ** 2;
    this.dataDir = options.dataDir;
    this.metrics = new PipelineMetrics(options.registry, {
      queuedPoints: () => this.queued,
      spoolBytes: () => this.spool.pendingBytes,
    });
  }

  /** Opens (and recovers) the spool; starts replaying it at once if it holds anything. */
  static async open(options: BatchingWriterOptions): Promise<BatchingWriter> {
    const logger = options.logger ?? silentLogger;
    const inFlight = options.writesInFlight;
    if (inFlight !== undefined && (!Number.isInteger(inFlight) || inFlight < 1)) throw new RangeError(`writesInFlight must be an integer >= 1, got ${String(inFlight)}`);
    const spool = await Spool.open({
      dir: path.join(options.dataDir, 'spool'),
      logger,
      ...(options.maxSegmentBytes !== undefined ? { maxSegmentBytes: options.maxSegmentBytes } : {}),
    });
    const writer = new BatchingWriter(options, spool);
    if (!spool.isEmpty) writer.startReplayer();
    if (options.rejectedRetentionMs !== undefined) writer.stopPruning = writer.deadLetter.startPruning(options.rejectedRetentionMs, logger);
    return writer;
  }

  async write(points: readonly Point[], options: SinkWriteOptions = {}): Promise<void> {
    if (this.closing) throw new Error('write pipeline is closed');
    if (points.length === 0) return;
    const signal = options.signal;
    // back-pressure: wait for room, but always admit a write into an empty queue
    while (this.queued > 0 && this.queued + points.length > this.maxQueuePoints) {
      await abortable(new Promise<void>((resolve) => this.spaceWaiters.push(resolve)), signal);
      if (this.closing) throw new Error('write pipeline is closed');
    }
    this.queued += points.length;
    this.metrics.add('accepted', points.length);
    const waits: Promise<void>[] = [];
    let i = 0;
    while (i < points.length) {
      const batch = this.current ?? this.startBatch();
      const take = Math.min(this.batchSize - batch.points.length, points.length - i);
      for (let k = 0; k < take; k++) batch.points.push(points[i + k]!);
      i += take;
      if (waits[waits.length - 1] !== batch.promise) waits.push(batch.promise);
      if (batch.points.length >= this.batchSize) this.seal();
    }
    await abortable(Promise.all(waits), signal);
  }

  /** Resolves when every point accepted so far is durable (in the store or the spool). */
  async flush(): Promise<void> {
    this.seal();
    if (!this.working && this.sealed.length === 0 && this.flight.length === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  /** Resolves when the spool is empty (everything spooled has been replayed into the store). */
  async whenSpoolDrained(): Promise<void> {
    if (this.spool.isEmpty && !this.replayTask) return;
    await new Promise<void>((resolve) => this.drainWaiters.push(resolve));
  }

  /**
   * From now on a full spool takes batches past its cap (by at most maxQueuePoints plus what the
   * collectors write while they stop). Called at the start of shutdown, before the collectors stop:
   * a collector's last writes (its connected=0 point) must not wait for a store that may not return.
   */
  releaseSpoolCap(): void {
    this.cap.release();
  }

  /** Flushes, stops the replayer (what is left stays in the spool for the next start), closes the spool. */
  close(): Promise<void> {
    this.closed ??= (async () => {
      this.closing = true; // refuse new writes and let the replayer stop after its current batch
      this.releaseSpoolCap(); // a full spool takes the last batches
      await this.flush();
      for (const wake of this.spaceWaiters.splice(0)) wake();
      this.backoff.cancel();
      this.stopPruning();
      await this.replayTask;
      await this.spool.close();
      for (const wake of this.drainWaiters.splice(0)) wake();
    })();
    return this.closed;
  }

  stats(): PipelineState {
    return {
      ...this.metrics.snapshot(),
      queuedPoints: this.queued,
      spoolRecords: this.spool.pendingRecords,
      spoolBytes: this.spool.pendingBytes,
      maxSpoolBytes: this.cap.maxBytes,
      spoolFullSince: this.cap.fullSinceIso,
      spoolFullWaits: this.cap.waits,
      storeUnavailable: this.unavailable ? { since: new Date(this.unavailable.since).toISOString(), cause: this.unavailable.cause } : null,
    };
  }

  /** /api/health's `pipeline` component: stats, dead letters, store refusal cause, free disk. */
  async health(): Promise<PipelineHealth> {
    const [deadLetters, free] = await Promise.all([
      this.deadLetter.count().catch(() => null),
      freeBytes(this.dataDir).catch(() => null),
    ]);
    return pipelineHealth({ stats: this.stats(), deadLetters, deadLetterFile: this.deadLetter.file, freeBytes: free, minFreeBytes: this.minFreeBytes });
  }

  private startBatch(): Batch {
    const batch = newBatch();
    this.current = batch;
    this.flushTimer = setTimeout(() => this.seal(), this.flushIntervalMs);
    return batch;
  }

  private seal(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const batch = this.current;
    this.current = undefined;
    if (!batch || batch.points.length === 0) return;
    this.sealed.push(batch);
    this.startWrites();
  }

  /** Starts the store writes of the next sealed batches while slots are free and they share no point with those in flight. */
  private startWrites(): void {
    while (this.sealed.length > 0 && this.flight.length < this.writesInFlight) {
      const batch = this.sealed[0]!;
      if (this.flight.some((f) => sharesIdentity(f.index, batch.points))) break;
      this.sealed.shift();
      // while anything waits in the spool, the store gets points only from there: order is kept
      const attempt = this.spool.isEmpty ? this.tryStore(batch.points, 'written') : Promise.resolve(batch.points);
      const outcome = attempt.then((rest) => ({ rest }), (err: unknown) => ({ err: err instanceof Error ? err : new Error(String(err)) }));
      this.flight.push({ batch, index: this.writesInFlight > 1 ? timeIndex(batch.points) : new Map(), outcome });
    }
    void this.runWorker();
  }

  /** Settles the batches in flight in order: spools what the store could not take, then resolves the batch's writes. */
  private async runWorker(): Promise<void> {
    if (this.working) return;
    this.working = true;
    try {
      for (let f = this.flight[0]; f; f = this.flight[0]) {
        const outcome = await f.outcome;
        try {
          if ('err' in outcome) throw outcome.err;
          if (outcome.rest.length > 0) await this.toSpool(outcome.rest);
          f.batch.resolve();
        } catch (err) {
          f.batch.reject(err as Error);
        } finally {
          this.flight.shift();
          this.queued -= f.batch.points.length;
          for (const wake of this.spaceWaiters.splice(0)) wake();
          this.startWrites();
        }
      }
    } finally {
      this.working = false;
      if (this.sealed.length === 0 && this.flight.length === 0) for (const wake of this.idleWaiters.splice(0)) wake();
    }
  }

  /** Writes to the store; returns the points it could not take because it is unavailable. */
  private async tryStore(points: readonly Point[], outcome: 'written' | 'replayed'): Promise<readonly Point[]> {
    const write = async (slice: readonly Point[]): Promise<void> => {
      await this.store.write(slice);
      this.metrics.add(outcome, slice.length);
    };
    try {
      await write(points);
      this.unavailable = undefined;
      return [];
    } catch (err) {
      if (!(err instanceof StoreRejectedError)) {
        this.noteUnavailable(err);
        this.log.warn({ err, points: points.length, from: outcome === 'written' ? 'queue' : 'spool' }, 'store unavailable; points stay in (or go to) the spool');
        return points;
      }
      try {
        await writeIsolatingRejected(points, write, (bad, reason) => this.reject(bad, reason), err);
        return [];
      } catch (e) {
        if (!(e instanceof IsolationInterruptedError)) throw e;
        this.noteUnavailable(e.cause);
        this.log.warn({ err: e.cause, points: points.length - e.done }, 'store unavailable while isolating rejected points');
        return points.slice(e.done);
      }
    }
  }

  private async reject(points: readonly Point[], reason: string): Promise<void> {
    try {
      await this.deadLetter.append(points, reason);
      this.metrics.add('rejected', points.length);
      this.log.error({ reason, points, file: this.deadLetter.file }, 'store rejected points; kept in the dead-letter file');
    } catch (err) {
      this.metrics.add('dropped', points.length);
      this.log.fatal({ err, reason, points }, 'store rejected points and the dead-letter file could not be written: POINTS LOST');
    }
  }

  private noteUnavailable(err: unknown): void {
    const cause = err instanceof StoreUnavailableError ? err.message : `unexpected store error: ${(err as Error)?.message ?? String(err)}`;
    this.unavailable = { since: this.unavailable?.since ?? Date.now(), cause };
  }

  private async toSpool(points: readonly Point[]): Promise<void> {
    await this.cap.waitForRoom();
    try {
      await this.spool.append(points);
    } catch (err) {
      this.metrics.add('dropped', points.length);
      const code = (err as NodeJS.ErrnoException).code;
      this.log.fatal(
        { err, code, points: points.length, spoolDir: this.spool.dir, dropped: this.metrics.snapshot().dropped },
        `store unavailable and spool not writable${code === 'ENOSPC' ? ' (disk full)' : ''}: POINTS DROPPED`,
      );
      throw new PointsDroppedError(`${points.length} points dropped: spool not writable (${code ?? (err as Error).message})`, { cause: err });
    }
    this.metrics.add('spooled', points.length);
    this.startReplayer();
  }

  private startReplayer(): void {
    if (this.replayTask || this.closing) return;
    this.replayTask = this.replay()
      .catch((err: unknown) => this.log.error({ err }, 'spool replay stopped on an unexpected error; it restarts with the next spooled batch'))
      .finally(() => {
        this.replayTask = undefined;
        if (this.spool.isEmpty || this.closing) for (const wake of this.drainWaiters.splice(0)) wake();
        // a batch spooled while this replayer was finishing found it still running: start again
        else this.startReplayer();
      });
  }

  private async replay(): Promise<void> {
    while (!this.closing) {
      try {
        const record = await this.spool.peek();
        if (!record) return;
        const key = `${record.segment}:${record.offset}`;
        const points = this.replayRemainder?.key === key ? this.replayRemainder.points : record.points;
        const rest = await this.tryStore(points, 'replayed');
        if (rest.length === 0) {
          this.replayRemainder = undefined;
          await this.spool.ack(record);
          this.cap.roomMade();
          this.backoff.reset();
          continue;
        }
        this.replayRemainder = { key, points: rest };
      } catch (err) {
        // e.g. the spool's disk failing under the reader: keep trying rather than strand the spool
        this.log.error({ err }, 'spool replay failed; retried after backoff');
      }
      const delay_ms = await this.backoff.wait();
      this.log.info({ delay_ms, spoolRecords: this.spool.pendingRecords, spoolBytes: this.spool.pendingBytes }, 'spool replay retried after backoff');
    }
  }
}

