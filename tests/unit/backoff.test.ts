/**
 * The one exponential backoff (core/backoff.ts) and the two retriers built on it.
 */
import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from '../../core/backoff.js';
import { Backoff } from '../../collectors/pipeline/backoff.js';
import { backoffMs } from '../../server/notifiers/index.js';

describe('exponential backoff', () => {
  it('doubles from the initial delay and stops at the cap', () => {
    // 500 × 2^0, 2^1, 2^2, 2^3 = 500, 1000, 2000, 4000; then 8000 and 16000 are capped at 5000
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelayMs(n, 500, 5000))).toEqual([500, 1000, 2000, 4000, 5000, 5000]);
    // attempt 0 (nothing failed yet) waits the initial delay; a huge attempt stays at the cap
    expect(backoffDelayMs(0, 500, 5000)).toBe(500);
    expect(backoffDelayMs(5000, 500, 5000)).toBe(5000);
  });

  it('gives the notification dispatcher the same delays', () => {
    const retry = { initialBackoffMs: 500, maxBackoffMs: 5000, maxAgeMs: 60_000 };
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffMs(retry, n))).toEqual([500, 1000, 2000, 4000, 5000, 5000]);
  });

  it("gives the pipeline's replay retrier the same delays, again from the start after reset()", async () => {
    // 1 ms doubling to 4 ms: 1, 2, 4, 4; after reset 1 again (short real waits)
    const b = new Backoff(1, 4);
    const waited: number[] = [];
    for (let i = 0; i < 4; i++) waited.push(await b.wait());
    b.reset();
    waited.push(await b.wait());
    expect(waited).toEqual([1, 2, 4, 4, 1]);
    b.cancel();
    expect(await b.wait()).toBe(0);
  });
});
