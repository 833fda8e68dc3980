/**
 * One sample of `device_status` as the store returns it: the raw material of timelines, uptime
 * and incidents. The store produces them and server/status reads them; what a sample means over
 * time (how long it holds, when it is stale) is decided in server/status/ only.
 */
export interface StatusSample {
  device: string;
  time: number;
  /** false for down and for unreadable samples */
  up: boolean;
  /** the device answered but could not be read (our misconfiguration): unknown, never down */
  unreadable?: boolean;
  /** why the device was down or unreadable, as the collector said it */
  reason?: string;
  rtt_ms?: number;
  tags: Record<string, string>;
}
