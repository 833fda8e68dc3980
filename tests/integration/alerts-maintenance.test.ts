/**
 * Acceptance (issue 8): a maintenance window over an outage raises no alert and the outage is
 * excluded from uptime. Through the API: POST /api/maintenance (admin token), then the alert
 * engine on a driven clock and GET /api/uptime from createApp, all on a real SQLite store.
 *
 * Hand-computed, window [T0, T0 + 60 min), every device polled every 10 s:
 *   s1: down 20..30 min, inside the window on its site 15..35 min → up 40 min, down 0,
 *       maintenance 20 min, uptime 1; without the window: up 50, down 10 → 50/60
 *   s2: down 40..45 min, no window → up 55, down 5 → 55/60; one alert and one resolved
 *   w1 up 60 → area south: Σup 40 + 55 + 60 = 155, Σdown 5 → 155/160 = 0.96875
 */
import fs from 'node:fs';
import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Operations } from '../../server/compose/operations.js';
import { CoverageCache } from '../../server/analytics/coverage.js';
import { createApp } from '../../server/app.js';
import type { Inventory } from '../../server/inventory/inventory.js';
import type { SqliteStore } from '../../server/store/sqlite-store.js';
import { MIN, S, Receiver, openOps, openSqlite, tempDir, testInventory, writeStatus } from './alerts-harness.js';

const T0 = Date.UTC(2026, 10, 2, 10, 0, 0);
const ADMIN = 'admin-token-for-tests';
const clock = { now: T0 };
let dir: string, store: SqliteStore, inv: Inventory, receiver: Receiver, ops: Operations, app: Express;

beforeAll(async () => {
  dir = tempDir();
  store = await openSqlite(dir);
  inv = testInventory();
  receiver = await new Receiver().listen();
  ops = openOps({ dir, store, inventory: inv, clock, webhookUrl: receiver.url, maintenance: { windows: [{ id: 'weekly-olt-upgrade', area: 'north', cron: '0 3 * * 0', durationMin: 60 }] } });
  app = createApp({
    store,
    api: {
      store, inventory: () => inv, now: () => clock.now, auth: { adminToken: ADMIN }, intervals: { fibreS: 10, wifiS: 10 },
      coverageCache: new CoverageCache(), avgHouseholdSize: 2.14, maintenance: ops.maintenanceSpans, operations: ops.api,
    },
  });
});

