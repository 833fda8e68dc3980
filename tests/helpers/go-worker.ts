/**
 * Runs a test helper module in a worker thread (tsx registered in it, as server/collection does),
 * so its work does not share the test's event loop with the service under test. The module posts
 * one message when it is ready, waits for 'go', then posts its result.
 */
import { Worker } from 'node:worker_threads';

/** Starts `entry` (a file URL) with `input` as workerData; `go()` resolves with its result. */
export async function startGoWorker<I, R>(entry: URL, input: I): Promise<{ go(): Promise<R>; stop(): Promise<void> }> {
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); })`;
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
      return await done as R;
    },
    stop: async () => { await worker.terminate(); },
  };
}
