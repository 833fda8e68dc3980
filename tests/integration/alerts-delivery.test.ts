/**
 * Acceptance (issue 8): the webhook receiver is down for 1 min (driven clock; nothing listens
 * on its port, so connections are refused), then up: every notification arrives exactly once,
 * in order; the same with a netatlas restart (queue and alert state reopened from disk) while
 * the receiver is down. Backoff 1 s doubling to 8 s max.
 */
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Operations } from '../../server/compose/operations.js';
import type { Inventory } from '../../server/inventory/inventory.js';
import type { SqliteStore } from '../../server/store/sqlite-store.js';
import { MIN, S, Receiver, openOps, openSqlite, tempDir, testInventory, writeStatus } from './alerts-harness.js';

const T0 = Date.UTC(2026, 10, 2, 10, 0, 0);
const RETRY = { initialBackoffMs: 1000, maxBackoffMs: 8000 };

const abandoned: Operations[] = [];
let dir: string, store: SqliteStore, inv: Inventory, receiver: Receiver, ops: Operations, port: number;
const clock = { now: T0 };

beforeEach(async () => {
  dir = tempDir();
  store = await openSqlite(dir);
  inv = testInventory();
  // take a free port, then close it: the receiver is "down" until it listens there again
  receiver = await new Receiver().listen();
  port = receiver.port;
  await receiver.close();
  clock.now = T0;
  ops = openOps({ dir, store, inventory: inv, clock, webhookUrl: `http://127.0.0.1:${port}/hook`, retry: RETRY });
});

afterEach(async () => {
  for (const o of abandoned.splice(0)) await o.close();
  await ops.close();
  await receiver.close();
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** s1 down 60..240 s and s2 down 90..270 s: two fired and two resolved notifications by 330 s. */
const isUp = (d: string, t: number): boolean => !((d === 's1' && t >= T0 + 60 * S && t < T0 + 240 * S) || (d === 's2' && t >= T0 + 90 * S && t < T0 + 270 * S));

async function step(t: number): Promise<void> {
  clock.now = t;
  if ((t - T0) % (10 * S) === 0) for (const d of inv.all()) await writeStatus(store, inv, d.id, t, isUp(d.id, t));
  if ((t - T0) % (15 * S) === 0) await ops.engine.evaluate();
  await ops.dispatcher.runOnce();
}

const EXPECTED = [
  `device_down:s1:${T0 + 60 * S}:fired`,
  `device_down:s2:${T0 + 90 * S}:fired`,
  `device_down:s1:${T0 + 60 * S}:resolved`,
  `device_down:s2:${T0 + 90 * S}:resolved`,
];

describe('persisted delivery queue', () => {
  it('a receiver down for 1 min, then up, gets every notification exactly once and in order', async () => {
    // the receiver is down from the first fired alert (210 s) until 330 s + 60 s = 390 s
    let t = T0;
    for (; t < T0 + 390 * S; t += S) await step(t);
    expect(ops.queue.counts()).toEqual({ pending: 4, delivered: 0, failed: 0 });
    const failures = ops.queue.log(1000).filter((e) => !e.ok);
    expect(failures.length).toBeGreaterThan(4);
    expect(failures[0]!.error).toMatch(/ECONNREFUSED/);
    await receiver.listen(port);
    for (; t < T0 + 420 * S; t += S) await step(t);
    expect(receiver.ids()).toEqual(EXPECTED);
    expect(receiver.requests.every((r) => r.signatureValid)).toBe(true);
    expect(ops.queue.counts()).toEqual({ pending: 0, delivered: 4, failed: 0 });
    // nothing is sent again later
    for (; t < T0 + 600 * S; t += 5 * S) await step(t);
    expect(receiver.ids()).toEqual(EXPECTED);
  });

  it('with a restart while the receiver is down, every notification still arrives exactly once', async () => {
    let t = T0;
    // fired alerts queued and failing, then the process "restarts" mid-outage
    for (; t < T0 + 250 * S; t += S) await step(t);
    expect(ops.queue.counts().pending).toBe(2);
    // like a crash: the old instance is abandoned without close() (nothing is flushed at close;
    // every evaluation and attempt committed its state already), a new one opens the same files
    abandoned.push(ops);
    ops = openOps({ dir, store, inventory: inv, clock, webhookUrl: `http://127.0.0.1:${port}/hook`, retry: RETRY });
    for (; t < T0 + 390 * S; t += S) await step(t);
    expect(ops.queue.counts()).toEqual({ pending: 4, delivered: 0, failed: 0 });
    await receiver.listen(port);
    for (; t < T0 + 420 * S; t += S) await step(t);
    // a second restart after delivery: nothing delivered is sent again, no alert is raised again
    await ops.close();
    ops = openOps({ dir, store, inventory: inv, clock, webhookUrl: `http://127.0.0.1:${port}/hook`, retry: RETRY });
    for (; t < T0 + 600 * S; t += 5 * S) await step(t);
    expect(receiver.ids()).toEqual(EXPECTED);
    expect(receiver.requests.every((r) => r.signatureValid)).toBe(true);
    expect(ops.queue.counts()).toEqual({ pending: 0, delivered: 4, failed: 0 });
  });

  it('backoff doubles from 1 s up to the 8 s cap between attempts', async () => {
    let t = T0;
    for (; t < T0 + 300 * S; t += S) await step(t);
    const attempts = ops.queue.log(1000, `device_down:s1:${T0 + 60 * S}:fired`).reverse();
    const gaps = attempts.slice(1).map((a, i) => (a.at - attempts[i]!.at) / S);
    expect(gaps.slice(0, 6)).toEqual([1, 2, 4, 8, 8, 8]);
  });
});
