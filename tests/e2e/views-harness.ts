/**
 * The server the operators' views are tested and photographed against: the real app (createApp)
 * on a loopback port, a SQLite store seeded with the demo devices' known pattern (map-seed.ts),
 * status events for the live updates, and /api/health components from real parts: an MQTT
 * collector connected to the test Mosquitto (127.0.0.1:1883; tests/services/start) and the
 * broker component that reads it, exactly as the service builds them.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { MqttCollector } from '../../collectors/mqtt/collector.js';
import { createApp } from '../../server/app.js';
import { CoverageCache } from '../../server/analytics/coverage.js';
import { brokerHealth, brokerSysOf } from '../../server/broker/broker-health.js';
import { collectorHealth } from '../../server/collection/collection-health.js';
import { StatusEvents } from '../../server/events.js';
import type { Inventory } from '../../server/inventory/inventory.js';
import { DEFAULT_INTERVALS } from '../../server/status/index.js';
import { SqliteStore } from '../../server/store/sqlite-store.js';
import { collectorContext, inventoryOf, testConfig } from '../helpers/mqtt-fixtures.js';
import { requireMosquitto } from '../helpers/services.js';
import { AVG_HOUSEHOLD_SIZE, demoDevices, demoInventory } from './map-harness.js';
import { seedPattern, withInterval } from './map-seed.js';

export interface ViewsServer {
  url: string;
  store: SqliteStore;
  inventory: Inventory;
  /** the time the seed's newest samples were written at */
  seededAt: number;
  close(): Promise<void>;
}

export async function startViewsServer(opts: { eventsPollMs?: number } = {}): Promise<ViewsServer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'netatlas-views-'));
  const store = new SqliteStore({ dataDir: dir });
  await store.init();
  // the demo's 460 devices, reporting every 5 min so the seed stays fresh through a test run
  const inventory = await demoInventory(withInterval(await demoDevices(), 300));
  const seededAt = Date.now();
  await seedPattern(store, inventory, seededAt);

  // the collector writes its own points (heartbeats) to a store of its own: the seeded store holds
  // only the seed, so the figures the tests work out by hand stay exact
  const sideDir = await mkdtemp(path.join(os.tmpdir(), 'netatlas-views-side-'));
  const side = new SqliteStore({ dataDir: sideDir });
  await side.init();
  const brokerUrl = await requireMosquitto();
  const collector = new MqttCollector({ config: testConfig({ url: brokerUrl }), ctx: collectorContext(inventoryOf([])) });
  await collector.start(side);

  const events = new StatusEvents({ store, devices: () => inventory.all(), ...(opts.eventsPollMs ? { pollMs: opts.eventsPollMs } : {}) });
  const app = createApp({
    store,
    web: { tileUrl: '' },
    components: {
      collectors: async () => collectorHealth([collector], undefined),
      broker: brokerHealth({ url: brokerUrl, sys: brokerSysOf([collector]) ?? (() => undefined) }),
    },
    api: {
      store, inventory: () => inventory, now: Date.now, auth: {}, intervals: DEFAULT_INTERVALS,
      coverageCache: new CoverageCache(), avgHouseholdSize: AVG_HOUSEHOLD_SIZE, events,
    },
  });
  const server: Server = await new Promise((resolve) => { const s = app.listen(0, '127.0.0.1', () => resolve(s)); });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    store, inventory, seededAt,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await collector.stop();
      await side.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
      await rm(sideDir, { recursive: true, force: true });
    },
  };
}
