/**
 * Shared by the alerts/maintenance/reports integration tests: a small inventory (two square
 * areas), a real SQLite store in a temp dir, a webhook receiver on loopback that checks the
 * HMAC of every body, and createOperations wired to a clock the test drives.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { alertsSchema } from '../../server/alerts/config.js';
import { createOperations, type Operations } from '../../server/compose/operations.js';
import { parseAreas } from '../../server/inventory/areas.js';
import type { DeviceInput } from '../../server/inventory/devices-schema.js';
import { Inventory } from '../../server/inventory/inventory.js';
import { maintenanceSchema } from '../../server/maintenance/config.js';
import { notifiersSchema } from '../../server/notifiers/config.js';
import { reportsSchema } from '../../server/scheduled-reports/config.js';
import type { MetricStore } from '../../server/store/metric-store.js';
import { SqliteStore } from '../../server/store/sqlite-store.js';

export const S = 1000;
export const MIN = 60 * S;
export const SECRET = 'test-hmac-secret';

function square(id: string, lat0: number): unknown {
  const [x0, x1, y0, y1] = [4.30, 4.32, lat0, lat0 + 0.02];
  return { type: 'Feature', properties: { id, name: id.toUpperCase(), population: 2140, households: 1000 }, geometry: { type: 'Polygon', coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]] } };
}

const snmp = { host: '127.0.0.1', port: 1161, version: '2c' as const, community: 'public' };

/** north: n1..n4 (fibre, 100 households each); south: s1, s2 (fibre), w1 (wifi). Polled every 10 s. */
export function testInventory(intervalS = 10): Inventory {
  const at = (lat: number) => ({ lat, lon: 4.31 });
  const devices: DeviceInput[] = [
    ...['n1', 'n2', 'n3', 'n4'].map((id, i) => ({ id, tech: 'fibre' as const, site: `site-${id}`, location: at(50.861 + i * 0.004), snmp, householdsPassed: 100, accessTech: 'ftth' as const, intervalS })),
    { id: 's1', tech: 'fibre', site: 'site-s1', location: at(50.845), snmp, householdsPassed: 100, accessTech: 'ftth', intervalS },
    { id: 's2', tech: 'fibre', site: 'site-s2', location: at(50.852), snmp, householdsPassed: 100, accessTech: 'ftth', intervalS },
    { id: 'w1', tech: 'wifi', site: 'site-w1', location: at(50.855), radiusM: 50, intervalS },
  ];
  const parsed = parseAreas({ type: 'FeatureCollection', features: [square('north', 50.86), square('south', 50.84)] }, { avgHouseholdSize: 2.14 });
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return new Inventory(devices, { areas: parsed.areas, householdsEstimated: false, avgHouseholdSize: 2.14 });
}

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'netatlas-alerts-'));
}

export async function openSqlite(dir: string): Promise<SqliteStore> {
  const store = new SqliteStore({ dataDir: dir });
  await store.init();
  return store;
}

export async function writeStatus(store: MetricStore, inv: Inventory, device: string, time: number, up: boolean): Promise<void> {
  const d = inv.byId(device)!;
  await store.write([{ measurement: 'device_status', tags: { device, site: d.site, area: d.area, tech: d.tech, source: d.tech === 'fibre' ? 'snmp' : 'mqtt' }, fields: { up: up ? 1 : 0 }, time }]);
}

export interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
  json: { id: string; kind: string; alert?: { rule: string; subject: string; summary: string; devices?: string[]; flapping?: boolean }; report?: { name: string } };
  signatureValid: boolean;
}

/**
 * The README's verification recipe, written out independently of server/notifiers: header
 * `t=<unix s>,v1=<hex>`, t within 300 s of this clock (the notifier signs with the wall clock,
 * not the tests' driven one), v1 = HMAC-SHA256(secret, "<t>.<raw body>").
 */
function signatureValid(header: string, body: string): boolean {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  if (!m || Math.abs(Date.now() / 1000 - Number(m[1])) > 300) return false;
  const expected = Buffer.from(createHmac('sha256', SECRET).update(`${m[1]}.${body}`).digest('hex'));
  return timingSafeEqual(Buffer.from(m[2]!), expected);
}

/** A webhook receiver on 127.0.0.1 that records every request and answers 204 (or 503 when told). */
export class Receiver {
  readonly requests: Received[] = [];
  private server: http.Server | undefined;
  port = 0;
  failWith: number | null = null;

  async listen(port = 0): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if (this.failWith !== null) { res.statusCode = this.failWith; res.end(); return; }
        this.requests.push({ headers: req.headers, body, json: JSON.parse(body) as Received['json'], signatureValid: signatureValid(String(req.headers['x-netatlas-signature'] ?? ''), body) });
        res.statusCode = 204;
        res.end();
      });
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  async close(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  ids(): string[] {
    return this.requests.map((r) => r.json.id);
  }
}

export interface OpsOptions {
  dir: string;
  store: MetricStore;
  inventory: Inventory;
  clock: { now: number };
  webhookUrl?: string;
  alerts?: Record<string, unknown>;
  maintenance?: Record<string, unknown>;
  reports?: Record<string, unknown>;
  retry?: Record<string, unknown>;
}

export function openOps(o: OpsOptions): Operations {
  return createOperations({
    config: {
      alerts: alertsSchema.parse(o.alerts ?? {}),
      notifiers: notifiersSchema.parse(o.webhookUrl ? [{ name: 'hook', type: 'webhook', url: o.webhookUrl, secret: SECRET, headers: { 'X-Team': 'noc' }, retry: o.retry ?? {} }] : []),
      maintenance: maintenanceSchema.parse(o.maintenance ?? {}),
      reports: reportsSchema.parse(o.reports ?? {}),
    },
    store: o.store, inventory: () => o.inventory, dataDir: o.dir,
    intervals: { fibreS: 10, wifiS: 10 }, avgHouseholdSize: 2.14,
    now: () => o.clock.now,
  });
}
