/**
 * Device state through the API as the collectors now write it (down restated every interval,
 * collector_status heartbeats {connected: 1, heartbeat_s: 10} every 10 s), on SQLite and
 * InfluxDB: one incident for a restated outage, uptime from raw samples equal to uptime from the
 * hourly rollups across hour boundaries, and the reason of every unknown status.
 *
 * Times are seconds after A (a whole hour two days ago); NOW = A + 10 800 (3 h). Intervals: SNMP
 * collector 60 s, AP telemetry 60 s; f7 has an inventory intervalS of 600 s. Heartbeats fall at
 * 5, 15, 25 … s past each minute (A − 3595 …), so a read that does not look back far enough starts
 * with a short artificial gap before its first heartbeat (see f7).
 *   snmp collector: heartbeats −3595 … 10 795 (alive all along)
 *   mqtt collector: heartbeats −3595 … 10 495, then killed without a word: alive until 10 495 + 2 × 10 = 10 515
 *   ap1 (wifi): up every 60 s at −30 … 3270; its `offline` at 3330, restated every 60 s to 3870
 *               (10 samples); up every 60 s at 3930 … 10 470
 *   f1: up every 60 s at −30 … 10 770
 *   f2: up every 60 s at −30 … 8970, down (no answer) restated every 60 s at 9030 … 10 770
 *   f3: never seen
 *   f4: up every 60 s at −30 … 10 170, then silent
 *   f5: unreadable (auth: Wrong Digest) restated every 60 s at −30 … 10 770
 *   f7 (intervalS 600): up every 600 s at −400, 200, … 10 400
 */
import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { CoverageCache } from '../../server/analytics/coverage.js';
import type { ApiDeps } from '../../server/api/deps.js';
import { StatusEvents } from '../../server/events.js';
import { parseAreas } from '../../server/inventory/areas.js';
import { Inventory } from '../../server/inventory/inventory.js';
import type { DeviceInput } from '../../server/inventory/devices-schema.js';
import { rollupRange } from '../../server/rollups.js';
import { windowIncidents, type Incident } from '../../server/status/index.js';
import type { MetricStore } from '../../server/store/metric-store.js';
import type { Point } from '../../core/point.js';
import { collectorStatusPoint } from '../../core/status-points.js';
import { HOUR, MIN, STORES, T0 } from './api-fixture.js';

const A = T0;
const S = 1000;
const NOW = A + 10_800 * S;
const at = (s: number): number => A + s * S;
const iso = (s: number): string => new Date(at(s)).toISOString();
const intervals = { fibreS: 60, wifiS: 60 };
/** t0, t0 + step, … up to and including `last` */
const every = (t0: number, last: number, step = 60): number[] => Array.from({ length: Math.floor((last - t0) / step) + 1 }, (_v, i) => t0 + i * step);

const snmp = { host: '127.0.0.1', port: 1161, version: '2c' as const, community: 'public' };
const DEVICES: DeviceInput[] = [
  { id: 'ap1', tech: 'wifi', site: 'w', location: { lat: 50.85, lon: 4.31 }, radiusM: 50 },
  ...['f1', 'f2', 'f3', 'f4', 'f5'].map((id): DeviceInput => ({ id, tech: 'fibre', site: 's', location: { lat: 50.85, lon: 4.31 }, snmp, householdsPassed: 100 })),
  { id: 'f7', tech: 'fibre', site: 's', location: { lat: 50.85, lon: 4.31 }, snmp, householdsPassed: 100, intervalS: 600 },
];

function inventory(): Inventory {
  const square = { type: 'Feature', properties: { id: 'a1', name: 'West', population: 2140, households: 1000 }, geometry: { type: 'Polygon', coordinates: [[[4.30, 50.84], [4.32, 50.84], [4.32, 50.86], [4.30, 50.86], [4.30, 50.84]]] } };
  const parsed = parseAreas({ type: 'FeatureCollection', features: [square] }, { avgHouseholdSize: 2.14 });
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return new Inventory(DEVICES, { areas: parsed.areas, householdsEstimated: false, avgHouseholdSize: 2.14 });
}

function sample(id: string, s: number, fields: Point['fields']): Point {
  const tech = id.startsWith('ap') ? 'wifi' : 'fibre';
  return { measurement: 'device_status', tags: { device: id, site: tech === 'wifi' ? 'w' : 's', area: 'a1', tech, source: tech === 'wifi' ? 'mqtt' : 'snmp' }, fields, time: at(s) };
}

