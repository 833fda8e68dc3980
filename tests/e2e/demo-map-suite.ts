/**
 * What the map suites on the demo inventory start with: the map server on the Brussels demo
 * devices (every one polled each 300 s) with the seeded status pattern (map-seed.ts), and a
 * browser; both closed after the suite.
 */
import { afterAll, beforeAll } from 'vitest';
import { demoDevices, openBrowser, startMapServer, type Browser, type MapServer } from './map-harness.js';
import { seedPattern, withInterval } from './map-seed.js';

export interface DemoMap { server: MapServer; browser: Browser }

/** Call inside a describe; the server and the browser are there once its beforeAll ran, before any test. */
export function demoMapSuite(): DemoMap {
  const demo = {} as DemoMap;
  beforeAll(async () => {
    demo.server = await startMapServer({ devices: withInterval(await demoDevices(), 300) });
    await seedPattern(demo.server.store, demo.server.inventory, Date.now());
    demo.browser = await openBrowser();
  }, 120_000);
  afterAll(async () => {
    await demo.browser?.close();
    await demo.server?.close();
  });
  return demo;
}
