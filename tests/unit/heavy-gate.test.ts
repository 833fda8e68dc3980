/** The heavy-analytics gate (server/api/heavy-gate.ts): at most `concurrency` at once, a bounded line, a bounded wait. */
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../server/errors.js';
import { HeavyGate } from '../../server/api/heavy-gate.js';

const code = (err: unknown): string => (err instanceof ApiError ? err.code : `not an ApiError: ${String(err)}`);

describe('HeavyGate', () => {
  it('runs at most `concurrency` at once, admits the next in line when one ends, and refuses when the line is full', async () => {
    let t = 0;
    const gate = new HeavyGate({ concurrency: 2, queueMs: 60_000, queueLength: 1, now: () => t });
    const a = await gate.acquire();
    const b = await gate.acquire();
    expect(gate.active).toBe(2);
    let cAdmitted = false;
    const c = gate.acquire().then((release) => { cAdmitted = true; return release; });
    expect(gate.waiting).toBe(1);
    // the line holds 1: a 4th is refused at once, naming the setting
    const d = await gate.acquire().then(() => 'admitted', (err: unknown) => err);
    expect(code(d)).toBe('busy');
    expect((d as Error).message).toContain('http.limits.heavyQueueLength');
    await Promise.resolve();
    expect(cAdmitted).toBe(false);
    t = 4000; // a ran 4 s
    a();
    const releaseC = await c;
    expect(cAdmitted).toBe(true);
    expect(gate.active).toBe(2);
    expect(gate.waiting).toBe(0);
    // Retry-After from the moving average: 0.8 × 1000 + 0.2 × 4000 = 1600 ms a request, one turn → 2 s
    expect(gate.retryAfterS()).toBe(2);
    a(); // giving a slot back twice frees it once
    expect(gate.active).toBe(2);
    b();
    releaseC();
    expect(gate.active).toBe(0);
  });

  it('refuses a request that waited `queueMs` for its turn, and forgets it', async () => {
    const gate = new HeavyGate({ concurrency: 1, queueMs: 50, queueLength: 5 });
    const a = await gate.acquire();
    const started = Date.now();
    const waited = await gate.acquire().then(() => 'admitted', (err: unknown) => err);
    expect(code(waited)).toBe('busy');
    expect((waited as Error).message).toContain('waited 50 ms for a turn: http.limits.heavyQueueMs');
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(gate.waiting).toBe(0);
    a();
    // the slot it would have had is free for the next one
    const next = await gate.acquire();
    expect(gate.active).toBe(1);
    next();
  });
});
