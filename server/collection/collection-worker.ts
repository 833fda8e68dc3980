/**
 * Worker-thread entry of the collection side (collection.ts starts it): collectors, pipeline,
 * embedded broker and simulator on an event loop no API request runs on. It answers snapshot and
 * metrics requests, hands status points to the main thread (batched every 50 ms), and on `close`
 * stops collection and flushes the pipeline before it says `closed`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Config } from '../config.js';
import { createLogger } from '../../core/log.js';
import { createMetricsRegistry } from '../../core/self-metrics.js';
import type { Point } from '../../core/point.js';
import { startCollectionSide } from './collection-side.js';
import type { CollectionSnapshot } from './collection-health.js';

export interface CollectionWorkerInput {
  config: Config;
  files: { devicesPath: string; areasPath: string };
  /** whether the main thread listens for status points (no copies are sent otherwise) */
  forwardPoints: boolean;
  /** the main thread's stderr is a terminal (a worker's process.stderr never says so itself) */
  stderrIsTTY: boolean;
}

export type ToWorker =
  | { type: 'snapshot'; id: number }
  | { type: 'metrics'; id: number }
  | { type: 'close' };

export type FromWorker =
  | { type: 'ready'; brokerUrl: string }
  | { type: 'failed'; message: string }
  /** id 0: pushed every SNAPSHOT_PUSH_MS, not an answer */
  | { type: 'snapshot'; id: number; snapshot: CollectionSnapshot }
  | { type: 'metrics'; id: number; text: string }
  | { type: 'points'; points: Point[] }
  | { type: 'closed' };

const POINTS_BATCH_MS = 50;
/** how often the worker sends its snapshot unasked (id 0) */
export const SNAPSHOT_PUSH_MS = 1000;

const port = parentPort;
if (!port) throw new Error('server/collection/collection-worker.ts must run in a worker thread');
const input = workerData as CollectionWorkerInput;
const log = createLogger({ level: input.config.log.level }).child({ thread: 'collection' });
const send = (m: FromWorker): void => port.postMessage(m);
// The process-wide default metrics (CPU, memory, the main loop's lag) are the main thread's;
// this registry holds the collection side's own.
const metrics = createMetricsRegistry({ defaultMetrics: false });

let pending: Point[] = [];
let timer: NodeJS.Timeout | undefined;
const flushPoints = (): void => {
  clearTimeout(timer);
  timer = undefined;
  if (pending.length === 0) return;
  send({ type: 'points', points: pending });
  pending = [];
};

try {
  const side = await startCollectionSide({
    config: input.config,
    files: input.files,
    log,
    metrics,
    progressOut: { isTTY: input.stderrIsTTY, write: (text: string) => process.stderr.write(text) },
    ...(input.forwardPoints ? { onPoints: (points: readonly Point[]) => {
      pending.push(...points);
      timer ??= setTimeout(flushPoints, POINTS_BATCH_MS);
    } } : {}),
  });
  send({ type: 'ready', brokerUrl: side.brokerUrl });
  // pushed unasked every second, so /api/health answers from the latest one at once instead of
  // waiting for this thread between two batches of writes (collection.ts SNAPSHOT_FRESH_MS)
  const pushing = setInterval(() => void side.snapshot('worker').then((snapshot) => send({ type: 'snapshot', id: 0, snapshot })), SNAPSHOT_PUSH_MS);
  port.on('message', (m: ToWorker) => {
    if (m.type === 'snapshot') void side.snapshot('worker').then((snapshot) => send({ type: 'snapshot', id: m.id, snapshot }));
    else if (m.type === 'metrics') void metrics.metrics().then((text) => send({ type: 'metrics', id: m.id, text }));
    else if (m.type === 'close') {
      clearInterval(pushing);
      void side.close().then(() => {
        // the last cycle's status points, made durable by the flush, go out before `closed`
        flushPoints();
        send({ type: 'closed' });
        port.close();
      });
    }
  });
} catch (err) {
  log.error({ err }, 'collection side could not start');
  send({ type: 'failed', message: (err as Error).message });
  port.close();
}
