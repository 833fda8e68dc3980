/**
 * One list of incidents: the weekly SLA report ranks a wifi AP's outage by its clients like
 * GET /api/incidents does (server/status/incident-impact.ts), on the embedded store.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Point } from '../../core/point.js';
import { ReportGenerator } from '../../server/scheduled-reports/generator.js';
import { deviceUptimes } from '../../server/status/device-uptimes.js';
import { withClientImpact } from '../../server/status/incident-impact.js';
import { windowIncidents } from '../../server/status/index.js';
import type { SqliteStore } from '../../server/store/sqlite-store.js';
import { MIN, openSqlite, tempDir, testInventory } from './alerts-harness.js';

const HOUR = 60 * MIN;
const T0 = Date.UTC(2026, 10, 2); // Monday 2 November 2026 00:00 UTC
const INTERVALS = { fibreS: 600, wifiS: 600 };

describe('incident impact, one implementation', () => {
  const inv = testInventory(600);
  let dir: string, store: SqliteStore;

  beforeAll(async () => {
    dir = tempDir();
    store = await openSqlite(dir);
    const w1 = inv.byId('w1')!;
    const points: Point[] = [];
    // w1 up every 10 min, down from 02:00 to 03:00, up again to 06:00
    for (let t = T0; t < T0 + 6 * HOUR; t += 10 * MIN) {
      points.push({ measurement: 'device_status', tags: { device: 'w1', site: w1.site, area: w1.area, tech: 'wifi', source: 'mqtt' }, fields: { up: t >= T0 + 2 * HOUR && t < T0 + 3 * HOUR ? 0 : 1 }, time: t });
    }
    // clients in 01:00–02:00, the hour before the one the outage began in: 10 and 20, mean 15
    points.push({ measurement: 'wifi_ap', tags: { device: 'w1', site: w1.site, area: w1.area }, fields: { clients: 10 }, time: T0 + HOUR + 10 * MIN });
    points.push({ measurement: 'wifi_ap', tags: { device: 'w1', site: w1.site, area: w1.area }, fields: { clients: 20 }, time: T0 + HOUR + 40 * MIN });
    await store.write(points);
  });
  afterAll(async () => { await store.close(); fs.rmSync(dir, { recursive: true, force: true }); });

  it("gives the AP's outage 15 clients × 1 h = 15 client-hours, in the report as in the API's reader", async () => {
    const now = T0 + 6 * HOUR;
    const raw = await windowIncidents(store, { devices: inv.all(), from: T0, to: now, now, intervals: INTERVALS });
    const listed = await withClientImpact(store, raw);
    expect(listed.map((i) => [i.device, i.start, i.duration_ms, i.impact.clients, i.impact.impact_hours])).toEqual([['w1', T0 + 2 * HOUR, HOUR, 15, 15]]);
    const generator = new ReportGenerator({
      store, inventory: () => inv, dataDir: dir, intervals: INTERVALS, avgHouseholdSize: 2,
      uptimes: async (devices, from, to, at) => (await deviceUptimes(store, { devices, from, to, now: at, intervals: INTERVALS })).byDevice,
    });
    const { report } = await generator.weeklySla({ label: 'test', from: T0, to: now }, now);
    expect(report.incidents.map((i) => [i.device, i.duration_ms, i.impact_hours])).toEqual([['w1', HOUR, 15]]);
  });
});
