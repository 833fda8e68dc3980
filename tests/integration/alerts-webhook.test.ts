/**
 * Acceptance (issue 8): scripted status points written through the real SQLite store, the alert
 * engine and the webhook notifier on a driven clock, a receiver on loopback checking the HMAC.
 * Devices are polled every 10 s; the engine evaluates every 15 s of the driven clock.
 */
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Operations } from '../../server/compose/operations.js';
import type { Inventory } from '../../server/inventory/inventory.js';
import type { SqliteStore } from '../../server/store/sqlite-store.js';
import { MIN, S, Receiver, openOps, openSqlite, tempDir, testInventory, writeStatus } from './alerts-harness.js';

const T0 = Date.UTC(2026, 10, 2, 10, 0, 0);

let dir: string, store: SqliteStore, inv: Inventory, receiver: Receiver, ops: Operations;
const clock = { now: T0 };

beforeEach(async () => {
  dir = tempDir();
  store = await openSqlite(dir);
  inv = testInventory();
  receiver = await new Receiver().listen();
  clock.now = T0;
  ops = openOps({ dir, store, inventory: inv, clock, webhookUrl: receiver.url });
});

afterEach(async () => {
  await ops.close();
  await receiver.close();
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Runs the driven clock from T0 to T0 + durationMs: polls every 10 s, evaluation + delivery every 15 s. */
async function drive(durationMs: number, isUp: (device: string, t: number) => boolean): Promise<void> {
  for (let t = T0; t <= T0 + durationMs; t += 5 * S) {
    clock.now = t;
    if ((t - T0) % (10 * S) === 0) for (const d of inv.all()) await writeStatus(store, inv, d.id, t, isUp(d.id, t));
    if ((t - T0) % (15 * S) === 0) {
      await ops.engine.evaluate();
      await ops.dispatcher.runOnce();
    }
  }
}

describe('alerts delivered to a webhook', () => {
  it('a device down for 3 min raises exactly one alert and one resolved notification, each with a valid HMAC', async () => {
    await drive(10 * MIN, (d, t) => !(d === 's1' && t >= T0 + 60 * S && t < T0 + 240 * S));
    expect(receiver.requests.map((r) => [r.json.kind, r.json.alert?.rule, r.json.alert?.subject])).toEqual([
      ['fired', 'device_down', 's1'],
      ['resolved', 'device_down', 's1'],
    ]);
    expect(receiver.requests.every((r) => r.signatureValid)).toBe(true);
    expect(receiver.requests.map((r) => r.headers['idempotency-key'])).toEqual([`device_down:s1:${T0 + 60 * S}:fired`, `device_down:s1:${T0 + 60 * S}:resolved`]);
    expect(receiver.requests[0]!.headers['x-team']).toBe('noc');
    expect(ops.history.open()).toEqual([]);
    expect(ops.history.recent(10).map((a) => [a.subject, a.resolvedAt! - T0])).toEqual([['s1', 300 * S]]);
    expect(ops.queue.counts()).toEqual({ pending: 0, delivered: 2, failed: 0 });
  });

  it('a link flapping every 20 s for 10 min raises one alert (flapping) and one resolved', async () => {
    const flapping = (t: number): boolean => t < T0 + 10 * MIN && Math.floor((t - T0) / (20 * S)) % 2 === 0;
    await drive(14 * MIN, (d, t) => !(d === 's1' && flapping(t)));
    expect(receiver.requests.map((r) => [r.json.kind, r.json.alert?.subject, r.json.alert?.flapping])).toEqual([
      ['fired', 's1', true],
      ['resolved', 's1', true],
    ]);
    expect(receiver.requests.every((r) => r.signatureValid)).toBe(true);
  });

  it('a whole area down raises one grouped alert naming the area and the count', async () => {
    const north = new Set(['n1', 'n2', 'n3', 'n4']);
    await drive(10 * MIN, (d, t) => !(north.has(d) && t >= T0 + 60 * S && t < T0 + 300 * S));
    expect(receiver.requests.map((r) => [r.json.kind, r.json.alert?.rule, r.json.alert?.subject])).toEqual([
      ['fired', 'area_down', 'north'],
      ['resolved', 'area_down', 'north'],
    ]);
    expect(receiver.requests[0]!.json.alert!.summary).toBe('area NORTH (north): 4 of 4 devices with known status down');
    expect(receiver.requests[0]!.json.alert!.devices).toEqual(['n1', 'n2', 'n3', 'n4']);
  });

  it('GET-able history lists the open alert while the device is down', async () => {
    await drive(5 * MIN, (d, t) => !(d === 's2' && t >= T0 + 60 * S));
    expect(ops.history.open().map((a) => [a.rule, a.subject, a.resolvedAt])).toEqual([['device_down', 's2', null]]);
    expect(receiver.ids()).toEqual([`device_down:s2:${T0 + 60 * S}:fired`]);
  });
});
