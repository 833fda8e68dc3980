/**
 * The planner's gaps list (/#gaps) in real Chromium against the real app (createApp, the 19
 * Brussels demo areas, no base map): the list equals GET /api/gaps, its area filter and sort,
 * Enter zooms the map to a cell, the exports are the selection, keyboard use, 360 px, no console
 * error.
 *
 * Inventory: one fibre node in Koekelberg (21011) passing 5000 households (FTTH), nothing else, so
 * no wifi share anywhere and fibre share 0 outside Koekelberg. Households are population / 2.1,
 * rounded per area, spread over the area's cells, so the cells of an area sum to its households:
 *   Koekelberg: round(21959 / 2.1) = 10457 households, uncovered 10457 × (1 − 5000/10457) = 5457
 *   region: Σ round(population / 2.1) = 580122 households, uncovered 580122 − 5000 = 575122
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceInput } from '../../server/inventory/devices-schema.js';
import type { Browser, MapServer } from './map-harness.js';
import { openBrowser, startMapServer, waitInteractive } from './map-harness.js';

const DEVICES: DeviceInput[] = [
  { id: 'fn-k', tech: 'fibre', site: 'Koekelberg POP', location: { lat: 50.868281, lon: 4.322806 }, snmp: { host: '127.0.0.1', port: 161, version: '2c', community: 'public' }, householdsPassed: 5000, accessTech: 'ftth', intervalS: 3600 },
];
// the map page's limit (web/src/main.ts GAPS_LIMIT): every one of the demo region's cells
const LIMIT = 2000;

interface Cell { cell: string; area: string; areaName: string; households: number; uncoveredHouseholds: number }
interface Row { cell: string; rank: string; area: string; households: string; uncovered: string }

const whole = (n: number): string => Math.round(n).toLocaleString('en-US');

describe('the gaps list beside the map', () => {
  let server: MapServer;
  let browser: Browser;
  let cells: Cell[];

  beforeAll(async () => {
    server = await startMapServer({ devices: DEVICES });
    const res = await fetch(`${server.url}/api/gaps?limit=${LIMIT}`);
    expect(res.status).toBe(200);
    cells = ((await res.json()) as { features: { properties: Cell }[] }).features.map((f) => f.properties);
    browser = await openBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const sum = (cs: readonly Cell[], k: 'households' | 'uncoveredHouseholds'): number => cs.reduce((s, c) => s + c[k], 0);
  const rows = (b: Browser): Promise<Row[]> => b.page.$$eval('.na-gaps__table tbody tr', (trs) => trs.map((tr) => {
    const td = (tr as HTMLTableRowElement).cells;
    return { cell: (tr as HTMLElement).dataset['cell']!, rank: td[0]!.textContent!, area: td[1]!.textContent!, households: td[2]!.textContent!, uncovered: td[3]!.textContent! };
  }));
  const expected = (cs: readonly Cell[]): Row[] => cs.map((c) => ({
    cell: c.cell, rank: String(cells.indexOf(c) + 1), area: c.areaName, households: whole(c.households), uncovered: whole(c.uncoveredHouseholds),
  }));
  const open = async (b: Browser): Promise<void> => {
    await b.page.goto(`${server.url}/#gaps`);
    await waitInteractive(b.page);
    await b.page.waitForFunction(() => document.documentElement.dataset['gaps'] !== undefined, null, { timeout: 30_000 });
  };

  it('the API gives the hand-computed totals', () => {
    expect(server.inventory.byId('fn-k')?.area).toBe('21011');
    expect(cells.length).toBeLessThan(LIMIT);
    expect(sum(cells, 'households')).toBeCloseTo(580122, 3);
    expect(sum(cells, 'uncoveredHouseholds')).toBeCloseTo(575122, 3);
    expect(sum(cells.filter((c) => c.area === '21011'), 'uncoveredHouseholds')).toBeCloseTo(5457, 3);
  });

  it('lists the API\'s cells worst first, 100 at a time, with the region\'s totals', async () => {
    const { page, errors } = browser;
    await open(browser);
    expect(await page.isVisible('#na-gaps')).toBe(true);
    expect(await page.getAttribute('.na-nav a[data-view="gaps"]', 'aria-current')).toBe('page');
    expect(await rows(browser)).toEqual(expected(cells.slice(0, 100)));
    expect(await page.textContent('.na-gaps__summary')).toBe(`${cells.length} cells, 575,122 of 580,122 households uncovered`);
    await page.click('.na-gaps__more');
    expect(await rows(browser)).toEqual(expected(cells.slice(0, 200)));
    // the hexagon layer is on and drawn from the same answer
    expect(await page.locator('path.na-gap').count()).toBe(cells.length);
    expect(errors).toEqual([]);
  });

  it('filters by area (Koekelberg: 5457 uncovered) and sorts by a column', async () => {
    const { page, errors } = browser;
    await page.selectOption('#na-gaps-area', '21011');
    const koekelberg = cells.filter((c) => c.area === '21011');
    expect(await page.getAttribute('.na-gaps__summary', 'data-cells')).toBe(String(koekelberg.length));
    expect(await page.textContent('.na-gaps__summary')).toBe(`${koekelberg.length} cells, 5,457 of 10,457 households uncovered`);
    expect(await rows(browser)).toEqual(expected(koekelberg.slice(0, 100)));
    // households, largest first (ties: the region's rank), then smallest first
    await page.click('th[data-key="households"] button');
    expect(await page.getAttribute('th[data-key="households"]', 'aria-sort')).toBe('descending');
    const byHouseholds = [...koekelberg].sort((a, b) => b.households - a.households || cells.indexOf(a) - cells.indexOf(b));
    expect(await rows(browser)).toEqual(expected(byHouseholds.slice(0, 100)));
    await page.click('th[data-key="households"] button');
    expect(await page.getAttribute('th[data-key="households"]', 'aria-sort')).toBe('ascending');
    expect((await rows(browser))[0]!.cell).toBe([...koekelberg].sort((a, b) => a.households - b.households || cells.indexOf(a) - cells.indexOf(b))[0]!.cell);
    expect(errors).toEqual([]);
  });

  it('exports the selection: GeoJSON equal to the API\'s, CSV downloaded with Enter', async () => {
    const { page, errors } = browser;
    const href = await page.getAttribute('.na-gaps__export a:first-of-type', 'href');
    const geo = (await (await fetch(server.url + href!)).json()) as { features: { properties: Cell }[] };
    expect(geo.features.map((f) => f.properties.cell)).toEqual(cells.filter((c) => c.area === '21011').map((c) => c.cell));
    await page.focus('.na-gaps__export a:last-of-type');
    const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    expect(download.suggestedFilename()).toBe('gaps-21011.csv');
    const lines = (await readFile((await download.path())!, 'utf8')).trimEnd().split('\r\n');
    expect(lines[0]).toBe('h3,area,households,fibre_share,wifi_share,uncovered_households');
    expect(lines).toHaveLength(1 + geo.features.length);
    expect(lines.slice(1).reduce((s, l) => s + Number(l.split(',')[5]), 0)).toBeCloseTo(5457, 2);
    expect(errors).toEqual([]);
  });

  it('is keyboard reachable: Tab into the rows, arrows move, Enter zooms the map to the cell', async () => {
    const { page, errors } = browser;
    await page.goto(`${server.url}/`);
    await waitInteractive(page);
    expect(await page.isHidden('#na-gaps')).toBe(true);
    // the header's Gaps link opens the list and puts focus on its heading
    await page.focus('.na-nav a[data-view="gaps"]');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.id === 'na-gaps-title');
    await page.waitForFunction(() => document.documentElement.dataset['gaps'] !== undefined, null, { timeout: 30_000 });
    let presses = 0;
    while (presses < 20 && !(await page.evaluate(() => document.activeElement?.tagName === 'TR'))) {
      await page.keyboard.press('Tab');
      presses++;
    }
    expect(await page.evaluate(() => (document.activeElement as HTMLElement).dataset['cell'])).toBe(cells[0]!.cell);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.documentElement.dataset['gapCell'])).toBe(cells[1]!.cell);
    expect(await page.getAttribute(`tr[data-cell="${cells[1]!.cell}"]`, 'aria-current')).toBe('true');
    // the map is centred on the cell, its outline whole in view
    const map = (await page.locator('#map').boundingBox())!;
    const cell = (await page.locator('path.na-gap-current').boundingBox())!;
    expect(Math.abs(cell.x + cell.width / 2 - (map.x + map.width / 2))).toBeLessThan(12);
    expect(Math.abs(cell.y + cell.height / 2 - (map.y + map.height / 2))).toBeLessThan(12);
    expect(cell.width).toBeGreaterThan(40);
    // Escape closes the list, drops the hash and gives focus back to the Gaps link
    await page.keyboard.press('Escape');
    expect(await page.isHidden('#na-gaps')).toBe(true);
    expect(new URL(page.url()).hash).toBe('');
    expect(await page.evaluate(() => (document.activeElement as HTMLElement).dataset['view'])).toBe('gaps');
    expect(await page.getAttribute('.na-nav a[data-view="map"]', 'aria-current')).toBe('page');
    expect(errors).toEqual([]);
  });

  it('reads at 360 px: the list under the map, no horizontal scroll', async () => {
    const narrow = await openBrowser({ width: 360, height: 740 });
    try {
      await open(narrow);
      const map = (await narrow.page.locator('#map').boundingBox())!;
      const list = (await narrow.page.locator('#na-gaps').boundingBox())!;
      expect(list.y).toBeGreaterThanOrEqual(map.y + map.height - 1);
      expect(list.width).toBeLessThanOrEqual(360);
      expect(await narrow.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      expect(await narrow.page.evaluate(() => document.querySelector('#na-gaps')!.scrollWidth <= document.querySelector('#na-gaps')!.clientWidth)).toBe(true);
      expect(narrow.errors).toEqual([]);
    } finally {
      await narrow.close();
    }
  });
});
