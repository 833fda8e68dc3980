/**
 * Works the delivery queue: each receiver (notifier) has its own lane, and lanes run
 * independently, so a receiver that hangs until its timeout delays nobody else. Within a lane,
 * deliveries go one at a time in creation order (head of line: a receiver sees fired before
 * resolved, and in the order they happened); each attempt is recorded, and failed ones are
 * scheduled with exponential backoff (initial × 2^(attempts-1), capped) until they are older
 * than maxAgeMs. A lane never runs twice at once, so one delivery is never attempted twice at once.
 * The clock is a parameter; `runOnce()` is one pass, `start()` runs lanes on a timer.
 */
import { backoffDelayMs } from '../../core/backoff.js';
import { silentLogger, type Logger } from '../../core/log.js';
import type { RetryConfig } from './config.js';
import type { DeliveryQueue, PendingDelivery } from './delivery-queue.js';
import type { DeliveryResult, NotificationEvent, Notifier } from './types.js';

export interface DispatcherOptions {
  queue: DeliveryQueue;
  notifiers: readonly (Notifier & { retry?: RetryConfig })[];
  now?: () => number;
  logger?: Logger;
  /** idle poll period of start(); default 1000 ms */
  pollMs?: number;
}

const DEFAULT_RETRY: RetryConfig = { initialBackoffMs: 1000, maxBackoffMs: 60_000, maxAgeMs: 86_400_000 };

/** The delay before a delivery's next attempt, after `attempts` failed ones (core/backoff.ts). */
export function backoffMs(retry: RetryConfig, attempts: number): number {
  return backoffDelayMs(attempts, retry.initialBackoffMs, retry.maxBackoffMs);
}

/** Deliveries a lane reads per run (it goes on in the next run). */
const LANE_BATCH = 200;

export class Dispatcher {
  private readonly byName: Map<string, Notifier & { retry?: RetryConfig }>;
  private readonly now: () => number;
  private readonly log: Logger;
  private readonly lanes = new Map<string, Promise<number>>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;
  private closing = false;

  constructor(private readonly opts: DispatcherOptions) {
    this.byName = new Map(opts.notifiers.map((n) => [n.name, n]));
    this.now = opts.now ?? Date.now;
    this.log = (opts.logger ?? silentLogger).child({ component: 'notifier' });
  }

  get notifierNames(): string[] {
    return [...this.byName.keys()];
  }

  /** Queues an event for the given notifiers (default: all) and wakes the loop. */
  enqueue(event: NotificationEvent, notifiers: readonly string[] = this.notifierNames): number {
    const known = notifiers.filter((n) => this.byName.has(n));
    const added = this.opts.queue.enqueue(event, known, this.now());
    if (added > 0) this.wake();
    return added;
  }

  /**
   * One pass: waits for lanes already running, then runs every receiver's due deliveries (the
   * lanes side by side) and resolves with the number of attempts this pass made.
   */
  async runOnce(): Promise<number> {
    await Promise.allSettled([...this.lanes.values()]);
    const counts = await Promise.all(this.startLanes());
    return counts.reduce((a, b) => a + b, 0);
  }

  /** Starts a lane for each receiver whose head delivery is due and whose lane is not running. */
  private startLanes(): Promise<number>[] {
    const started: Promise<number>[] = [];
    const now = this.now();
    for (const { notifier: name, nextAttemptAt } of this.opts.queue.heads()) {
      if (this.lanes.has(name) || nextAttemptAt > now) continue;
      const run = this.lane(name).finally(() => {
        this.lanes.delete(name);
        this.wake(); // its next delivery, or its next due time, for the loop to pick up
      });
      this.lanes.set(name, run);
      started.push(run);
    }
    return started;
  }

  private async lane(name: string): Promise<number> {
    let attempts = 0;
    for (const d of this.opts.queue.pending(LANE_BATCH, name)) {
      // an earlier event to this receiver that is waiting or just failed holds the later ones
      // back: a receiver gets its events in the order they happened (fired before resolved)
      if (this.closing || d.nextAttemptAt > this.now()) break;
      attempts += 1;
      // a receiver no longer configured: each of its rows is given up at once, nothing to hold back
      if (!(await this.attempt(d)) && this.byName.has(name)) break;
    }
    return attempts;
  }

  private async attempt(d: PendingDelivery): Promise<boolean> {
    const notifier = this.byName.get(d.notifier);
    const started = this.now();
    const wall = performance.now();
    const retry = notifier?.retry ?? DEFAULT_RETRY;
    let result: DeliveryResult;
    try {
      result = notifier ? await notifier.send(d.event) : { ok: false, error: `notifier "${d.notifier}" is no longer configured` };
    } catch (err) {
      // send() should never reject; if one does, it is a failed attempt with backoff like any
      // other, never an exception that leaves the row due and retried at once, forever
      result = { ok: false, error: `${d.notifier}: ${(err as Error).message}` };
    }
    const at = this.now();
    const entry = { at, ok: result.ok, status: result.status ?? null, error: result.error ?? null, durationMs: Math.round(performance.now() - wall) };
    if (result.ok) {
      this.opts.queue.record(d, entry, { status: 'delivered' });
      this.log.info({ event: d.eventId, notifier: d.notifier, attempt: d.attempts + 1 }, 'notification delivered');
      return true;
    }
    if (at - d.createdAt >= retry.maxAgeMs || !notifier) {
      this.opts.queue.record(d, entry, { status: 'failed' });
      this.log.error({ event: d.eventId, notifier: d.notifier, attempts: d.attempts + 1, error: result.error }, 'notification given up');
      return false;
    }
    const next = Math.max(started, at) + backoffMs(retry, d.attempts + 1);
    this.opts.queue.record(d, entry, { status: 'pending', nextAttemptAt: next });
    this.log.warn({ event: d.eventId, notifier: d.notifier, attempt: d.attempts + 1, error: result.error, retryInMs: next - at }, 'notification failed; will retry');
    return false;
  }

  private wake(): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.loop(), 0);
  }

  /** Starts the idle lanes without waiting for them (a slow one must not hold the others' timer). */
  private loop(): void {
    if (this.stopped) return;
    try {
      for (const run of this.startLanes()) run.catch((err: unknown) => this.log.error({ err }, 'delivery lane failed'));
    } catch (err) {
      this.log.error({ err }, 'delivery pass failed');
    }
    // the idle receivers' heads set the timer (a running lane wakes the loop when it ends); a
    // head due now belongs to a lane just started, so every idle head here is in the future
    const idle = this.opts.queue.heads().filter((h) => !this.lanes.has(h.notifier)).map((h) => h.nextAttemptAt);
    const poll = this.opts.pollMs ?? 1000;
    const wait = idle.length === 0 ? poll : Math.min(poll, Math.max(0, Math.min(...idle) - this.now()));
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.loop(), wait);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.closing = false;
    this.wake();
  }

  /** Stops the timer; running lanes finish the attempt in hand (bounded by its timeout) and stop. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.closing = true;
    clearTimeout(this.timer);
    await Promise.allSettled([...this.lanes.values()]);
    this.closing = false;
  }
}
