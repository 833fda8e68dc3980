/**
 * Works the delivery queue: sends due deliveries one at a time per pass, in creation order per
 * notifier (head of line: a receiver sees fired before resolved, and in the order they happened), records each attempt, and schedules failed ones with
 * exponential backoff (initial × 2^(attempts-1), capped) until they are older than maxAgeMs.
 * The clock is a parameter; `runOnce()` is one pass, `start()` runs passes on a timer.
 */
import { silentLogger, type Logger } from '../log.js';
import type { RetryConfig } from './config.js';
import type { DeliveryQueue, PendingDelivery } from './delivery-queue.js';
import type { NotificationEvent, Notifier } from './types.js';

export interface DispatcherOptions {
  queue: DeliveryQueue;
  notifiers: readonly (Notifier & { retry?: RetryConfig })[];
  now?: () => number;
  logger?: Logger;
  /** idle poll period of start(); default 1000 ms */
  pollMs?: number;
}

const DEFAULT_RETRY: RetryConfig = { initialBackoffMs: 1000, maxBackoffMs: 60_000, maxAgeMs: 86_400_000 };

export function backoffMs(retry: RetryConfig, attempts: number): number {
  return Math.min(retry.maxBackoffMs, retry.initialBackoffMs * 2 ** Math.max(0, attempts - 1));
}

export class Dispatcher {
  private readonly byName: Map<string, Notifier & { retry?: RetryConfig }>;
  private readonly now: () => number;
  private readonly log: Logger;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private stopped = true;

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

  /** One pass over the due deliveries; resolves with the number of attempts made. */
  runOnce(): Promise<number> {
    // passes never overlap, so one delivery is never attempted twice at once
    this.running = (this.running ?? Promise.resolve(0)).then(() => this.pass(), () => this.pass());
    return this.running;
  }

  private async pass(): Promise<number> {
    let attempts = 0;
    const blocked = new Set<string>();
    for (const d of this.opts.queue.pending(1000)) {
      // an earlier event to the same notifier that is waiting or just failed holds the later
      // ones back: a receiver gets its events in the order they happened (fired before resolved)
      if (blocked.has(d.notifier)) continue;
      if (d.nextAttemptAt > this.now()) { blocked.add(d.notifier); continue; }
      attempts += 1;
      if (!(await this.attempt(d))) blocked.add(d.notifier);
    }
    return attempts;
  }

  private async attempt(d: PendingDelivery): Promise<boolean> {
    const notifier = this.byName.get(d.notifier);
    const started = this.now();
    const wall = performance.now();
    const retry = notifier?.retry ?? DEFAULT_RETRY;
    const result = notifier ? await notifier.send(d.event) : { ok: false, error: `notifier "${d.notifier}" is no longer configured` };
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
    this.timer = setTimeout(() => void this.loop(), 0);
  }

  private async loop(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.runOnce();
    } catch (err) {
      this.log.error({ err }, 'delivery pass failed');
    }
    if (this.stopped) return;
    const next = this.opts.queue.nextDueAt();
    const wait = next === null ? this.opts.pollMs ?? 1000 : Math.min(this.opts.pollMs ?? 1000, Math.max(0, next - this.now()));
    this.timer = setTimeout(() => void this.loop(), wait);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }
}
