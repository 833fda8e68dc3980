/**
 * `npm run screenshots [view…]`: writes the views as README shows them, docs/screenshots/<view>.png,
 * from a seeded server (tests/e2e/views-harness: the 460 demo devices with their known pattern, no
 * base map) in Debian's Chromium; every view when none is named. Needs the test Mosquitto for the
 * collector and broker health (`bash tests/services/start`). A new view is one entry in VIEWS.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { openBrowser } from '../tests/e2e/map-harness.js';
import { startViewsServer } from '../tests/e2e/views-harness.js';

const OUT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'screenshots');
const TIMEOUT_MS = 60_000;

interface View {
  name: string;
  /** brings the page to the state photographed */
  show(page: Page, url: string): Promise<void>;
  fullPage: boolean;
  /** the window, when not 1280 × 900 */
  viewport?: { width: number; height: number };
}

const ready = (page: Page): Promise<unknown> =>
  page.waitForFunction(() => document.documentElement.dataset['ready'] === '1', null, { timeout: TIMEOUT_MS });

const VIEWS: readonly View[] = [
  {
    name: 'overview', fullPage: true,
    show: async (page, url) => { await page.goto(`${url}/overview`); await ready(page); },
  },
  {
    // the ongoing incidents, worst first, with the worst one's timeline open
    name: 'incidents', fullPage: false,
    show: async (page, url) => {
      await page.goto(`${url}/incidents?ongoing=true&sort=impact`);
      await ready(page);
      await page.locator('button.na-expand').first().click();
      await page.locator('.na-timeline').first().waitFor({ timeout: TIMEOUT_MS });
    },
  },
  {
    // the gaps list beside the map, zoomed to the worst cell
    name: 'gaps', fullPage: false,
    show: async (page, url) => {
      await page.goto(`${url}/#gaps`);
      await page.waitForFunction(() => document.documentElement.dataset['gaps'] !== undefined && document.documentElement.dataset['areasMs'] !== undefined, null, { timeout: TIMEOUT_MS });
      await page.locator('.na-gaps__table tbody tr').first().click();
      await page.waitForFunction(() => document.documentElement.dataset['gapCell'] !== undefined, null, { timeout: TIMEOUT_MS });
    },
  },
  {
    // the current quarter: the region's table and the first charts
    name: 'desi', fullPage: false, viewport: { width: 1280, height: 1500 },
    show: async (page, url) => {
      await page.goto(`${url}/desi`);
      await page.waitForFunction(() => document.documentElement.dataset['report'] !== undefined, null, { timeout: TIMEOUT_MS });
    },
  },
];

const asked = process.argv.slice(2);
const unknown = asked.filter((n) => !VIEWS.some((v) => v.name === n));
if (unknown.length > 0) throw new Error(`unknown view(s): ${unknown.join(', ')}; known: ${VIEWS.map((v) => v.name).join(', ')}`);
const views = asked.length > 0 ? VIEWS.filter((v) => asked.includes(v.name)) : VIEWS;

await mkdir(OUT, { recursive: true });
const server = await startViewsServer();
const browser = await openBrowser({ width: 1280, height: 900 });
try {
  const { page } = browser;
  for (const v of views) {
    await page.setViewportSize(v.viewport ?? { width: 1280, height: 900 });
    await v.show(page, server.url);
    const file = path.join(OUT, `${v.name}.png`);
    await page.screenshot({ path: file, fullPage: v.fullPage });
    process.stdout.write(`wrote ${file}\n`);
  }
  if (browser.errors.length > 0) throw new Error(`console errors: ${browser.errors.join('; ')}`);
} finally {
  await browser.close();
  await server.close();
}
