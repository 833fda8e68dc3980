/**
 * Worker-thread entry of the simulated network (sim/network-in-worker.ts starts it). The demo's
 * agents and APs run on their own event loop, so the SNMP round-trip times the collector measures
 * are those of a network, not of a busy shared event loop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createLogger } from '../core/log.js';
import { startSimulatedNetwork, type SimNetworkOptions } from './network.js';

export interface WorkerInput {
  options: Omit<SimNetworkOptions, 'log' | 'onProgress'>;
  logLevel: string;
}

export type WorkerMessage =
  | { type: 'ready'; snmpBasePort: number; snmpPorts: [string, number][] }
  | { type: 'state'; stats: ReturnType<Awaited<ReturnType<typeof startSimulatedNetwork>>['stats']>; faults: ReturnType<Awaited<ReturnType<typeof startSimulatedNetwork>>['faultHistory']> }
  | { type: 'failed'; message: string }
  | { type: 'closed' };

const port = parentPort;
if (!port) throw new Error('sim/network-worker.ts must run in a worker thread');
const input = workerData as WorkerInput;
const log = createLogger({ level: input.logLevel });
const send = (m: WorkerMessage): void => port.postMessage(m);

try {
  const network = await startSimulatedNetwork({ ...input.options, log });
  send({ type: 'ready', snmpBasePort: network.snmpBasePort, snmpPorts: [...network.snmpPorts] });
  const publish = (): void => send({ type: 'state', stats: network.stats(), faults: [...network.faultHistory()] });
  publish();
  const timer = setInterval(publish, 1000);
  port.on('message', (m: { type: string; sayOffline?: boolean }) => {
    if (m.type !== 'close') return;
    clearInterval(timer);
    void network.close({ sayOffline: m.sayOffline ?? false }).then(() => {
      send({ type: 'closed' });
      port.close();
    });
  });
} catch (err) {
  send({ type: 'failed', message: (err as Error).message });
  port.close();
}
