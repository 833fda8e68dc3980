/**
 * The simulated network in a worker thread (sim/network-worker.ts), as the demo runs it: the
 * same handle as an in-process network, with stats and fault history mirrored once a second.
 */
import { Worker } from 'node:worker_threads';
import type { FaultRecord } from './faults.js';
import type { SimNetworkOptions, SimNetworkStats, SimulatedNetwork } from './network.js';
import type { WorkerInput, WorkerMessage } from './network-worker.js';

export type SimulatedNetworkHandle = Pick<SimulatedNetwork, 'snmpBasePort' | 'snmpPorts' | 'stats' | 'faultHistory' | 'close'>;

const EMPTY: SimNetworkStats = { agents: 0, agentsAnswering: 0, aps: 0, apsOnline: 0, telemetrySent: 0, activeFaults: 0 };

export function startSimulatedNetworkInWorker(options: Omit<SimNetworkOptions, 'log' | 'onProgress'>, logLevel: string, closeTimeoutMs = 8000): Promise<SimulatedNetworkHandle> {
  const input: WorkerInput = { options, logLevel };
  // Module hooks are per thread: the worker registers tsx's loader itself, then loads the
  // TypeScript entry (execArgv's `--import tsx` is not applied to workers on Node 20).
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./network-worker.ts', import.meta.url).href;
  const boot = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
  const worker = new Worker(boot, { eval: true, workerData: input });
  let stats = EMPTY;
  let faults: readonly FaultRecord[] = [];
  let closing: Promise<void> | undefined;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    void exited.then(() => reject(new Error('simulator worker exited before it was ready')));
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'state') { stats = m.stats; faults = m.faults; }
      else if (m.type === 'failed') reject(new Error(m.message));
      else if (m.type === 'ready') {
        resolve({
          snmpBasePort: m.snmpBasePort,
          snmpPorts: new Map(m.snmpPorts),
          stats: () => stats,
          faultHistory: () => faults,
          close: (o = {}) => (closing ??= (async () => {
            worker.postMessage({ type: 'close', sayOffline: o.sayOffline ?? false });
            // A worker that does not finish closing in time is terminated: shutdown must end.
            const timer = setTimeout(() => void worker.terminate(), closeTimeoutMs);
            await exited;
            clearTimeout(timer);
          })()),
        });
      }
    });
  });
}
