/** Starts telemetry-publisher-worker.ts in a worker thread (tsx registered in it, as server/collection does). */
import { Worker } from 'node:worker_threads';
import type { PublisherInput, PublisherResult } from './telemetry-publisher-worker.js';

export type { PublisherInput, PublisherResult };

/** Connects the publisher's clients; `go()` starts publishing and resolves with its result. */
export async function startPublisher(input: PublisherInput): Promise<{ go(): Promise<PublisherResult>; stop(): Promise<void> }> {
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./telemetry-publisher-worker.ts', import.meta.url).href;
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
      return await done as PublisherResult;
    },
    stop: async () => { await worker.terminate(); },
  };
}
