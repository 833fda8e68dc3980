/**
 * The alert engine takes each device's collector gaps from server/status's assigned-collector
 * rule (#19): with two SNMP collector instances, a device is unknown only while the instance
 * that polled it is down. Real stores (SQLite and InfluxDB), the real engine, a driven clock.
 *
 * Devices are polled every 60 s (inventory intervalS), so a held down state lasts 2.5 × 60 =
 * 150 s past its last restatement when nobody says the collector died; heartbeats every 5 s
 * (heartbeat_s 5: an instance is alive 10 s past each). Evaluations every 15 s; device_down
 * defaults: threshold 120 s, group wait 30 s, clear 60 s; area grouping needs 3 devices (one
 * down device per area here, so none).
 */
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Operations } from '../../server/compose/operations.js';
import type { AlertEvent } from '../../server/alerts/types.js';
import type { Inventory } from '../../server/inventory/inventory.js';
import type { MetricStore } from '../../server/store/metric-store.js';
import { STORES } from './api-fixture.js';
import { S, openOps, tempDir, testInventory } from './alerts-harness.js';

/** a minute boundary a day ago: inside InfluxDB's raw retention */
const T0 = Math.floor((Date.now() - 86_400_000) / 60_000) * 60_000;

async function polled(store: MetricStore, inv: Inventory, device: string, instance: string, time: number, up: boolean): Promise<void> {
  const d = inv.byId(device)!;
  await store.write([{ measurement: 'device_status', tags: { device, site: d.site, area: d.area, tech: d.tech, source: 'snmp', instance }, fields: { up: up ? 1 : 0 }, time }]);
}

async function beat(store: MetricStore, instance: string, time: number): Promise<void> {
  await store.write([{ measurement: 'collector_status', tags: { collector: 'snmp', instance }, fields: { connected: 1, heartbeat_s: 5 }, time }]);
}

describe.each(STORES)('alerts with two SNMP collector instances on $name', (kind) => {
  let store: MetricStore, dispose: () => Promise<void>, dir: string, inv: Inventory;
  const clock = { now: T0 };
  let ops: Operations | undefined;

  beforeEach(async () => {
    ({ store, dispose } = await kind.open());
    dir = tempDir();
    inv = testInventory(60);
  });

  afterEach(async () => {
    await ops?.close();
    ops = undefined;
    await dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('instance A dies: its device\'s down ends as collector-down at A\'s death; B\'s device keeps alerting', async () => {
    const base = T0;
    ops = openOps({ dir, store, inventory: inv, clock, alerts: { health: { enabled: false } } });
    const events: AlertEvent[] = [];
    // n1 (north) is polled by A, s1 (south) by B, both answering nothing (down) at every poll.
    // A beats every 5 s up to 245 s and is killed (nothing more written: its last poll of n1 is at
    // 240 s); B beats and polls to the end. Nobody takes n1 over in this test.
    for (let s = 0; s <= 600; s += 5) {
      clock.now = base + s * S;
      if (s <= 245) await beat(store, 'A', clock.now);
      await beat(store, 'B', clock.now);
      if (s % 60 === 0) {
        if (s <= 240) await polled(store, inv, 'n1', 'A', clock.now, false);
        await polled(store, inv, 's1', 'B', clock.now, false);
      }
      if (s % 15 === 0) events.push(...(await ops.engine.evaluate()));
    }
    const lines = events.map((e) => `${e.kind} ${e.alert.rule} ${e.alert.subject} @${(e.at - base) / S}`).sort();
    // both down from 0 s: 120 s of down at 120 s, + 30 s group wait → the 150 s evaluation.
    // n1: A alive to 245 + 2 × 5 = 255 s, where n1's down ends (A's gap, not 240 + 2.5 × 60 =
    // 390 s as it would by staleness); episode clear 60 s → resolved at the 315 s evaluation.
    // s1: B alive throughout, so A's gap says nothing about it: still firing at 600 s.
    // collector_down snmp: never (B, an instance of it, is alive throughout).
    expect(lines).toEqual(['fired device_down n1 @150', 'fired device_down s1 @150', 'resolved device_down n1 @315']);
    const n1 = events.find((e) => e.kind === 'resolved')!.alert;
    expect({ endedAt: (n1.endedAt! - base) / S, endedAs: n1.endedAs }).toEqual({ endedAt: 255, endedAs: 'unknown: collector-down' });
    expect(ops.history.open().map((a) => [a.rule, a.subject, (a.startedAt - base) / S])).toEqual([['device_down', 's1', 0]]);
  });
});
