/**
 * The e2e harness of the map: the real app (createApp) on an ephemeral loopback port around a
 * seeded SQLite store and an inventory (the Brussels demo areas, devices given by the test), and
 * a headless Debian Chromium that records console errors and page errors.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { parse as parseYaml } from 'yaml';
import { alertsSchema } from '../../server/alerts/config.js';
import { createOperations, type Operations } from '../../server/compose/operations.js';
import { createApp } from '../../server/app.js';
import { CoverageCache } from '../../server/analytics/coverage.js';
import { StatusEvents } from '../../server/events.js';
import { DEFAULT_INTERVALS } from '../../server/status/index.js';
import { LiveState } from '../../server/status/live-state.js';
import { parseAreasText } from '../../server/inventory/areas.js';
import type { DeviceInput } from '../../server/inventory/devices-schema.js';
import { parseInventory } from '../../server/inventory/devices-schema.js';
import { Inventory } from '../../server/inventory/inventory.js';
import { maintenanceSchema } from '../../server/maintenance/config.js';
import { notifiersSchema } from '../../server/notifiers/config.js';
import { reportsSchema } from '../../server/scheduled-reports/config.js';
import type { Point } from '../../core/point.js';
import { SqliteStore } from '../../server/store/sqlite-store.js';
import type { WebOptions } from '../../server/web-static.js';
import { requireChromium } from '../helpers/services.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DEMO_AREAS = path.join(ROOT, 'regions', 'brussels', 'areas.geojson');
export const DEMO_DEVICES = path.join(ROOT, 'regions', 'brussels', 'devices.yaml');
export const AVG_HOUSEHOLD_SIZE = 2.1;

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--no-first-run',
];

export async function demoDevices(): Promise<DeviceInput[]> {
  const r = parseInventory(parseYaml(await readFile(DEMO_DEVICES, 'utf8')));
  if (!r.ok) throw new Error(`demo devices: ${r.errors.join('; ')}`);
  return r.value.devices;
}

export async function demoInventory(devices: readonly DeviceInput[]): Promise<Inventory> {
  const areas = parseAreasText(await readFile(DEMO_AREAS, 'utf8'), DEMO_AREAS, { avgHouseholdSize: AVG_HOUSEHOLD_SIZE });
  if (!areas.ok) throw new Error(`demo areas: ${areas.errors.join('; ')}`);
  return new Inventory(devices, areas.value);
}

/** A device_status point as the collectors write it. */
export function statusPoint(d: { id: string; tech: 'fibre' | 'wifi'; site: string; area: string }, time: number, up: boolean): Point {
  return {
    measurement: 'device_status',
    tags: { device: d.id, site: d.site, area: d.area, tech: d.tech, source: d.tech === 'fibre' ? 'snmp' : 'mqtt' },
    fields: { up: up ? 1 : 0, ...(d.tech === 'fibre' ? { rtt_ms: 1.5 } : {}) },
    time,
  };
}

export interface MapServer {
  url: string;
  store: SqliteStore;
  inventory: Inventory;
  /** the alert engine and its routes (GET /api/alerts), when asked for with `alerts: true` */
  ops?: Operations;
  /** the live state the API reads, as the service has it, when asked for with `live: true`;
   *  the caller seeds the store, then awaits `live.start()` (its restore) before measuring */
  live?: LiveState;
  close(): Promise<void>;
}

export interface MapServerOptions {
  devices: readonly DeviceInput[];
  web?: WebOptions;
  /** SSE poll interval of the status events (the server default when absent) */
  eventsPollMs?: number;
  /** mount the operator parts as main.ts does (default config: device-down alerts, no notifier;
   *  no group wait, so one evaluation raises the alerts of devices already down for minutes) */
  alerts?: boolean;
  /** read status from a live state (server/status/live-state.ts) as the service does, instead of
   *  recomputing it from the store on every request (what a service still restoring does) */
  live?: boolean;
}

