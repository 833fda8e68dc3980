/** Starts heavy-readers-worker.ts in a worker thread (tsx registered in it, as telemetry-publisher.ts does). */
import { Worker } from 'node:worker_threads';
import type { HeavyReadersInput, HeavyReadersResult } from './heavy-readers-worker.js';

export type { HeavyReadersInput, HeavyReadersResult };

/** `go()` starts the readers and the sampler and resolves with what they saw. */
export async function startHeavyReaders(input: HeavyReadersInput): Promise<{ go(): Promise<HeavyReadersResult>; stop(): Promise<void> }> {
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./heavy-readers-worker.ts', import.meta.url).href;
  const boot = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
  const worker = new Worker(boot, { eval: true, workerData: input });
  const next = (): Promise<unknown> => new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await next();
  return {
    go: async () => {
      const done = next();
      worker.postMessage('go');
      return await done as HeavyReadersResult;
    },
    stop: async () => { await worker.terminate(); },
  };
}
