/**
 * Starts the collection side (collection-side.ts) for the service and gives main.ts one handle
 * whichever way it runs: in a worker thread (the service's default: API work on the main thread
 * cannot delay a poll cycle, a PUBACK or a pipeline write) or in the calling thread.
 *
 * The handle's snapshot() feeds /api/health (pipeline, broker, collectors, simulator and the
 * `collection` component), metricsText() is appended to /metrics, and onPoints() hands on the
 * device_status and collector_status points the pipeline made durable (for the status owner's
 * live state). close() stops collection and flushes the pipeline exactly as before the move.
 */
import { Worker } from 'node:worker_threads';
import type { Config } from '../config.js';
import type { Logger } from '../../core/log.js';
import { createMetricsRegistry } from '../../core/self-metrics.js';
import type { Point } from '../../core/point.js';
import { startCollectionSide } from './collection-side.js';
import type { CollectionSnapshot } from './collection-health.js';
import type { CollectionWorkerInput, FromWorker, ToWorker } from './collection-worker.js';

export type CollectionMode = 'worker' | 'in-process';

export interface CollectionHandle {
  /** 'collector-processes': an api process (role api), whose collection runs elsewhere (server/cluster/) */
  readonly where: CollectionMode | 'collector-processes';
  /** the broker the MQTT collector uses (the embedded one's URL when none is configured) */
  readonly brokerUrl: string;
  /** the collection side's health (in a worker: the one it pushed, at most 3 s old, else asked); rejects when it does not answer within 2 s */
  snapshot(): Promise<CollectionSnapshot>;
  /** its Prometheus metrics, text format ('' when it does not answer) */
  metricsText(): Promise<string>;
  /** Listens for durable device_status/collector_status points; returns the unsubscribe. */
  onPoints(listener: (points: readonly Point[]) => void): () => void;
  /** why the collection side stopped, when it stopped without being closed */
  failure(): string | undefined;
  close(): Promise<void>;
}

export interface StartCollectionOptions {
  config: Config;
  files: { devicesPath: string; areasPath: string };
  log: Logger;
  mode: CollectionMode;
  /** a worker that does not finish closing in time is terminated (shutdown must end); default 8000 */
  closeTimeoutMs?: number;
  /**
   * A listener of the status points from the very first (also those made durable before the
   * handle is ready, which onPoints() could not catch).
   */
  onPoints?: (points: readonly Point[]) => void;
  /** called once when the worker stops without being closed (crashed, or exited on its own) */
  onFailure?: (reason: string) => void;
}

const REQUEST_TIMEOUT_MS = 2000;
/**
 * A snapshot the worker pushed (every second) answers /api/health for this long: health then
 * never waits for a collection thread busy writing a burst; a worker that stopped pushing is
 * asked, and is not ok when it does not answer within REQUEST_TIMEOUT_MS.
 */
const SNAPSHOT_FRESH_MS = 3000;

export function startCollection(opts: StartCollectionOptions): Promise<CollectionHandle> {
  return opts.mode === 'worker' ? startInWorker(opts) : startInProcess(opts);
}

class Listeners {
  private readonly set = new Set<(points: readonly Point[]) => void>();
  add(fn: (points: readonly Point[]) => void): () => void {
    this.set.add(fn);
    return () => this.set.delete(fn);
  }
  emit(points: readonly Point[], log: Logger): void {
    for (const fn of this.set) {
      try { fn(points); } catch (err) { log.error({ err }, 'a status points listener failed'); }
    }
  }
}

async function startInProcess(opts: StartCollectionOptions): Promise<CollectionHandle> {
  const listeners = new Listeners();
  if (opts.onPoints) listeners.add(opts.onPoints);
  const metrics = createMetricsRegistry({ defaultMetrics: false });
  const side = await startCollectionSide({ config: opts.config, files: opts.files, log: opts.log, metrics, progressOut: process.stderr, onPoints: (p) => listeners.emit(p, opts.log) });
  return {
    where: 'in-process',
    brokerUrl: side.brokerUrl,
    snapshot: () => side.snapshot('in-process'),
    metricsText: () => metrics.metrics(),
    onPoints: (fn) => listeners.add(fn),
    failure: () => undefined,
    close: () => side.close(),
  };
}

