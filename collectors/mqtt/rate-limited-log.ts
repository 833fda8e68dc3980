/**
 * Logs a warning at most once per key per window, with the count suppressed since the last one,
 * so that a flood of bad payloads cannot flood the logs (the counters still count every one).
 */
import type { Logger } from '../../core/log.js';

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
 * Messages from devices not in the inventory: each device logged once, up to `max` remembered ids
 * taking at most `maxBytes` (UTF-8) together; an id longer than `maxIdBytes` is never remembered
 * (a topic segment may be 64 KiB: 10 000 of those would be 640 MiB). Past either bound (a flood of
 * made-up ids) further ones are logged rate-limited, cut to `maxIdBytes`, so neither memory nor the
 * log grows without bound.
 */
export class UnknownDeviceLog {
  private readonly seen = new Set<string>();
  private seenBytes = 0;

  constructor(
    private readonly log: Logger,
    private readonly limited: RateLimitedLog,
    private readonly max: number,
    private readonly maxBytes: number = 1024 * 1024,
    private readonly maxIdBytes: number = 256,
  ) {}

  /** bytes of the remembered ids */
  get rememberedBytes(): number {
    return this.seenBytes;
  }

  get remembered(): number {
    return this.seen.size;
  }

  note(topic: string, device: string): void {
    if (this.seen.has(device)) return;
    const bytes = Buffer.byteLength(device, 'utf8');
    if (bytes <= this.maxIdBytes && this.seen.size < this.max && this.seenBytes + bytes <= this.maxBytes) {
      this.seen.add(device);
      this.seenBytes += bytes;
      this.log.warn({ topic, device }, 'mqtt message from a device not in the inventory (logged once per device)');
    } else {
      const cut = (s: string): string => (s.length > this.maxIdBytes ? `${s.slice(0, this.maxIdBytes)}… (${Buffer.byteLength(s, 'utf8')} bytes)` : s);
      this.limited.warn('unknown_device', { topic: cut(topic), device: cut(device), remembered: this.seen.size, rememberedBytes: this.seenBytes }, 'mqtt message from a device not in the inventory (too many unknown devices, or an id too long, to log each once)');
    }
  }
}
