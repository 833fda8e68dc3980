/**
 * A maintenance window added or removed through the API for hours the rollup job has already
 * summarised: those hours are rolled up again, so /api/uptime over a long window (read from the
 * rollups) keeps giving the raw computation's answer. On SQLite and on the real InfluxDB.
 *
 * Data (api-fixture inventory, every device reports every 10 min, intervalS 600), minutes after
 * T0, clock at NOW = T0 + 360 min, rollups for the six hours [0, 360) written by the job first:
 *   f1 (site s1): up all along
 *   f2 (site s1): up, down at 130..170 (down 130..180), down at 250, 260 (down 250..270)
 *   f3 (site s2): up all along
 *   f4, w1: no samples (unknown all along; uptime null)
 * Hand-computed over [0, 360):
 *   no window:  f2 up 360 − 50 − 20 = 290, down 70 → 290/360; s1 Σup 360 + 290 = 650, Σdown 70 → 650/720
 *   window site s1 [120, 190) (covers the first outage, 10 min of up each side; hours 2 and 3):
 *               f1 up 360 − 70 = 290, maintenance 70
 *               f2 maintenance 70, down 20, up 360 − 70 − 20 = 270 → 270/290
 *               s1 Σup 290 + 270 = 560, Σdown 20 → 560/580
 *   recurring window on f3, daily at T0 + 240 min for 30 min (hour 4): f3 up 330, maintenance 30 → 1
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertsSchema } from '../../server/alerts/config.js';
import { createOperations, type Operations } from '../../server/compose/operations.js';
import { CoverageCache } from '../../server/analytics/coverage.js';
import { createApp } from '../../server/app.js';
import { rawUptimes } from '../../server/status/index.js';
import { maintenanceSchema } from '../../server/maintenance/config.js';
import { notifiersSchema } from '../../server/notifiers/config.js';
import { RollupJob, rolledHours } from '../../server/rollups.js';
import { reportsSchema } from '../../server/scheduled-reports/config.js';
import type { MetricStore } from '../../server/store/metric-store.js';
import type { Point } from '../../core/point.js';
import { HOUR, MIN, STORES, T0, fixtureInventory } from './api-fixture.js';

const NOW = T0 + 360 * MIN;
const ADMIN = 'admin-token-for-rollup-tests';
const admin = { Authorization: `Bearer ${ADMIN}` };
const intervals = { fibreS: 600, wifiS: 600 };
const inv = fixtureInventory();
const window = { from: new Date(T0).toISOString(), to: new Date(NOW).toISOString() };

interface Row { key: string; up_ms: number; down_ms: number; maintenance_ms: number; unknown_ms: number; uptime: number | null }

function points(): Point[] {
  const p: Point[] = [];
  const status = (id: string, minute: number, up: 0 | 1): void => {
    const d = inv.byId(id)!;
    p.push({ measurement: 'device_status', tags: { device: id, site: d.site, area: d.area, tech: d.tech, source: 'snmp' }, fields: { up }, time: T0 + minute * MIN });
  };
  for (let m = 0; m < 360; m += 10) {
    status('f1', m, 1);
    status('f2', m, (m >= 130 && m < 180) || m === 250 || m === 260 ? 0 : 1);
    status('f3', m, 1);
  }
  return p;
}

describe.each(STORES)('maintenance changes recompute the rollups they overlap on $name', (kind) => {
  let store: MetricStore, dispose: () => Promise<void>, ops: Operations, app: Express, dataDir: string;

  beforeAll(async () => {
    ({ store, dispose } = await kind.open());
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'netatlas-rollup-maint-'));
    await store.write(points());
    ops = createOperations({
      config: { alerts: alertsSchema.parse({}), notifiers: notifiersSchema.parse([]), maintenance: maintenanceSchema.parse({}), reports: reportsSchema.parse({}) },
      store, inventory: () => inv, dataDir, intervals, avgHouseholdSize: 2.14, now: () => NOW,
    });
    // the job as main.ts builds it: same store, devices, intervals and maintenance spans
    const run = await new RollupJob({ store, devices: () => inv.all(), now: () => NOW, intervals, backfillHours: 6, maintenance: ops.maintenanceSpans }).runOnce();
    expect([run.from, run.to, run.points]).toEqual([T0, NOW, 6 * inv.all().length]);
    app = createApp({
      store,
      api: { store, inventory: () => inv, now: () => NOW, auth: { adminToken: ADMIN }, intervals, coverageCache: new CoverageCache(), avgHouseholdSize: 2.14, maintenance: ops.maintenanceSpans, operations: ops.api },
    });
  });

  afterAll(async () => {
    await ops?.close();
    await dispose?.();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** /api/uptime over the whole six hours, checking that it is read from the rollups only */
  async function uptime(groupBy: 'device' | 'site'): Promise<Map<string, Row>> {
    const res = await request(app).get('/api/uptime').query({ ...window, groupBy });
    expect(res.status).toBe(200);
    expect([res.headers['x-netatlas-rollup-ms'], res.headers['x-netatlas-raw-ms']]).toEqual([String(6 * HOUR), '0']);
    return new Map((res.body as Row[]).map((r) => [r.key, r]));
  }

  /** the same window computed from raw samples only, with the windows in force now */
  async function rawOnly(): Promise<Map<string, Row>> {
    const raw = await rawUptimes(store, { devices: inv.all(), from: T0, to: NOW, now: NOW, intervals, maintenance: ops.maintenanceSpans });
    return new Map([...raw].map(([key, r]) => [key, { key, up_ms: r.up_ms, down_ms: r.down_ms, maintenance_ms: r.maintenance_ms, unknown_ms: r.unknown_ms, uptime: r.uptime }]));
  }

  async function expectEqualsRaw(): Promise<void> {
    const [api, raw] = [await uptime('device'), await rawOnly()];
    for (const d of inv.all()) {
      const a = api.get(d.id)!, r = raw.get(d.id)!;
      expect([a.up_ms, a.down_ms, a.maintenance_ms, a.unknown_ms, a.uptime], d.id).toEqual([r.up_ms, r.down_ms, r.maintenance_ms, r.unknown_ms, r.uptime]);
    }
  }

  const figures = (r: Row | undefined): unknown[] => [r?.up_ms, r?.down_ms, r?.maintenance_ms, r?.uptime];

  it('before any window, the rolled-up answer is the hand-computed one and the raw one', async () => {
    const byDevice = await uptime('device');
    expect(figures(byDevice.get('f2'))).toEqual([290 * MIN, 70 * MIN, 0, 290 / 360]);
    expect(figures((await uptime('site')).get('s1'))).toEqual([650 * MIN, 70 * MIN, 0, 650 / 720]);
    await expectEqualsRaw();
  });

  it('a fixed window over the outage, POSTed after the rollups, is applied to the rolled-up hours; deleting it restores the figure', async () => {
    const created = await request(app).post('/api/maintenance').set(admin)
      .send({ id: 'splice', site: 's1', start: new Date(T0 + 120 * MIN).toISOString(), end: new Date(T0 + 190 * MIN).toISOString(), reason: 'fibre splice' });
    expect(created.status).toBe(201);
    // hours 2 and 3 (120..180, 180..240) rolled up again
    expect(created.headers['x-netatlas-rollup-hours-recomputed']).toBe('2');
    const byDevice = await uptime('device');
    expect(figures(byDevice.get('f1'))).toEqual([290 * MIN, 0, 70 * MIN, 1]);
    expect(figures(byDevice.get('f2'))).toEqual([270 * MIN, 20 * MIN, 70 * MIN, 270 / 290]);
    expect(figures(byDevice.get('f3'))).toEqual([360 * MIN, 0, 0, 1]);
    expect(figures((await uptime('site')).get('s1'))).toEqual([560 * MIN, 20 * MIN, 140 * MIN, 560 / 580]);
    await expectEqualsRaw();

    const deleted = await request(app).delete('/api/maintenance/splice').set(admin);
    expect(deleted.status).toBe(204);
    expect(deleted.headers['x-netatlas-rollup-hours-recomputed']).toBe('2');
    expect(figures((await uptime('device')).get('f2'))).toEqual([290 * MIN, 70 * MIN, 0, 290 / 360]);
    expect(figures((await uptime('site')).get('s1'))).toEqual([650 * MIN, 70 * MIN, 0, 650 / 720]);
    await expectEqualsRaw();
    // still exactly the six hours that had rollups: none added, none lost
    expect(await rolledHours(store, T0 - 24 * HOUR, NOW + HOUR)).toEqual([{ start: T0, end: NOW }]);
  });

  it('a recurring window recomputes its past occurrences in rolled-up hours only', async () => {
    const at = new Date(T0 + 240 * MIN);
    const created = await request(app).post('/api/maintenance').set(admin)
      .send({ id: 'nightly', device: 'f3', cron: `0 ${at.getUTCHours()} * * *`, durationMin: 30 });
    expect(created.status).toBe(201);
    // the occurrence at 240 (hour 4); the one a day earlier has no rollups, the next is in the future
    expect(created.headers['x-netatlas-rollup-hours-recomputed']).toBe('1');
    expect(figures((await uptime('device')).get('f3'))).toEqual([330 * MIN, 0, 30 * MIN, 1]);
    await expectEqualsRaw();

    expect((await request(app).delete('/api/maintenance/nightly').set(admin)).status).toBe(204);
    expect(figures((await uptime('device')).get('f3'))).toEqual([360 * MIN, 0, 0, 1]);
    await expectEqualsRaw();
    expect(await rolledHours(store, T0 - 24 * HOUR, NOW + HOUR)).toEqual([{ start: T0, end: NOW }]);
  });
});
