/**
 * The map in real Chromium against the real app (createApp, SQLite store seeded through write()):
 * the acceptance list of the map issue.
 */
import { mkdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MapServer, Browser } from './map-harness.js';
import { columnDevices, demoDevices, isMapColumnsUrl, openBrowser, startMapServer, statusPoint, waitAreas, waitInteractive } from './map-harness.js';
import { seedPattern, withInterval } from './map-seed.js';
import { demoMapSuite } from './demo-map-suite.js';
import { startChildMapServer } from './map-server-child.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
// The committed screenshots (README) are rewritten only on request, so a test run leaves the work
// tree clean; otherwise they go to the ignored .tmp/ folder, still written so a reviewer can look.
const SCREENSHOTS = process.env['NETATLAS_UPDATE_SCREENSHOTS'] === '1'
  ? path.join(ROOT, 'docs', 'screenshots')
  : path.join(ROOT, '.tmp', 'screenshots');

interface MapFeature { properties: { id: string; status: 'up' | 'down' | 'unknown'; tech: string } }

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  expect(res.status, url).toBe(200);
  return (await res.json()) as T;
}

/** what the page says it drew: devices in the legend, and on the map markers plus cluster members */
async function drawn(page: Page): Promise<{ areas: number; total: number; up: number; down: number; unknown: number; onMap: number; clusters: number }> {
  return page.evaluate(() => {
    const count = (s: string): number => Number(document.querySelector(`.na-count[data-status="${s}"]`)?.textContent ?? NaN);
    const clusters = Array.from(document.querySelectorAll<HTMLElement>('.na-cluster__count'));
    const inClusters = clusters.reduce((n, el) => n + Number(el.dataset['count']), 0);
    return {
      areas: document.querySelectorAll('path.na-area').length,
      total: count('total'), up: count('up'), down: count('down'), unknown: count('unknown'),
      onMap: inClusters + document.querySelectorAll('.na-dev').length,
      clusters: clusters.length,
    };
  });
}

/** Uses the "Find device" box (the keyboard route) to zoom until the device's own marker shows. */
async function reveal(page: Page, id: string): Promise<void> {
  await page.getByLabel('Find device').fill(id);
  await page.getByLabel('Find device').press('Enter');
  await page.locator(`.na-dev[title^="${id} ("]`).waitFor({ state: 'visible', timeout: 10_000 });
}

