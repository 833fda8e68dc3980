/** Starts heavy-readers-worker.ts in a worker thread (go-worker.ts). */
import { startGoWorker } from './go-worker.js';
import type { HeavyReadersInput, HeavyReadersResult } from './heavy-readers-worker.js';

export type { HeavyReadersInput, HeavyReadersResult };

/** `go()` starts the readers and the sampler and resolves with what they saw. */
export function startHeavyReaders(input: HeavyReadersInput): Promise<{ go(): Promise<HeavyReadersResult>; stop(): Promise<void> }> {
  return startGoWorker<HeavyReadersInput, HeavyReadersResult>(new URL('./heavy-readers-worker.ts', import.meta.url), input);
}
