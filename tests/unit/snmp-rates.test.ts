import { describe, expect, it } from 'vitest';
import { counterRate, octetsToBps } from '../../collectors/snmp/rates.js';

const s = (value: bigint, uptime: number, time: number) => ({ value, uptime, time });

describe('counter rates', () => {
  it('turns two 64-bit octet samples 60 s apart into bits per second', () => {
    // 1 750 000 - 1 000 000 = 750 000 octets in 60 s = 12 500 octets/s = 100 000 bit/s
    expect(octetsToBps(s(1_000_000n, 100, 0), s(1_750_000n, 6_100, 60_000), 64)).toBe(100_000);
  });

  it('counts a 32-bit counter that wrapped past 2^32 as the bytes that really went through', () => {
    // 4 294 967 000 is 296 below 2^32; then 704: 296 + 704 = 1 000 octets in 10 s = 800 bit/s
    expect(octetsToBps(s(4_294_967_000n, 500, 0), s(704n, 1_500, 10_000), 32)).toBe(800);
  });

  it('gives no rate after a reboot (sysUpTime went back), instead of a spike', () => {
    const r = counterRate(s(9_000_000n, 500_000, 0), s(1_000n, 300, 60_000), 32);
    expect(r).toEqual({ ok: false, reason: 'reboot' });
    expect(octetsToBps(s(9_000_000n, 500_000, 0), s(1_000n, 300, 60_000), 64)).toBeUndefined();
  });

  it('treats a 64-bit counter that went back without a reboot as a reset, not as a wrap', () => {
    expect(counterRate(s(5_000n, 100, 0), s(10n, 200, 1_000), 64)).toEqual({ ok: false, reason: 'reset' });
  });

  it('gives no rate for the first sample or when no time passed', () => {
    expect(counterRate(undefined, s(1n, 1, 1), 64)).toEqual({ ok: false, reason: 'first-sample' });
    expect(counterRate(s(1n, 1, 5), s(2n, 2, 5), 64)).toEqual({ ok: false, reason: 'no-time-elapsed' });
  });

  it('keeps precision for 64-bit counters beyond 2^53', () => {
    // 2^60 -> 2^60 + 8 000 000 000 in 8 s = 10^9 octets/s = 8 * 10^9 bit/s
    expect(octetsToBps(s(2n ** 60n, 10, 0), s(2n ** 60n + 8_000_000_000n, 810, 8_000), 64)).toBe(8e9);
  });

  it('computes a 32-bit rate without wrap exactly like a 64-bit one', () => {
    // 3 000 octets in 2 s = 1 500 octets/s
    expect(counterRate(s(1_000n, 10, 0), s(4_000n, 210, 2_000), 32)).toEqual({ ok: true, perSecond: 1_500 });
  });
});
