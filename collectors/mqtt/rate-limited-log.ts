/**
 * Logs a warning at most once per key per window, with the count suppressed since the last one,
 * so that a flood of bad payloads cannot flood the logs (the counters still count every one).
 */
import type { Logger } from '../../server/log.js';

export class RateLimitedLog {
  private readonly last = new Map<string, { at: number; suppressed: number }>();

  constructor(
    private readonly log: Logger,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  warn(key: string, fields: Record<string, unknown>, msg: string): void {
    const t = this.now();
    const entry = this.last.get(key);
    if (entry && t - entry.at < this.windowMs) {
      entry.suppressed++;
      return;
    }
    this.log.warn({ ...fields, suppressedSinceLast: entry?.suppressed ?? 0 }, msg);
    this.last.set(key, { at: t, suppressed: 0 });
  }
}

/**
 * Messages from devices not in the inventory: each device logged once, up to `max` remembered; past
 * that (a flood of made-up ids) further ones are logged rate-limited, so neither memory nor the log
 * grows without bound.
 */
export class UnknownDeviceLog {
  private readonly seen = new Set<string>();

  constructor(private readonly log: Logger, private readonly limited: RateLimitedLog, private readonly max: number) {}

  note(topic: string, device: string): void {
    if (this.seen.has(device)) return;
    if (this.seen.size < this.max) {
      this.seen.add(device);
      this.log.warn({ topic, device }, 'mqtt message from a device not in the inventory (logged once per device)');
    } else {
      this.limited.warn('unknown_device', { topic, device, remembered: this.seen.size }, 'mqtt message from a device not in the inventory (too many unknown devices to log each once)');
    }
  }
}
