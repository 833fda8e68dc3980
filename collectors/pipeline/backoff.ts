import { backoffDelayMs } from '../../core/backoff.js';

/** Exponential retry delay (core/backoff.ts: min, doubling, capped) whose wait can be cut short on shutdown. */
export class Backoff {
  /** waits since the last reset */
  private attempts = 0;
  private timer: NodeJS.Timeout | undefined;
  private wake: (() => void) | undefined;
  private cancelled = false;

  constructor(private readonly min_ms: number, private readonly max_ms: number) {}

  /** Waits the current delay, then doubles it; returns the delay waited (ms). */
  async wait(): Promise<number> {
    if (this.cancelled) return 0;
    const delay_ms = backoffDelayMs(++this.attempts, this.min_ms, this.max_ms);
    await new Promise<void>((resolve) => {
      this.wake = resolve;
      this.timer = setTimeout(resolve, delay_ms);
    });
    this.timer = undefined;
    this.wake = undefined;
    return delay_ms;
  }

  reset(): void {
    this.attempts = 0;
  }

  /** ends the current wait and makes every later wait return at once (shutdown) */
  cancel(): void {
    this.cancelled = true;
    if (this.timer) clearTimeout(this.timer);
    this.wake?.();
  }
}