function points(): Point[] {
  const p: Point[] = [];
  for (const s of every(-3595, 10_795, 10)) p.push(collectorStatusPoint('snmp', 's1', at(s), { connected: true, heartbeatS: 10 }));
  for (const s of every(-3595, 10_495, 10)) p.push(collectorStatusPoint('mqtt', 'm1', at(s), { connected: true, heartbeatS: 10 }));
  for (const s of every(-30, 3270)) p.push(sample('ap1', s, { up: 1 }));
  for (const s of every(3330, 3870)) p.push(sample('ap1', s, { up: 0, reason: 'offline' }));
  for (const s of every(3930, 10_470)) p.push(sample('ap1', s, { up: 1 }));
  for (const s of every(-30, 10_770)) p.push(sample('f1', s, { up: 1, rtt_ms: 3 }));
  for (const s of every(-30, 8970)) p.push(sample('f2', s, { up: 1 }));
  for (const s of every(9030, 10_770)) p.push(sample('f2', s, { up: 0, reason: 'timeout' }));
  for (const s of every(-30, 10_170)) p.push(sample('f4', s, { up: 1 }));
  for (const s of every(-30, 10_770)) p.push(sample('f5', s, { unreadable: 1, reason: 'auth: Wrong Digest' }));
  for (const s of every(-400, 10_400, 600)) p.push(sample('f7', s, { up: 1 }));
  return p;
}

// Over [A, NOW) in seconds:
//   ap1: up [0, 3330) + [3930, 10 515) = 3330 + 6585 = 9915; down [3330, 3930) = 600 (the offline
//        at 3330 restated until the up at 3930: one run); unknown [10 515, 10 800) = 285 (its
//        collector dead: the up at 10 470 cannot carry past 10 515)
//   f1: up 10 800. f2: up [0, 9030) = 9030, down [9030, 10 800) = 1770 (restated until now).
//   f3: unknown 10 800. f4: up [0, 10 170 + 2.5 × 60 = 10 320) = 10 320, unknown 480.
//   f5: unreadable: unknown 10 800 (never down). f7: up 10 800 (its sample at −400 holds 2.5 × 600 s).
const UPTIME: Record<string, [number, number, number]> = {
  ap1: [9915, 600, 285], f1: [10_800, 0, 0], f2: [9030, 1770, 0], f3: [0, 0, 10_800], f4: [10_320, 0, 480], f5: [0, 0, 10_800], f7: [10_800, 0, 0],
};