async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as net.AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('the map of the Brussels demo inventory', () => {
  const demo = demoMapSuite();
  beforeAll(async () => { await mkdir(SCREENSHOTS, { recursive: true }); });

  it('loads with no console errors and draws the 19 areas and as many devices, by status, as the API lists', async () => {
    const { page, errors } = demo.browser;
    const asked: string[] = [];
    const onRequest = (r: { url(): string }): void => { if (isMapColumnsUrl(r.url())) asked.push(r.url()); };
    page.on('request', onRequest);
    const [apiDevicesRes] = await Promise.all([
      page.waitForResponse((r) => isMapColumnsUrl(r.url())),
      page.goto(demo.server.url + '/'),
    ]);
    const apiDevices = { features: columnDevices(await apiDevicesRes.json()).map((properties) => ({ properties })) };
    // the columns the page shows are those of the public GeoJSON: same devices, same statuses
    const geo = await getJson<{ features: MapFeature[] }>(`${demo.server.url}/api/map/devices`);
    expect(apiDevices.features.map((f) => [f.properties.id, f.properties.status])).toEqual(geo.features.map((f) => [f.properties.id, f.properties.status]));
    const ms = await waitInteractive(page);
    // asked once, by the cluster worker the page's head started (the page itself does not fetch them)
    page.off('request', onRequest);
    expect(asked).toHaveLength(1);
    const areasMs = await waitAreas(page);
    const areas = await getJson<{ features: unknown[] }>(`${demo.server.url}/api/coverage/areas.geojson`);
    // the clusters are drawn again after the fit to the areas (on moveend): wait for it to settle
    await expect.poll(async () => (await drawn(page)).onMap, { timeout: 5000 }).toBe(apiDevices.features.length);
    const d = await drawn(page);
    const byStatus = (s: string): number => apiDevices.features.filter((f) => f.properties.status === s).length;

    expect(areas.features).toHaveLength(19);
    expect(d.areas).toBe(19);
    expect(apiDevices.features.length).toBe(demo.server.inventory.all().length);
    expect({ total: d.total, up: d.up, down: d.down, unknown: d.unknown, onMap: d.onMap })
      .toEqual({ total: apiDevices.features.length, up: byStatus('up'), down: byStatus('down'), unknown: byStatus('unknown'), onMap: apiDevices.features.length });
    expect(byStatus('down')).toBeGreaterThan(0);
    expect(byStatus('unknown')).toBeGreaterThan(0);
    expect(await page.locator('.na-legend').innerText()).toMatch(/up[\s\S]*down[\s\S]*unknown/);
    expect(errors).toEqual([]);
    console.log(`demo map (${apiDevices.features.length} devices): devices drawn after ${ms} ms, areas after ${areasMs} ms`);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'map-default.png') });
  });

  it('clicking a device opens its panel with the uptime the API returns for it over the window', async () => {
    const { page, errors } = demo.browser;
    // device index 5 had an outage 2 h to 1 h ago: its 24 h uptime is neither 0 nor 1
    const device = demo.server.inventory.all()[5]!;
    await reveal(page, device.id);
    await page.keyboard.press('Escape');
    const [uptimeRes] = await Promise.all([
      page.waitForResponse((r) => r.url().includes('/api/uptime?')),
      page.locator(`.na-dev[title^="${device.id} ("]`).click(),
    ]);
    // the same request, asked by the test: the window is explicit in the URL
    const rows = await getJson<{ key: string; uptime: number | null }[]>(uptimeRes.url());
    const uptime = rows.find((r) => r.key === device.id)?.uptime;
    expect(uptime).toBeGreaterThan(0.5);
    expect(uptime).toBeLessThan(1);
    const panel = page.locator('#na-panel');
    await expect.poll(() => panel.locator('[data-fact="uptime"]').textContent()).toBe(`${(uptime! * 100).toFixed(2)} %`);
    expect(await panel.locator('.na-panel__title').textContent()).toBe(`Device ${device.id}`);
    expect(await panel.locator('[data-fact="status"]').textContent()).toBe('up');
    expect(await panel.locator('.na-incidents li').count()).toBe(1);
    expect(await panel.locator('svg.na-chart path.na-chart__line').getAttribute('d')).toMatch(/^M[\d.]+,[\d.]+L/);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'map-device-panel.png') });
    expect(errors).toEqual([]);
  });

  it('turns a device red within 5 s of its down status point being written, without a reload', async () => {
    const { page, errors } = demo.browser;
    const device = demo.server.inventory.all()[1]!;
    await reveal(page, device.id);
    const marker = page.locator(`.na-dev[title^="${device.id} ("]`);
    expect(await marker.getAttribute('class')).toContain('na-dev--up');
    await page.evaluate(() => { (window as unknown as { sameDocument: boolean }).sameDocument = true; });
    await page.waitForFunction(() => document.documentElement.dataset['live'] === 'connected');
    const started = Date.now();
    await demo.server.store.write([statusPoint(device, Date.now(), false)]);
    await page.locator(`.na-dev.na-dev--down[title^="${device.id} ("]`).waitFor({ timeout: 10_000 });
    const elapsed = Date.now() - started;
    console.log(`live update: marker red ${elapsed} ms after the point was written`);
    expect(elapsed).toBeLessThan(5000);
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    expect(await page.locator('.na-count[data-status="down"]').textContent()).toBe(String(Number(await getJson<{ features: MapFeature[] }>(`${demo.server.url}/api/map/devices`).then((fc) => fc.features.filter((f) => f.properties.status === 'down').length))));
    expect(errors).toEqual([]);
  });

  it('clicking an area shows its coverage, its DESI indicators and a DESI CSV link that downloads', async () => {
    const { page, errors } = demo.browser;
    await page.goto(demo.server.url + '/');
    await waitAreas(page);
    const area = demo.server.inventory.areas[0]!;
    await page.locator(`path.na-area[data-area="${area.id}"]`).focus();
    await page.keyboard.press('Enter');
    const panel = page.locator('#na-panel');
    await expect.poll(() => panel.locator('.na-panel__title').textContent()).toBe(area.name);
    await panel.locator('table.na-desi tbody tr').first().waitFor({ timeout: 20_000 });
    expect(await panel.locator('table.na-desi').innerText()).toContain('2b3');
    // values rounded like the facts above, and the table fits the panel (no text cut at its edge)
    expect(await panel.locator('table.na-desi tr', { hasText: '2b3' }).first().locator('td').nth(2).textContent()).toMatch(/^\d+\.\d % of households$/);
    expect(await panel.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    expect(await panel.locator('[data-fact="fibre"]').textContent()).toMatch(/^\d+\.\d %$|^no data$/);
    const href = await panel.locator('a.na-download').getAttribute('href');
    const csv = await fetch(new URL(href!, demo.server.url));
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect(await csv.text()).toContain(area.id);
    // and the DESI view of the same period, every area side by side
    const period = new URL(href!, demo.server.url).searchParams.get('period');
    expect(await panel.locator('a.na-desi-view').getAttribute('href')).toBe(`/desi?period=${period}`);
    expect(errors).toEqual([]);
  });

  it('reloads the areas for the window chosen with the keyboard in the time-window selector', async () => {
    const { page, errors } = demo.browser;
    await page.goto(demo.server.url + '/');
    await waitAreas(page);
    await page.getByLabel('Time window').focus();
    const [req] = await Promise.all([
      page.waitForRequest((r) => r.url().includes('/api/coverage/areas.geojson?')),
      page.getByLabel('Time window').selectOption('7d'),
    ]);
    const q = new URL(req.url()).searchParams;
    expect(Date.parse(q.get('to')!) - Date.parse(q.get('from')!)).toBe(7 * 86_400_000);
    await expect.poll(() => page.locator('path.na-area').count()).toBe(19);
    expect(errors).toEqual([]);
  });

  it('toggles every layer in the layer control, and a layer turned off leaves nothing on the map', async () => {
    const { page, errors } = demo.browser;
    await page.goto(demo.server.url + '/');
    await waitAreas(page);
    const control = page.locator('.leaflet-control-layers');
    const toggle = (name: string) => control.getByLabel(name);
    const count = (sel: string) => page.locator(sel).count();
    const markers = async () => (await drawn(page)).onMap;

    await toggle('Devices (fibre and wifi)').uncheck();
    expect(await count('.na-dev, .na-cluster')).toBe(0);
    await toggle('Devices (fibre and wifi)').check();
    await expect.poll(markers).toBe(demo.server.inventory.all().length);

    await toggle('Areas (choropleth)').uncheck();
    expect(await count('path.na-area')).toBe(0);
    await toggle('Areas (choropleth)').check();
    expect(await count('path.na-area')).toBe(19);

    const gaps = await getJson<{ features: unknown[] }>(`${demo.server.url}/api/gaps?limit=2000`);
    expect(gaps.features.length).toBeGreaterThan(0);
    await toggle('Coverage gaps (hexagons)').check();
    await expect.poll(() => count('path.na-gap'), { timeout: 20_000 }).toBe(gaps.features.length);
    await toggle('Coverage gaps (hexagons)').uncheck();
    expect(await count('path.na-gap')).toBe(0);

    const canvases = await count('.leaflet-overlay-pane canvas');
    await toggle('Wifi coverage discs').check();
    await expect.poll(() => count('.leaflet-overlay-pane canvas')).toBe(canvases + 1);
    await toggle('Wifi coverage discs').uncheck();
    expect(await count('.leaflet-overlay-pane canvas')).toBe(canvases);
    expect(errors).toEqual([]);
  });

  it('fits a 360 px wide screen without horizontal scrolling and keeps the status words in the legend', async () => {
    const narrow = await openBrowser({ width: 360, height: 740 });
    try {
      await narrow.page.goto(demo.server.url + '/');
      await waitAreas(narrow.page);
      expect(await narrow.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      expect(await narrow.page.locator('path.na-area').count()).toBe(19);
      await narrow.page.locator('.na-legend summary').click();
      expect(await narrow.page.locator('.na-legend__status').innerText()).toMatch(/up[\s\S]*down[\s\S]*unknown/);
      expect(narrow.errors).toEqual([]);
    } finally {
      await narrow.close();
    }
  });
});

