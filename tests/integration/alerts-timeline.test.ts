/**
 * Alerts read the same timeline as /api/incidents (issue 11, item 4), through a real store
 * (SQLite and InfluxDB), the alert engine and a driven clock: device status points every 10 s
 * (effective interval 10 s), collector_status heartbeats every 5 s (heartbeat_s 5: alive 10 s
 * after each), an evaluation every 15 s.
 */
import fs from 'node:fs';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { devicesHealth } from '../../server/alerts/device-health.js';
import type { Operations } from '../../server/compose/operations.js';
import type { AlertEvent } from '../../server/alerts/types.js';
import { CoverageCache } from '../../server/analytics/coverage.js';
import { createApp } from '../../server/app.js';
import type { Inventory } from '../../server/inventory/inventory.js';
import { collectorDownSpans, deviceIncidents } from '../../server/status/index.js';
import type { MetricStore } from '../../server/store/metric-store.js';
import { STORES } from './api-fixture.js';
import { S, openOps, tempDir, testInventory } from './alerts-harness.js';

/** a minute boundary a day ago: inside InfluxDB's raw retention */
const T0 = Math.floor((Date.now() - 86_400_000) / 60_000) * 60_000;
const INTERVALS = { fibreS: 10, wifiS: 10 };

async function status(store: MetricStore, inv: Inventory, device: string, time: number, fields: Record<string, number | string>): Promise<void> {
  const d = inv.byId(device)!;
  await store.write([{ measurement: 'device_status', tags: { device, site: d.site, area: d.area, tech: d.tech, source: d.tech === 'fibre' ? 'snmp' : 'mqtt' }, fields, time }]);
}

async function heartbeat(store: MetricStore, time: number): Promise<void> {
  await store.write([{ measurement: 'collector_status', tags: { collector: 'mqtt', instance: 'c1' }, fields: { connected: 1, heartbeat_s: 5 }, time }]);
}