function startInWorker(opts: StartCollectionOptions): Promise<CollectionHandle> {
  const input: CollectionWorkerInput = { config: opts.config, files: opts.files, forwardPoints: true, stderrIsTTY: process.stderr.isTTY === true };
  // Module hooks are per thread: the worker registers tsx's loader itself, then loads the
  // TypeScript entry (execArgv's `--import tsx` is not applied to workers on Node 20).
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./collection-worker.ts', import.meta.url).href;
  const boot = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
  const worker = new Worker(boot, { eval: true, workerData: input });
  const listeners = new Listeners();
  if (opts.onPoints) listeners.add(opts.onPoints);
  const waiting = new Map<number, { resolve: (m: FromWorker) => void; timer: NodeJS.Timeout }>();
  let nextId = 1;
  let closing: Promise<void> | undefined;
  let failure: string | undefined;
  const exited = new Promise<number>((resolve) => worker.once('exit', resolve));
  let ready = false;
  /** the snapshot the worker last pushed (collection-worker.ts SNAPSHOT_PUSH_MS) */
  let latest: { snapshot: CollectionSnapshot; at: number } | undefined;
  worker.on('error', (err) => {
    failure = `collection worker failed: ${err.message}`;
    opts.log.fatal({ err }, 'the collection worker failed: nothing is being collected');
  });
  void exited.then((code) => {
    if (closing !== undefined) return;
    failure ??= `collection worker exited with code ${code}`;
    opts.log.fatal({ code }, 'the collection worker exited: nothing is being collected');
    // before ready, the start itself fails instead
    if (ready) opts.onFailure?.(failure);
  });

  const request = <T extends FromWorker['type']>(type: 'snapshot' | 'metrics'): Promise<Extract<FromWorker, { type: T }>> => {
    if (failure !== undefined) return Promise.reject(new Error(failure));
    const id = nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { waiting.delete(id); reject(new Error(`no ${type} answer within ${REQUEST_TIMEOUT_MS} ms`)); }, REQUEST_TIMEOUT_MS);
      waiting.set(id, { resolve: (m) => resolve(m as Extract<FromWorker, { type: T }>), timer });
      worker.postMessage({ type, id } satisfies ToWorker);
    });
  };

  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    void exited.then(() => reject(new Error(failure ?? 'the collection worker exited before it was ready')));
    worker.on('message', (m: FromWorker) => {
      if (m.type === 'points') listeners.emit(m.points, opts.log);
      else if (m.type === 'snapshot' && m.id === 0) latest = { snapshot: m.snapshot, at: Date.now() };
      else if (m.type === 'snapshot' || m.type === 'metrics') {
        const w = waiting.get(m.id);
        if (w) { clearTimeout(w.timer); waiting.delete(m.id); w.resolve(m); }
      } else if (m.type === 'failed') reject(new Error(m.message));
      else if (m.type === 'ready') {
        ready = true;
        resolve({
          where: 'worker',
          brokerUrl: m.brokerUrl,
          // the pushed one while it is fresh; asked for (and a timeout when stuck) once it is not
          snapshot: async () => (latest && Date.now() - latest.at <= SNAPSHOT_FRESH_MS ? latest.snapshot : (await request<'snapshot'>('snapshot')).snapshot),
          metricsText: async () => (await request<'metrics'>('metrics').catch(() => undefined))?.text ?? '',
          onPoints: (fn) => listeners.add(fn),
          failure: () => failure,
          close: () => (closing ??= (async () => {
            worker.postMessage({ type: 'close' } satisfies ToWorker);
            const timer = setTimeout(() => {
              opts.log.error('the collection worker did not close in time: terminated (its queued points were not flushed)');
              void worker.terminate();
            }, opts.closeTimeoutMs ?? 8000);
            await exited;
            clearTimeout(timer);
          })()),
        });
      }
    });
  });
}