afterAll(async () => {
  await ops.close();
  await receiver.close();
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const admin = { Authorization: `Bearer ${ADMIN}` };
const down = (d: string, t: number): boolean => (d === 's1' && t >= T0 + 20 * MIN && t < T0 + 30 * MIN) || (d === 's2' && t >= T0 + 40 * MIN && t < T0 + 45 * MIN);

describe('maintenance windows', () => {
  it('are admin-only: no token, a wrong token or a read-only caller get 401', async () => {
    expect((await request(app).get('/api/maintenance')).status).toBe(401);
    expect((await request(app).post('/api/maintenance').set({ Authorization: 'Bearer nope' }).send({})).status).toBe(401);
    expect((await request(app).delete('/api/maintenance/x')).status).toBe(401);
  });

  it('answers 401, not 400, to a malformed body without the admin token, and 400 with it', async () => {
    const broken = '{"site": "site-s1", ';
    const anonymous = await request(app).post('/api/maintenance').set('Content-Type', 'application/json').send(broken);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('unauthorized');
    const withToken = await request(app).post('/api/maintenance').set(admin).set('Content-Type', 'application/json').send(broken);
    expect(withToken.status).toBe(400);
  });

  it('POST rejects a bad window with a 400 naming the field', async () => {
    const res = await request(app).post('/api/maintenance').set(admin).send({ site: 'site-s1', start: new Date(T0 + 35 * MIN).toISOString(), end: new Date(T0 + 15 * MIN).toISOString() });
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({ code: 'bad_parameter', parameter: 'body.end', message: 'body.end: must be after start' });
  });

  it('a window over an outage: no alert, and /api/uptime excludes it (hand-computed)', async () => {
    const created = await request(app).post('/api/maintenance').set(admin)
      .send({ id: 'fibre-splice', site: 'site-s1', start: new Date(T0 + 15 * MIN).toISOString(), end: new Date(T0 + 35 * MIN).toISOString(), reason: 'splice' });
    expect(created.status).toBe(201);
    expect((await request(app).get('/api/maintenance').set(admin)).body.map((w: { id: string; source: string }) => [w.id, w.source]))
      .toEqual([['weekly-olt-upgrade', 'config'], ['fibre-splice', 'api']]);

    for (let t = T0; t < T0 + 60 * MIN; t += 5 * S) {
      clock.now = t;
      if ((t - T0) % (10 * S) === 0) for (const d of inv.all()) await writeStatus(store, inv, d.id, t, !down(d.id, t));
      if ((t - T0) % (15 * S) === 0) {
        await ops.engine.evaluate();
        await ops.dispatcher.runOnce();
      }
    }
    clock.now = T0 + 61 * MIN;
    // only s2's outage alerts
    expect(receiver.requests.map((r) => [r.json.kind, r.json.alert?.subject])).toEqual([['fired', 's2'], ['resolved', 's2']]);

    const q = { from: new Date(T0).toISOString(), to: new Date(T0 + 60 * MIN).toISOString() };
    const byDevice = (await request(app).get('/api/uptime').query({ ...q, groupBy: 'device' })).body as { key: string; up_ms: number; down_ms: number; maintenance_ms: number; unknown_ms: number; uptime: number }[];
    const s1 = byDevice.find((r) => r.key === 's1')!;
    expect([s1.up_ms, s1.down_ms, s1.maintenance_ms, s1.unknown_ms, s1.uptime]).toEqual([40 * MIN, 0, 20 * MIN, 0, 1]);
    const s2 = byDevice.find((r) => r.key === 's2')!;
    expect([s2.up_ms, s2.down_ms, s2.maintenance_ms, s2.uptime]).toEqual([55 * MIN, 5 * MIN, 0, 55 / 60]);
    const south = ((await request(app).get('/api/uptime').query({ ...q, groupBy: 'area' })).body as { key: string; uptime: number }[]).find((r) => r.key === 'south')!;
    expect(south.uptime).toBe(155 / 160);

    // the window removed: the same outage counts as down again
    expect((await request(app).delete('/api/maintenance/fibre-splice').set(admin)).status).toBe(204);
    const after = ((await request(app).get('/api/uptime').query({ ...q, groupBy: 'device' })).body as typeof byDevice).find((r) => r.key === 's1')!;
    expect([after.up_ms, after.down_ms, after.maintenance_ms, after.uptime]).toEqual([50 * MIN, 10 * MIN, 0, 50 / 60]);
  });

  it('a window from the config file cannot be deleted through the API; an unknown id is a 404', async () => {
    const res = await request(app).delete('/api/maintenance/weekly-olt-upgrade').set(admin);
    expect(res.status).toBe(400);
    expect(res.body.error.parameter).toBe('id');
    expect((await request(app).delete('/api/maintenance/no-such-window').set(admin)).status).toBe(404);
  });

  it('windows added through the API survive a restart (persisted in the data dir)', async () => {
    await request(app).post('/api/maintenance').set(admin).send({ id: 'kept', device: 'n1', cron: '30 2 * * *', durationMin: 90 });
    const reopened = openOps({ dir, store, inventory: inv, clock });
    try {
      // this instance has no config windows: only the API ones, read back from maintenance.json
      expect(reopened.maintenance.list().map((w) => w.id)).toEqual(['kept']);
      // 02:30 + 90 min daily: [02:30, 04:00) of each day
      const day = Date.UTC(2026, 10, 3);
      expect(reopened.maintenanceSpans(inv.byId('n1')!, day, day + 86_400_000)).toEqual([{ start: day + 150 * MIN, end: day + 240 * MIN }]);
    } finally {
      await reopened.close();
    }
  });

  it('GET /api/alerts lists the resolved alert and the delivery counts', async () => {
    // s2 up again from 45 min; clear after 60 s of up time = 46 min, an evaluation tick
    const res = await request(app).get('/api/alerts');
    expect(res.status).toBe(200);
    expect(res.body.open).toEqual([]);
    expect(res.body.recent.map((a: { subject: string; resolvedAt: string }) => [a.subject, a.resolvedAt])).toEqual([['s2', new Date(T0 + 46 * MIN).toISOString()]]);
    // the incident itself ended at 45 min, when s2 answered again
    expect([res.body.recent[0].endedAt, res.body.recent[0].endedAs]).toEqual([new Date(T0 + 45 * MIN).toISOString(), 'up']);
    expect(res.body.deliveries).toEqual({ pending: 0, delivered: 2, failed: 0 });
  });
});
