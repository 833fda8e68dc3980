/** Exponential retry delay (min, doubling, capped) whose wait can be cut short on shutdown. */
export class Backoff {
  private next_ms: number;
  private timer: NodeJS.Timeout | undefined;
  private wake: (() => void) | undefined;
  private cancelled = false;

  constructor(private readonly min_ms: number, private readonly max_ms: number) {
    this.next_ms = min_ms;
  }

  /** Waits the current delay, then doubles it; returns the delay waited (ms). */
  async wait(): Promise<number> {
    const delay_ms = this.next_ms;
    if (this.cancelled) return 0;
    this.next_ms = Math.min(this.next_ms * 2, this.max_ms);
    await new Promise<void>((resolve) => {
      this.wake = resolve;
      this.timer = setTimeout(resolve, delay_ms);
    });
    this.timer = undefined;
    this.wake = undefined;
    return delay_ms;
  }

  reset(): void {
    this.next_ms = this.min_ms;
  }

  /** ends the current wait and makes every later wait return at once (shutdown) */
  cancel(): void {
    this.cancelled = true;
    if (this.timer) clearTimeout(this.timer);
    this.wake?.();
  }
}
