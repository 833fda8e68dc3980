/**
 * The quarterly DESI report from the schedule (1 October 06:00 UTC, driven clock): written as
 * CSV and JSON, and the CSV is the same as GET /api/reports/desi?period=2026-Q3&format=csv.
 */
import fs from 'node:fs';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Operations } from '../../server/compose/operations.js';
import { CoverageCache } from '../../server/analytics/coverage.js';
import { createApp } from '../../server/app.js';
import type { Inventory } from '../../server/inventory/inventory.js';
import type { SqliteStore } from '../../server/store/sqlite-store.js';
import { MIN, openOps, openSqlite, tempDir, testInventory } from './alerts-harness.js';

const Q4 = Date.UTC(2026, 9, 1); // 1 October 2026, 00:00 UTC
const clock = { now: Q4 };
let dir: string, store: SqliteStore, inv: Inventory, ops: Operations;

beforeAll(async () => {
  dir = tempDir();
  store = await openSqlite(dir);
  inv = testInventory(600);
  // three days of Q3 polled every 10 min; s1 down for the middle day
  const from = Date.UTC(2026, 8, 10);
  const points = [];
  for (let t = from; t < from + 3 * 1440 * MIN; t += 10 * MIN) {
    for (const d of inv.all()) {
      const up = !(d.id === 's1' && t >= from + 1440 * MIN && t < from + 2880 * MIN);
      points.push({ measurement: 'device_status', tags: { device: d.id, site: d.site, area: d.area, tech: d.tech, source: d.tech === 'fibre' ? 'snmp' : 'mqtt' }, fields: { up: up ? 1 : 0 }, time: t });
    }
  }
  await store.write(points);
  ops = openOps({ dir, store, inventory: inv, clock, reports: { weeklySla: { enabled: false } }, alerts: { enabled: false } });
});

afterAll(async () => {
  await ops.close();
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('quarterly DESI report', () => {
  it('is written by the schedule for the quarter just ended and matches the API report', async () => {
    expect(await ops.scheduler.tick(Q4 + 5 * 60 * MIN)).toEqual([]);
    clock.now = Q4 + 6 * 60 * MIN + 20_000;
    const written = await ops.scheduler.tick(clock.now);
    expect(written.map((w) => w.name)).toEqual(['quarterly-desi-2026-Q3']);
    const csv = fs.readFileSync(`${dir}/reports/quarterly-desi-2026-Q3.csv`, 'utf8');
    const json = JSON.parse(fs.readFileSync(`${dir}/reports/quarterly-desi-2026-Q3.json`, 'utf8')) as { period: string; from: string; to: string };
    expect([json.period, json.from, json.to]).toEqual(['2026-Q3', '2026-07-01T00:00:00.000Z', '2026-10-01T00:00:00.000Z']);

    const app = createApp({ store, api: { store, inventory: () => inv, now: () => clock.now, auth: {}, intervals: { fibreS: 600, wifiS: 600 }, coverageCache: new CoverageCache(), avgHouseholdSize: 2.14, maintenance: ops.maintenanceSpans, operations: ops.api } });
    const api = await request(app).get('/api/reports/desi').query({ period: '2026-Q3', format: 'csv' });
    expect(api.status).toBe(200);
    expect(csv).toBe(api.text);
    // network availability of the region: each of the 7 devices is known 3 days + 15 min (its last
    // sample, 10 min before the end, holds 25 min); s1 was down 1 day (1440 min) of that
    const availability = csv.split('\r\n').find((l) => l.startsWith('region,,region,') && l.includes('availab'));
    expect(availability).toBeDefined();
    expect(Number(availability!.split(',')[6])).toBeCloseTo(100 * (1 - 1440 / (7 * (3 * 1440 + 15))), 4);
  });
});