describe.each(STORES)('alerts from the timeline on $name', (kind) => {
  let store: MetricStore, dispose: () => Promise<void>, dir: string, inv: Inventory;
  const clock = { now: T0 };
  const opened: Operations[] = [];

  // a store per test: a collector that stopped heartbeating in one test is (rightly) dead in the next
  beforeEach(async () => {
    ({ store, dispose } = await kind.open());
    dir = tempDir();
    inv = testInventory();
  });

  afterEach(async () => {
    for (const o of opened.splice(0)) await o.close();
    await dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Drives [T0 + fromS, T0 + untilS] in 5 s steps: `write(s)` first, an evaluation every 15 s. */
  async function drive(ops: Operations, base: number, untilS: number, write: (s: number, t: number) => Promise<void>): Promise<string[]> {
    const events: AlertEvent[] = [];
    for (let s = 0; s <= untilS; s += 5) {
      clock.now = base + s * S;
      await write(s, clock.now);
      if (s % 15 === 0) events.push(...(await ops.engine.evaluate()));
    }
    return events.map((e) => `${e.kind} ${e.alert.rule} ${e.alert.subject} @${(e.at - base) / S}`);
  }

  function open(sub: string, alerts: Record<string, unknown>): Operations {
    fs.mkdirSync(`${dir}/${sub}`);
    const ops = openOps({ dir: `${dir}/${sub}`, store, inventory: inv, clock, alerts: { health: { enabled: false }, ...alerts } });
    opened.push(ops);
    return ops;
  }

  it('the collector killed while an AP is offline: collector_down, no device_down; device_down on the incident after it is back', async () => {
    const base = T0;
    const ops = open('kill', {});
    // w1 (mqtt) up 0..50 s, offline restated every 10 s from 60 s; the collector heartbeats every
    // 5 s until 115 s, is killed (nothing more written), and is back at 400 s restating offline
    const lines = await drive(ops, base, 600, async (s, t) => {
      const alive = s <= 115 || s >= 400;
      if (alive) await heartbeat(store, t);
      if (alive && s % 10 === 0) await status(store, inv, 'w1', t, { up: s < 60 ? 1 : 0 });
    });
    // timeline of w1: down [60, 125) (the last heartbeat at 115 s holds 2 × 5 s), unknown while
    // the collector is dead [125, 400), down again from 400 s.
    // - the first incident is 65 s < 120 s: no alert; its episode ends at 125 + 60 s clear
    // - collector_down: dead from 125 s, 60 s threshold → 185 s, the 195 s evaluation;
    //   alive at 400 s, no clear → the 405 s evaluation
    // - the second incident from 400 s: 120 s at 520 s, + 30 s group wait → the 555 s evaluation
    expect(lines).toEqual(['fired collector_down mqtt @195', 'resolved collector_down mqtt @405', 'fired device_down w1 @555']);
    const recent = ops.history.recent(5)[0]!;
    expect(recent).toMatchObject({ startedAt: base + 125 * S, endedAt: base + 400 * S, endedAs: 'alive', value: 1 });

    // the same spans as the incidents server/status lists for the window
    const to = base + 600 * S + 1;
    const gaps = await collectorDownSpans(store, base, to, 10 * S);
    const incidents = deviceIncidents({
      samples: await store.statusSamples({ from: base, to, devices: ['w1'] }), from: base, to, now: to, intervalMs: 10 * S, collectorDown: gaps.get('mqtt') ?? [],
    }, { device: 'w1', tech: 'wifi', area: 'south' });
    expect(incidents.map((i) => [(i.start - base) / S, i.end === null ? null : (i.end - base) / S])).toEqual([[60, 125], [400, null]]);
    expect(ops.history.open().map((a) => [a.rule, a.subject, a.startedAt])).toEqual([['device_down', 'w1', incidents[1]!.start]]);
  });

  it('an unreadable device raises device_unreadable (not device_down) and /api/health is degraded naming it', async () => {
    const base = T0;
    const ops = open('unreadable', { deviceUnreadable: { thresholdMs: 120_000 } });
    const health = devicesHealth({ store, devices: () => inv.all().filter((d) => d.id === 's1' || d.id === 's2'), intervals: INTERVALS, now: () => clock.now, cacheMs: 0 });
    const app = createApp({ store, components: { devices: health }, now: () => clock.now });
    let during: request.Response | undefined;
    // s1 answers but cannot be read from 60 s to 490 s (an unreadable point every 10 s, no `up`),
    // readable (up) again from 500 s; s2 up throughout
    const lines = await drive(ops, base, 600, async (s, t) => {
      if (s % 10 === 0) {
        await status(store, inv, 's1', t, s >= 60 && s < 500 ? { unreadable: 1, reason: 'auth: Wrong Digest' } : { up: 1 });
        await status(store, inv, 's2', t, { up: 1 });
      }
      if (s === 300) during = await request(app).get('/api/health');
    });
    // unreadable from 60 s, 120 s threshold → 180 s; readable at 500 s, no clear → the 510 s evaluation
    expect(lines).toEqual(['fired device_unreadable s1 @180', 'resolved device_unreadable s1 @510']);
    expect(ops.history.recent(5)[0]).toMatchObject({ reason: 'auth: Wrong Digest', startedAt: base + 60 * S, endedAt: base + 500 * S, endedAs: 'readable' });

    expect(during!.status).toBe(503);
    expect(during!.body.status).toBe('degraded');
    expect(during!.body.devices).toEqual({
      ok: false,
      detail: '1 device cannot be read (status unknown, not down; check credentials or access): s1 (auth: Wrong Digest)',
      unreadable: [{ device: 's1', reason: 'auth: Wrong Digest', lastSeen: new Date(base + 300 * S).toISOString() }],
    });
    const after = await request(app).get('/api/health');
    expect(after.status).toBe(200);
    expect(after.body.devices).toEqual({ ok: true, detail: '2 devices, none unreadable', unreadable: [] });
  });
  it('the area uptime alert gives the figure GET /api/uptime gives, collector-down time excluded', async () => {
    const base = T0;
    const ops = open('area', {
      deviceDown: { enabled: false }, collectorDown: { enabled: false }, deviceUnreadable: { enabled: false },
      areaUptime: [{ area: 'south', target: 0.99, windowMs: 600_000, forMs: 0, clearMs: 0 }],
    });
    // w1 (south, mqtt): up 0..90 s, offline restated every 10 s from 100 s; its collector heartbeats
    // every 5 s but not in (195, 300): dead from 195 + 10 = 205 s to 300 s, and w1 unheard meanwhile.
    // s1, s2 (south, snmp; no collector_status at all): up every 10 s
    for (let s = 0; s < 600; s += 5) {
      const t = base + s * S;
      const alive = s <= 195 || s >= 300;
      if (alive) await heartbeat(store, t);
      if (s % 10 === 0) {
        if (alive) await status(store, inv, 'w1', t, { up: s < 100 ? 1 : 0 });
        await status(store, inv, 's1', t, { up: 1 });
        await status(store, inv, 's2', t, { up: 1 });
      }
    }
    clock.now = base + 600 * S;
    const events = await ops.engine.evaluate();
    // w1: up [0, 100) = 100 s; down [100, 205) = 105 s (the collector's death ends the held down),
    // unknown [205, 300); down [300, 600) = 300 s. s1, s2: up 600 s each.
    // south = (100 + 600 + 600) / (100 + 600 + 600 + 105 + 300) = 1300 / 1705
    // (without the collector-down span w1's down would hold to 190 + 25 = 215 s: 1300 / 1715)
    expect(events.map((e) => [e.kind, e.alert.rule, e.alert.subject, e.alert.value])).toEqual([['fired', 'area_uptime', 'south', 1300 / 1705]]);
    const app = createApp({
      store,
      api: { store, inventory: () => inv, now: () => clock.now, auth: {}, intervals: INTERVALS, coverageCache: new CoverageCache(), avgHouseholdSize: 2.14 },
    });
    const res = await request(app).get('/api/uptime').query({ from: new Date(base).toISOString(), to: new Date(base + 600 * S).toISOString(), groupBy: 'area' });
    expect(res.status).toBe(200);
    expect((res.body as { key: string; uptime: number }[]).find((r) => r.key === 'south')!.uptime).toBe(1300 / 1705);
  });
});
