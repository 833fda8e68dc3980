/**
 * `npm run screenshots`: writes the operators' views as README shows them —
 * docs/screenshots/overview.png and incidents.png — from a seeded server (tests/e2e/views-harness:
 * the 460 demo devices with their known pattern, no base map) in Debian's Chromium. Needs the test
 * Mosquitto for the collector and broker health (`bash tests/services/start`).
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openBrowser } from '../tests/e2e/map-harness.js';
import { startViewsServer } from '../tests/e2e/views-harness.js';

const OUT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'screenshots');
const TIMEOUT_MS = 60_000;

await mkdir(OUT, { recursive: true });
const server = await startViewsServer();
const browser = await openBrowser({ width: 1280, height: 900 });
try {
  const { page } = browser;
  await page.goto(`${server.url}/overview`);
  await page.waitForFunction(() => document.documentElement.dataset['ready'] === '1', null, { timeout: TIMEOUT_MS });
  await page.screenshot({ path: path.join(OUT, 'overview.png'), fullPage: true });

  // the ongoing incidents, worst first, with the worst one's timeline open
  await page.goto(`${server.url}/incidents?ongoing=true&sort=impact`);
  await page.waitForFunction(() => document.documentElement.dataset['ready'] === '1', null, { timeout: TIMEOUT_MS });
  await page.locator('button.na-expand').first().click();
  await page.locator('.na-timeline').first().waitFor({ timeout: TIMEOUT_MS });
  await page.screenshot({ path: path.join(OUT, 'incidents.png'), fullPage: false });
  if (browser.errors.length > 0) throw new Error(`console errors: ${browser.errors.join('; ')}`);
  process.stdout.write(`wrote ${path.join(OUT, 'overview.png')} and incidents.png\n`);
} finally {
  await browser.close();
  await server.close();
}
