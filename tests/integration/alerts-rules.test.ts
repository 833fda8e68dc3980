/**
 * The condition rules on a real SQLite store and a driven clock (evaluation every 15 s):
 * an optical rx level below its bound, an area's uptime below its target, the store unhealthy.
 */
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Operations } from '../../server/compose/operations.js';
import type { AlertEvent } from '../../server/alerts/types.js';
import type { Inventory } from '../../server/inventory/inventory.js';
import type { MetricStore, StoreHealth } from '../../server/store/metric-store.js';
import type { SqliteStore } from '../../server/store/sqlite-store.js';
import { S, openOps, openSqlite, tempDir, testInventory, writeStatus } from './alerts-harness.js';

const T0 = Date.UTC(2026, 10, 2, 10, 0, 0);
const clock = { now: T0 };
let dir: string, store: SqliteStore, inv: Inventory, ops: Operations | undefined;

beforeEach(async () => {
  dir = tempDir();
  store = await openSqlite(dir);
  inv = testInventory();
  clock.now = T0;
});

afterEach(async () => {
  await ops?.close();
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Drives the clock: `write(t)` every 10 s, an evaluation every 15 s; returns "kind subject @s". */
async function drive(untilS: number, write: (t: number) => Promise<void>): Promise<string[]> {
  const events: AlertEvent[] = [];
  for (let t = T0; t <= T0 + untilS * S; t += 5 * S) {
    clock.now = t;
    if ((t - T0) % (10 * S) === 0) await write(t);
    if ((t - T0) % (15 * S) === 0) events.push(...(await ops!.engine.evaluate()));
  }
  return events.map((e) => `${e.kind} ${e.alert.rule} ${e.alert.subject} @${(e.at - T0) / S}`);
}

describe('condition rules', () => {
  it('an optical rx level below its bound for 60 s raises one alert, resolved 30 s after it recovers', async () => {
    ops = openOps({ dir, store, inventory: inv, clock, alerts: { deviceDown: { enabled: false }, health: { enabled: false }, thresholds: [{ name: 'low-rx', measurement: 'optical', field: 'rx_dbm', below: -27, forMs: 60_000, clearMs: 30_000 }] } });
    const events = await drive(600, async (t) => {
      const rx = t >= T0 + 60 * S && t < T0 + 300 * S ? -30.5 : -21;
      await store.write([{ measurement: 'optical', tags: { device: 'n1', ifName: 'pon0' }, fields: { rx_dbm: rx, tx_dbm: 2 }, time: t }]);
    });
    // below from 60 s (seen at the 60 s tick), 60 s later: 120 s; back at 300 s, +30 s: 330 s
    expect(events).toEqual(['fired threshold n1 @120', 'resolved threshold n1 @330']);
    expect(ops.history.recent(5)[0]!.summary).toBe('low-rx: n1 optical.rx_dbm = -30.5 (below -27)');
  });

  it('an area whose uptime over the last 10 min falls below 99 % raises one alert naming the area', async () => {
    ops = openOps({ dir, store, inventory: inv, clock, alerts: { deviceDown: { enabled: false }, health: { enabled: false }, areaUptime: [{ target: 0.99, windowMs: 600_000, forMs: 0, clearMs: 0 }] } });
    const events = await drive(400, async (t) => {
      for (const d of inv.all()) await writeStatus(store, inv, d.id, t, !(d.id === 's1' && t >= T0 + 300 * S));
    });
    // south = s1, s2, w1. At the 315 s tick: s1 down 300..315 (15 s), up 300 s; s2 and w1 up
    // 315 s each: 930 / 945 = 98.4 % < 99 %. At 300 s s1 had no down time yet.
    expect(events).toEqual(['fired area_uptime south @315']);
    expect(ops.history.open()[0]!.value).toBe(930 / 945);
  });

  it('a store that reports itself unhealthy for over a minute raises one health alert, resolved when it recovers', async () => {
    // fault injection: the real store, with health() answering "down" between 60 s and 200 s
    const faulty = new Proxy(store, {
      get(target, prop) {
        if (prop === 'health') {
          return async (): Promise<StoreHealth> => (clock.now >= T0 + 60 * S && clock.now < T0 + 200 * S ? { ok: false, kind: 'sqlite', detail: 'disk I/O error' } : target.health());
        }
        const v = Reflect.get(target, prop) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    }) as MetricStore;
    ops = openOps({ dir, store: faulty, inventory: inv, clock, alerts: { deviceDown: { enabled: false } } });
    const events = await drive(400, async () => {});
    // unhealthy from the 60 s tick, forMs 60 s → 120 s; healthy at the 210 s tick, clearMs 30 s → 240 s
    expect(events).toEqual(['fired health store @120', 'resolved health store @240']);
  });

  it('an evaluation that fails after the device rules stepped loses no event: the next one raises it', async () => {
    // fault injection: the real store, with the threshold rule's read failing at the 210 s evaluation,
    // after the device rules have already decided to fire
    const failing = new Proxy(store, {
      get(target, prop) {
        if (prop === 'querySeries') {
          return async (q: Parameters<MetricStore['querySeries']>[0]) => {
            if (q.measurement === 'optical' && clock.now === T0 + 210 * S) throw new Error('injected: store read failed');
            return target.querySeries(q);
          };
        }
        const v = Reflect.get(target, prop) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    }) as MetricStore;
    ops = openOps({ dir, store: failing, inventory: inv, clock, alerts: { health: { enabled: false }, thresholds: [{ name: 'low-rx', measurement: 'optical', field: 'rx_dbm', below: -27 }] } });
    const events: string[] = [];
    const errors: string[] = [];
    for (let t = T0; t <= T0 + 300 * S; t += 5 * S) {
      clock.now = t;
      if ((t - T0) % (10 * S) === 0) for (const d of inv.all()) await writeStatus(store, inv, d.id, t, !(d.id === 's1' && t >= T0 + 60 * S));
      if ((t - T0) % (15 * S) === 0) {
        try {
          events.push(...(await ops.engine.evaluate()).map((e) => `${e.id} @${(e.at - T0) / S}`));
        } catch (err) {
          errors.push(`${(err as Error).message} @${(t - T0) / S}`);
        }
      }
    }
    // s1 down from 60 s: 120 s at 180 s, + 30 s group wait = 210 s, which fails; the 225 s evaluation raises it
    expect(errors).toEqual(['injected: store read failed @210']);
    expect(events).toEqual([`device_down:s1:${T0 + 60 * S}:fired @225`]);
  });
});