describe.each(STORES)('device state through the API on $name', (kind) => {
  let store: MetricStore;
  let dispose: () => Promise<void>;
  let app: Express;
  let deps: ApiDeps;
  const inv = inventory();

  beforeAll(async () => {
    ({ store, dispose } = await kind.open());
    await store.write(points());
    deps = { store, inventory: () => inv, now: () => NOW, auth: {}, intervals, coverageCache: new CoverageCache(), avgHouseholdSize: 2.14 };
    app = createApp({ store, api: deps, now: () => NOW });
  });
  afterAll(async () => { await dispose(); });

  it('lists an AP offline restated every interval for 10 minutes as ONE incident of 10 minutes', async () => {
    const res = await request(app).get('/api/incidents').query({ from: iso(0), to: iso(10_800), device: 'ap1' }).expect(200);
    expect(res.body.map((i: Record<string, unknown>) => [i['start'], i['end'], i['duration_ms'], i['ongoing']])).toEqual([[iso(3330), iso(3930), 600 * S, false]]);
    // all devices: ap1's, and f2's ongoing outage since 9030 (10 800 − 9030 = 1770 s); f5 unreadable is none
    const all = await request(app).get('/api/incidents').query({ from: iso(0), to: iso(10_800) }).expect(200);
    expect(all.body.map((i: Record<string, unknown>) => [i['device'], i['start'], i['end'], i['duration_ms'], i['ongoing']])).toEqual([
      ['ap1', iso(3330), iso(3930), 600 * S, false], ['f2', iso(9030), null, 1770 * S, true],
    ]);
  });

  it('joins a run across chunk edges: incidents read a chunk at a time equal the whole-window read', async () => {
    const row = (i: Incident): unknown[] => [i.device, (i.start - A) / S, i.end === null ? null : (i.end - A) / S, i.duration_ms / S, i.ongoing, i.startsBeforeWindow, i.endsAfterWindow, i.impact.impact_hours];
    const read = async (from: number, to: number, chunkMs: number): Promise<unknown[][]> =>
      (await windowIncidents(store, { devices: inv.all(), from: at(from), to: at(to), now: NOW, intervals, chunkMs })).sort((a, b) => a.device.localeCompare(b.device)).map(row);
    // f2 (100 households passed): 1770 s down = 100 × 1770 / 3600 household-hours; ap1: 0 clients here
    const whole = await read(0, 10_800, 3 * HOUR);
    expect(whole).toEqual([['ap1', 3330, 3930, 600, false, false, false, 0], ['f2', 9030, null, 1770, true, false, false, (100 * 1770) / 3600]]);
    // from mid-outage (3500) to inside it (3700): ap1 down 3500..3700, started before, cut by `to`
    const cut = await read(3500, 3700, 3 * HOUR);
    expect(cut).toEqual([['ap1', 3500, 3700, 200, false, true, true, 0]]);
    for (const chunkMs of [HOUR, 20 * MIN, 7 * MIN]) {
      expect(await read(0, 10_800, chunkMs), `chunks of ${chunkMs / MIN} min`).toEqual(whole);
      expect(await read(3500, 3700, chunkMs), `chunks of ${chunkMs / MIN} min`).toEqual(cut);
    }
  });

  it('gives the same uptime from raw samples and from hourly rollups, across the hour boundary the outage spans', async () => {
    const get = async (): Promise<{ rollupMs: string | undefined; rows: Map<string, number[]> }> => {
      const res = await request(app).get('/api/uptime').query({ from: iso(0), to: iso(10_800) }).expect(200);
      const rows = new Map((res.body as { key: string; up_ms: number; down_ms: number; unknown_ms: number }[]).map((r) => [r.key, [r.up_ms, r.down_ms, r.unknown_ms]]));
      return { rollupMs: res.headers['x-netatlas-rollup-ms'], rows };
    };
    const expected = new Map(Object.entries(UPTIME).map(([k, v]) => [k, v.map((x) => x * S)]));
    const raw = await get();
    expect(raw.rollupMs).toBe('0');
    expect(raw.rows).toEqual(expected);

    const run = await rollupRange(store, inv.all(), A, A + 3 * HOUR, intervals);
    expect(run).toMatchObject({ hours: 3, points: 3 * DEVICES.length });
    // ap1's hours: [0, 3600) up 3330 down 270; [3600, 7200) down 330 (the offline of 3570 carries
    // over the boundary to the next one at 3630… until the up at 3930) up 3270; [7200, 10 800) up 3315 unknown 285
    const hourly = await store.queryAggregate({ measurement: 'device_status_hourly', retention: 'long', field: 'down_s', fn: 'sum', from: A, to: A + 3 * HOUR, stepMs: HOUR, where: { device: 'ap1' } });
    expect(hourly.map((r) => r.value)).toEqual([270, 330, 0]);
    const rolled = await get();
    expect(rolled.rollupMs).toBe(String(3 * HOUR));
    expect(rolled.rows).toEqual(expected);
  });

  it('gives every unknown device its statusReason in /api/devices, /api/devices/:id and /api/map/devices', async () => {
    // at NOW: ap1 its collector dead since 10 515; f1 up (10 770 + 150 > NOW); f2 down, restated
    // at 10 770; f3 never seen; f4 last up at 10 170 held to 10 320 < NOW; f5 unreadable; f7 up
    // (10 400 + 2.5 × 600 > NOW)
    const want = [
      ['ap1', 'unknown', 'collector-down'], ['f1', 'up', null], ['f2', 'down', null], ['f3', 'unknown', 'no-evidence'],
      ['f4', 'unknown', 'stale'], ['f5', 'unknown', 'unreadable: auth: Wrong Digest'], ['f7', 'up', null],
    ];
    const list = await request(app).get('/api/devices').expect(200);
    expect(list.body.map((d: Record<string, unknown>) => [d['id'], d['status'], d['statusReason']])).toEqual(want);
    const unknown = await request(app).get('/api/devices').query({ status: 'unknown' }).expect(200);
    expect(unknown.body.map((d: { id: string }) => d.id)).toEqual(['ap1', 'f3', 'f4', 'f5']);
    const one = await request(app).get('/api/devices/f5').expect(200);
    expect([one.body.status, one.body.statusReason, one.body.lastSeen]).toEqual(['unknown', 'unreadable: auth: Wrong Digest', iso(10_770)]);
    const map = await request(app).get('/api/map/devices').expect(200);
    const props = JSON.parse(map.text).features.map((f: { properties: Record<string, unknown> }) => [f.properties['id'], f.properties['status'], f.properties['statusReason']]);
    expect(props).toEqual(want);
  });

  it('documents statusReason in the OpenAPI document', async () => {
    const doc = (await request(app).get('/api/openapi.json').expect(200)).body;
    expect(Object.keys(doc.components.schemas.DeviceState.properties)).toEqual(['status', 'statusReason', 'lastSeen', 'rtt_ms']);
    expect(doc.components.schemas.DeviceState.properties.statusReason.description).toContain('collector-down');
    const ref = (path: string): string => JSON.stringify(doc.paths[path].get.responses['200'].content);
    for (const path of ['/api/devices', '/api/devices/{id}', '/api/map/devices']) expect(ref(path), path).toContain('#/components/schemas/DeviceState');
  });

  it('sends the reason with a status event: ap1 turns unknown when its collector stops beating', async () => {
    let clock = at(10_500);
    const events = new StatusEvents({ store, devices: () => inv.all().filter((d) => d.id === 'ap1'), now: () => clock, intervals });
    try {
      expect(await events.poll()).toEqual([]);
      clock = NOW;
      expect(await events.poll()).toEqual([{ device: 'ap1', status: 'unknown', statusReason: 'collector-down', previous: 'up', time: iso(10_800), lastSeen: iso(10_470) }]);
    } finally {
      events.stop();
    }
  });
});
