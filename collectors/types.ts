import type { Point } from '../core/point.js';

/**
 * Where collectors put their points. The write pipeline implements it; collectors never see a
 * store. `write` resolves once the points are durable: in the store or in the on-disk spool.
 * It may wait (back-pressure) when the in-memory queue or the spool is full; a caller that must
 * not wait forever (a poll cycle with a timeout) passes its signal and gets its reason back.
 */
export interface Sink {
  write(points: readonly Point[], options?: SinkWriteOptions): Promise<void>;
}

export interface SinkWriteOptions {
  /** stop waiting when it aborts (points already queued are still delivered) */
  signal?: AbortSignal;
}

/** Polling collectors (SNMP): the runner calls poll() on a schedule with a timeout signal. */
export interface PollingCollector {
  readonly kind: 'polling';
  readonly name: string;
  poll(sink: Sink, signal: AbortSignal): Promise<void>;
  close?(): Promise<void>;
}

/** Streaming collectors (MQTT): started once, write as messages arrive. */
export interface StreamingCollector {
  readonly kind: 'streaming';
  readonly name: string;
  start(sink: Sink): Promise<void>;
  stop(): Promise<void>;
}

export type Collector = PollingCollector | StreamingCollector;
