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

/**
 * A collector's line in /api/health (server/collection puts them together): `ok` false only when
 * it cannot collect at all (MQTT: not connected), `detail` a short phrase, `state` what it shows
 * in full (the SNMP collector's last cycle, the MQTT connection).
 */
export interface CollectorHealth {
  ok: boolean;
  detail: string;
  state: unknown;
}

/** What the service tells a collector when asking for its health. */
export interface CollectorHealthContext {
  /** the URL of the service's embedded MQTT broker, when it runs one */
  embeddedBrokerUrl?: string | undefined;
}

/** Polling collectors (SNMP): the runner calls poll() on a schedule with a timeout signal. */
export interface PollingCollector {
  readonly kind: 'polling';
  readonly name: string;
  poll(sink: Sink, signal: AbortSignal): Promise<void>;
  close?(): Promise<void>;
  /** absent: /api/health shows it as running */
  health?(ctx: CollectorHealthContext): CollectorHealth;
}

/** Streaming collectors (MQTT): started once, write as messages arrive. */
export interface StreamingCollector {
  readonly kind: 'streaming';
  readonly name: string;
  start(sink: Sink): Promise<void>;
  stop(): Promise<void>;
  /** absent: /api/health shows it as running */
  health?(ctx: CollectorHealthContext): CollectorHealth;
}

export type Collector = PollingCollector | StreamingCollector;
