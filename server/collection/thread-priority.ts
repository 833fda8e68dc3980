/**
 * Gives the collection side the CPU first when the machine is busy. On Linux a nice value
 * belongs to a thread, not to the process: os.setPriority(0, …) changes the calling thread only,
 * and threads keep the value they were created with. Called on the API's thread once the
 * collection worker (and libuv's thread pool, which its spool used while starting) exist, it
 * makes the API's thread yield to collection under contention, and only then: with idle CPU the
 * API runs as fast as before. Raising a nice value needs no privilege.
 */
import os from 'node:os';
import type { Logger } from '../../core/log.js';

export function lowerThisThreadPriority(by: number, log: Logger, why: { niced: string; failed: string } = {
  niced: 'API thread niced below the collection worker',
  failed: 'could not lower the API thread\'s priority; collection competes with reads for CPU',
}): void {
  if (process.platform !== 'linux' || by <= 0) return;
  try {
    const current = os.getPriority(0);
    os.setPriority(0, Math.min(19, current + by));
    log.debug({ nice: Math.min(19, current + by) }, why.niced);
  } catch (err) {
    log.warn({ err }, why.failed);
  }
}
