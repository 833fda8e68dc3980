/**
 * Worker-thread entry of the heavy reads (heavy-pool.ts starts it through piscina): it opens its
 * own connection to the configured store and runs each task (heavy-tasks.ts) there, so the
 * samples a long window reads (SQLite answers synchronously) and the timelines cut from them
 * never hold the API's event loop. Its thread runs at a lower priority than the API's, so a busy
 * machine answers /api/health and the map first and the heavy reads later.
 */
import { workerData } from 'node:worker_threads';
import { createLogger } from '../../core/log.js';
import { openStore, type OpenedStore } from '../store/open-store.js';
import type { StoreConfig } from '../store/create-store.js';
import { lowerThisThreadPriority } from '../collection/thread-priority.js';
import { runHeavyTask, type HeavyAnswer, type HeavyTask } from './heavy-tasks.js';

export interface HeavyWorkerInput {
  store: Omit<StoreConfig, 'logger'>;
  logLevel: string;
  /** how much higher this thread's nice value is than the thread that made it (Linux) */
  nice: number;
}

const input = workerData as HeavyWorkerInput;
const log = createLogger({ level: input.logLevel }).child({ thread: 'heavy-reads' });
lowerThisThreadPriority(input.nice, log, {
  niced: 'heavy-reads worker niced below the API thread',
  failed: 'could not lower the heavy-reads worker\'s priority; heavy reads compete with /api/health for CPU',
});
// opened when the worker starts (with the service, heavy-pool.ts), so the first heavy request
// does not pay for it; an unreachable store is retried by openStore, and reads meanwhile fail as
// the API's own would
const opened: Promise<OpenedStore> = openStore(input.store, log, 'heavy-reads');

/** piscina's handler: one task in, its answer out (errors as data, so their name survives). */
export default async function runTask(task: HeavyTask): Promise<HeavyAnswer> {
  try {
    const { store } = await opened;
    return { ok: true, value: await runHeavyTask(store, task) };
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    return { ok: false, name: e.name, message: e.message };
  }
}