describe('the map with no tile server reachable', () => {
  it('still draws the areas and devices, says the base map is unavailable, and logs nothing but the failed tile loads', async () => {
    const port = await closedPort();
    const server = await startMapServer({ devices: withInterval((await demoDevices()).slice(0, 50), 300), web: { tileUrl: `http://127.0.0.1:${port}/{z}/{x}/{y}.png` } });
    const browser = await openBrowser();
    try {
      await seedPattern(server.store, server.inventory, Date.now());
      await browser.page.goto(server.url + '/');
      await waitInteractive(browser.page);
      await waitAreas(browser.page);
      expect(await browser.page.locator('path.na-area').count()).toBe(19);
      await expect.poll(async () => (await drawn(browser.page)).onMap, { timeout: 5000 }).toBe(50);
      await expect.poll(() => browser.page.locator('#na-status').textContent()).toContain('Base map tiles are unavailable');
      expect(browser.errors.length).toBeGreaterThan(0);
      expect(browser.errors.filter((e) => !/Failed to load resource: net::ERR_CONNECTION_REFUSED/.test(e))).toEqual([]);
    } finally {
      await browser.close();
      await server.close();
    }
  });
});

describe('the map header with alerting on', () => {
  it('shows the number of open alerts the API lists, and their list on click', async () => {
    const server = await startMapServer({ devices: withInterval((await demoDevices()).slice(0, 50), 300), alerts: true });
    const browser = await openBrowser();
    try {
      // devices 0, 10, 20, 30 and 40 have been down for 30 min: past the 2 min device-down threshold
      await seedPattern(server.store, server.inventory, Date.now());
      const fired = await server.ops!.engine.evaluate();
      const api = await getJson<{ open: { id: string; summary: string }[] }>(`${server.url}/api/alerts`);
      expect(fired.filter((e) => e.kind === 'fired')).toHaveLength(api.open.length);
      expect(api.open.length).toBeGreaterThan(0);
      const n = api.open.length;

      await browser.page.goto(server.url + '/');
      await waitInteractive(browser.page);
      const badge = browser.page.locator('.na-header button.na-alerts');
      await expect.poll(() => badge.textContent()).toBe(`${n} open alert${n === 1 ? '' : 's'}`);
      expect(await badge.getAttribute('aria-expanded')).toBe('false');
      await badge.click();
      const list = browser.page.locator('#na-alerts-list');
      await list.waitFor({ state: 'visible' });
      expect(await badge.getAttribute('aria-expanded')).toBe('true');
      expect(await list.locator('li').count()).toBe(n);
      expect(await list.locator('li').allInnerTexts()).toEqual(api.open.map((a) => expect.stringContaining(a.summary)));
      await browser.page.keyboard.press('Escape');
      await list.waitFor({ state: 'hidden' });
      expect(browser.errors).toEqual([]);
    } finally {
      await browser.close();
      await server.close();
    }
  });
});

