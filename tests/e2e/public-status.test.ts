/**
 * The public status page (/status) in real Chromium against the real app (createApp, SQLite store
 * seeded through write()) with the 460 demo devices and a read token configured: the page shows
 * what /api/public/status.json says, names no device, site or device position, is keyboard
 * reachable and readable at 360 px, and logs no console error.
 *
 * Seed (map-seed.ts seedPattern, device i of the inventory): i % 7 == 3 never reported (unknown),
 * else i % 10 == 0 down for the last 30 min. Over i = 0..459:
 *   unknown: i = 3, 10, …, 458 -> (458 − 3) / 7 + 1 = 66
 *   down: i % 10 == 0 -> 46, minus those with i % 7 == 3 (i = 10k with k ≡ 1 mod 7: k = 1, 8, …, 43 -> 7) = 39
 *   up: 460 − 66 − 39 = 355
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { CoverageCache } from '../../server/analytics/coverage.js';
import type { ApiDeps } from '../../server/api/deps.js';
import type { Inventory } from '../../server/inventory/inventory.js';
import { DEFAULT_PUBLIC } from '../../server/public/config.js';
import type { PublicStatus } from '../../server/public/status-summary.js';
import { DEFAULT_INTERVALS } from '../../server/status/index.js';
import { SqliteStore } from '../../server/store/sqlite-store.js';
import { AVG_HOUSEHOLD_SIZE, demoDevices, demoInventory, openBrowser, type Browser } from './map-harness.js';
import { seedPattern, withInterval } from './map-seed.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
// committed screenshots are rewritten only on request (as in map.test.ts)
const SCREENSHOTS = process.env['NETATLAS_UPDATE_SCREENSHOTS'] === '1' ? path.join(ROOT, 'docs', 'screenshots') : path.join(ROOT, '.tmp', 'screenshots');

describe('public status page in Chromium', () => {
  let dir: string, store: SqliteStore, inv: Inventory, server: Server, url: string, browser: Browser;

  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    dir = await mkdtemp(path.join(os.tmpdir(), 'netatlas-public-'));
    store = new SqliteStore({ dataDir: dir });
    await store.init();
    inv = await demoInventory(withInterval(await demoDevices(), 300));
    await seedPattern(store, inv, Date.now());
    const deps: ApiDeps = {
      store, inventory: () => inv, now: Date.now, auth: { readToken: 'read-secret' }, intervals: DEFAULT_INTERVALS,
      coverageCache: new CoverageCache(), avgHouseholdSize: AVG_HOUSEHOLD_SIZE,
    };
    deps.public = DEFAULT_PUBLIC;
    const app = createApp({ store, web: { tileUrl: '' }, api: deps });
    server = await new Promise((resolve) => { const s = app.listen(0, '127.0.0.1', () => resolve(s)); });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await openBrowser();
    // Chromium's own JSON viewer asks for /favicon.ico, which the app does not serve (its HTML
    // pages declare an empty icon); answer it here so the console records only the pages' errors
    await browser.page.route('**/favicon.ico', (r) => r.fulfill({ status: 204 }));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    server?.closeAllConnections();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    await store?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('shows the JSON\'s components and incidents, with the seeded counts', async () => {
    const res = await fetch(`${url}/api/public/status.json`);
    expect(res.status).toBe(200);
    const json = (await res.json()) as PublicStatus;
    const sum = (k: 'total' | 'up' | 'down' | 'unknown'): number => json.components.reduce((n, c) => n + c.devices[k], 0);
    expect([sum('total'), sum('up'), sum('down'), sum('unknown')]).toEqual([460, 355, 39, 66]);

    const { page, errors } = browser;
    await page.goto(`${url}/status`);
    const rows = await page.$$eval('tr[data-component]', (trs) => trs.map((tr) => ({
      id: (tr as HTMLElement).dataset['component'],
      status: (tr.querySelector('[data-status]') as HTMLElement).dataset['status'] || null,
      counts: tr.querySelector('td.n')?.textContent?.trim(),
    })));
    expect(rows).toEqual(json.components.map((c) => ({ id: c.id, status: c.status, counts: `${c.devices.up} / ${c.devices.down} / ${c.devices.unknown}` })));
    expect(await page.locator('.overall').getAttribute('data-indicator')).toBe(json.status.indicator);
    expect(await page.locator('.overall').textContent()).toBe(json.status.description);
    // 39 devices are down now, so at least one ongoing incident; the page lists every one of the JSON's
    expect(json.incidents.filter((i) => i.ongoing).length).toBeGreaterThan(0);
    expect(await page.locator('li[data-incident]').count()).toBe(json.incidents.length);
    expect(errors).toEqual([]);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'public-status.png'), fullPage: false });
  });

  it('names no device id, site or device position in the HTML or the JSON', async () => {
    const html = await (await fetch(`${url}/status`)).text();
    const json = await (await fetch(`${url}/api/public/status.json`)).text();
    expect(inv.all()).toHaveLength(460);
    const leaks: string[] = [];
    for (const d of inv.all()) {
      for (const needle of [d.id, d.site, String(d.location.lat), String(d.location.lon)]) {
        if (html.includes(needle)) leaks.push(`html: ${d.id}: ${needle}`);
        if (json.includes(needle)) leaks.push(`json: ${d.id}: ${needle}`);
      }
    }
    expect(leaks).toEqual([]);
  });

  it('is keyboard reachable and readable at 360 px with no base map', async () => {
    const { page, errors } = browser;
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(`${url}/status`);
    // no horizontal scrolling at 360 px
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('href'))).toBe('/api/public/status.json');
    await page.keyboard.press('Enter');
    await page.waitForURL(/status\.json$/);
    expect(errors).toEqual([]);
    await page.goto(`${url}/status`);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'public-status-360.png'), fullPage: false });
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('links the open-data catalogue, whose every distribution loads in the browser without the token', async () => {
    const { page, errors } = browser;
    await page.goto(`${url}/status`);
    await page.getByRole('link', { name: 'Open data' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/api\/public\/datasets$/);
    const results = await page.evaluate(async () => {
      const cat = JSON.parse(document.body.innerText) as { 'dcat:dataset': { 'dcat:distribution': { '@id': string; 'dcat:mediaType': string }[] }[] };
      const out: string[] = [];
      for (const d of cat['dcat:dataset'].flatMap((s) => s['dcat:distribution'])) {
        const r = await fetch(d['@id']);
        out.push(`${new URL(d['@id']).pathname} ${r.status} ${(r.headers.get('content-type') ?? '').includes(d['dcat:mediaType'])}`);
      }
      return out;
    });
    // coverage and gaps: 2 formats each; 5 DESI periods: CSV and JSON each -> 4 + 10 = 14
    expect(results).toHaveLength(14);
    expect(results.filter((r) => !r.endsWith(' 200 true'))).toEqual([]);
    const geo = await (await fetch(`${url}/api/public/datasets/coverage-by-area.geojson`)).text();
    for (const d of inv.all()) expect(geo.includes(`"${d.id}"`), d.id).toBe(false);
    expect(errors).toEqual([]);
  });
});
