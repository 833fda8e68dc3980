/** Starts telemetry-publisher-worker.ts in a worker thread (go-worker.ts). */
import { startGoWorker } from './go-worker.js';
import type { PublisherInput, PublisherResult } from './telemetry-publisher-worker.js';

export type { PublisherInput, PublisherResult };

/** Connects the publisher's clients; `go()` starts publishing and resolves with its result. */
export function startPublisher(input: PublisherInput): Promise<{ go(): Promise<PublisherResult>; stop(): Promise<void> }> {
  return startGoWorker<PublisherInput, PublisherResult>(new URL('./telemetry-publisher-worker.ts', import.meta.url), input);
}