export async function startMapServer(opts: MapServerOptions): Promise<MapServer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'netatlas-e2e-'));
  const store = new SqliteStore({ dataDir: dir });
  await store.init();
  const inventory = await demoInventory(opts.devices);
  const live = opts.live ? new LiveState({ store, devices: () => inventory.all(), intervals: DEFAULT_INTERVALS }) : undefined;
  const events = new StatusEvents({ store, devices: () => inventory.all(), ...(opts.eventsPollMs ? { pollMs: opts.eventsPollMs } : {}), ...(live ? { live } : {}) });
  const ops = opts.alerts ? createOperations({
    config: { alerts: alertsSchema.parse({ grouping: { groupWaitMs: 0 } }), notifiers: notifiersSchema.parse([]), maintenance: maintenanceSchema.parse({}), reports: reportsSchema.parse({}) },
    store, inventory: () => inventory, dataDir: dir, intervals: DEFAULT_INTERVALS, avgHouseholdSize: AVG_HOUSEHOLD_SIZE,
  }) : undefined;
  const app = createApp({
    store,
    web: opts.web ?? { tileUrl: '' },
    api: {
      store,
      inventory: () => inventory,
      now: Date.now,
      auth: {},
      intervals: DEFAULT_INTERVALS,
      coverageCache: new CoverageCache(),
      avgHouseholdSize: AVG_HOUSEHOLD_SIZE,
      events,
      ...(ops ? { operations: ops.api } : {}),
      ...(live ? { live } : {}),
    },
  });
  const server: Server = await new Promise((resolve) => { const s = app.listen(0, '127.0.0.1', () => resolve(s)); });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    store,
    inventory,
    ...(ops ? { ops } : {}),
    ...(live ? { live } : {}),
    async close() {
      live?.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await ops?.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** console messages of type error, and uncaught page errors, in order */
  errors: string[];
  close(): Promise<void>;
}

export async function openBrowser(viewport = { width: 1280, height: 800 }): Promise<Browser> {
  const executablePath = await requireChromium();
  const userDataDir = await mkdtemp(path.join(os.tmpdir(), 'netatlas-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, { executablePath, headless: true, args: CHROMIUM_ARGS, viewport, timeout: 30_000 });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  return {
    context, page, errors,
    async close() {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/** the page's devices request (preloaded by its head): the columns of the map's devices */
export const isMapColumnsUrl = (url: string): boolean => new URL(url).pathname === '/api/map/devices/columns';

/** One object per device of a /api/map/devices/columns answer, with its status and tech words, for a test's sums. */
export function columnDevices(body: unknown): { id: string; status: 'up' | 'down' | 'unknown'; tech: 'fibre' | 'wifi'; householdsPassed?: number }[] {
  const c = body as { count: number; statuses: ('up' | 'down' | 'unknown')[]; techs: ('fibre' | 'wifi')[]; id: string[]; tech: number[]; status: number[]; householdsPassed: (number | null)[] };
  return c.id.map((id, i) => ({ id, status: c.statuses[c.status[i]!]!, tech: c.techs[c.tech[i]!]!, ...(c.householdsPassed[i] !== null ? { householdsPassed: c.householdsPassed[i]! } : {}) }));
}

/** Waits until the page says its devices and areas are drawn; returns ms since navigation. */
export async function waitInteractive(page: Page, timeoutMs = 20_000): Promise<number> {
  await page.waitForFunction(() => document.documentElement.dataset['interactiveMs'] !== undefined, null, { timeout: timeoutMs });
  return Number(await page.evaluate(() => document.documentElement.dataset['interactiveMs']));
}

/** Waits until the area choropleth is drawn too; returns ms since navigation. */
export async function waitAreas(page: Page, timeoutMs = 30_000): Promise<number> {
  await page.waitForFunction(() => document.documentElement.dataset['areasMs'] !== undefined, null, { timeout: timeoutMs });
  return Number(await page.evaluate(() => document.documentElement.dataset['areasMs']));
}
