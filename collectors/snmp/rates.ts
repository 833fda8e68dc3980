/**
 * Counter -> rate, pure. Interface counters only ever grow, modulo their width; a smaller value
 * than last time is a 32-bit wrap (devices without HC counters), or a reset when the device
 * rebooted (sysUpTime went back) or the counter is 64 bits wide (a 64-bit counter does not wrap
 * in the lifetime of any link: 2^64 bytes at 400 Gbit/s take 11 years).
 */
export interface CounterSample {
  /** counter value (bigint: Counter64 exceeds Number's exact range) */
  value: bigint;
  /** sysUpTime of the same poll, hundredths of a second */
  uptime: number;
  /** epoch milliseconds when the poll was answered */
  time: number;
}

export type CounterWidth = 32 | 64;

const WRAP_32 = 2n ** 32n;

export type RateResult =
  | { ok: true; perSecond: number }
  | { ok: false; reason: 'first-sample' | 'reboot' | 'reset' | 'no-time-elapsed' };

/** Counter units per second between two samples of one counter, or why there is none. */
export function counterRate(prev: CounterSample | undefined, cur: CounterSample, width: CounterWidth): RateResult {
  if (!prev) return { ok: false, reason: 'first-sample' };
  // sysUpTime went back: the device restarted and its counters began again from zero.
  if (cur.uptime < prev.uptime) return { ok: false, reason: 'reboot' };
  const elapsedS = (cur.time - prev.time) / 1000;
  if (elapsedS <= 0) return { ok: false, reason: 'no-time-elapsed' };
  let delta = cur.value - prev.value;
  if (delta < 0n) {
    if (width === 64) return { ok: false, reason: 'reset' };
    delta += WRAP_32;
  }
  return { ok: true, perSecond: Number(delta) / elapsedS };
}

/** Octet counters to bits per second (Telegraf's in_bps/out_bps are bits). */
export function octetsToBps(prev: CounterSample | undefined, cur: CounterSample, width: CounterWidth): number | undefined {
  const r = counterRate(prev, cur, width);
  return r.ok ? r.perSecond * 8 : undefined;
}
