/**
 * The one exponential backoff: the delay before retry number `attempt` (1 = the first retry) is
 * initialMs × 2^(attempt − 1), capped at maxMs. Used by the pipeline's spool replay
 * (collectors/pipeline/backoff.ts), the MQTT collector's reconnects (collectors/mqtt/collector.ts) and
 * the notification dispatcher (server/notifiers/dispatcher.ts).
 * No jitter: each has one retrier per target, so there is no herd to spread.
 */
export function backoffDelayMs(attempt: number, initialMs: number, maxMs: number): number {
  // 2^(attempt − 1) past the cap is Infinity for large attempts: min() keeps it at the cap
  return Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt - 1));
}