describe('the map with 10 000 devices', () => {
  // The time to interactive is measured and printed here, not asserted: on a shared 2-core machine
  // a timing assertion fails for reasons that are not the map's (README: performance is measured,
  // `npm run bench map-render` compares it with drawing every marker unclustered).
  it('becomes interactive with markers clustered and every device counted, and prints how long it took', async () => {
    const server = await startChildMapServer(10_000);
    const browser = await openBrowser();
    try {
      const [res] = await Promise.all([
        browser.page.waitForResponse((r) => isMapColumnsUrl(r.url()), { timeout: 30_000 }),
        browser.page.goto(server.url + '/'),
      ]);
      expect(columnDevices(await res.json())).toHaveLength(10_000);
      const ms = await waitInteractive(browser.page, 30_000);
      await expect.poll(async () => (await drawn(browser.page)).onMap, { timeout: 5000 }).toBe(10_000);
      const d = await drawn(browser.page);
      console.log(`10 000 devices: markers drawn and clustered ${ms} ms after navigation, ${d.clusters} clusters on screen`);
      expect(d.total).toBe(10_000);
      expect(d.onMap).toBe(10_000);
      expect(d.clusters).toBeGreaterThan(0);
      expect(browser.errors).toEqual([]);
    } finally {
      await browser.close();
      await server.kill();
    }
  });
});
