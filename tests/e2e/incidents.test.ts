/**
 * The incidents view (/incidents) in real Chromium against the views harness (real app, SQLite
 * seeded with the 460 demo devices' pattern; overview.test.ts works the seed out): the list is the
 * API's answer for the page's own query (read from data-query), filters and sorts change it the
 * way the API does, a row opens its device's timeline as /api/devices/:id/timeline draws it, the
 * CSV link downloads the same rows, and the page works from the keyboard at 360 px with no
 * console error.
 *
 * Seed facts used: 39 devices down now (ongoing incidents since seededAt − 30 min), 40 devices
 * down from seededAt − 2 h to seededAt − 1 h (ended incidents of 60 min); nothing before
 * seededAt − 6 h.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from './map-harness.js';
import { openBrowser, statusPoint } from './map-harness.js';
import { startViewsServer, type ViewsServer } from './views-harness.js';

interface Inc { device: string; start: string; end: string | null; ongoing: boolean; duration_ms: number; impact: { households: number; tech: string } }
interface Span { state: string; start: string; end: string; reason?: string }

const MIN = 60_000;

describe('incidents view in Chromium', () => {
  let server: ViewsServer, browser: Browser;
  const api = async <T>(pathAndQuery: string): Promise<T> => {
    const res = await fetch(`${server.url}${pathAndQuery}`, { signal: AbortSignal.timeout(30_000) });
    expect(res.status, pathAndQuery).toBe(200);
    return (await res.json()) as T;
  };

  /** waits for the list of the current filters; returns the API query it shows */
  async function ready(page: Page): Promise<string> {
    await page.waitForFunction(() => document.documentElement.dataset['ready'] === '1', null, { timeout: 60_000 });
    return (await page.evaluate(() => document.documentElement.dataset['query']))!;
  }
  const rowsShown = (page: Page): Promise<{ device: string; start: string; end: string; households: string }[]> =>
    page.$$eval('tr[data-incident]', (trs) => trs.map((tr) => ({
      device: (tr as HTMLElement).dataset['device']!,
      start: (tr.querySelector('[data-col="start"]') as HTMLElement).dataset['iso']!,
      end: (tr.querySelector('[data-col="end"]') as HTMLElement).dataset['iso']!,
      households: tr.querySelector('[data-col="households"]')!.textContent!,
    })));
  const expected = (rows: Inc[]): { device: string; start: string; end: string; households: string }[] =>
    rows.map((r) => ({ device: r.device, start: r.start, end: r.end ?? '', households: String(r.impact.households) }));

  beforeAll(async () => {
    server = await startViewsServer({ eventsPollMs: 500 });
    browser = await openBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('lists the API\'s incidents of the last 24 h: 39 ongoing and 40 ended, oldest first', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/incidents`);
    const query = await ready(page);
    const rows = await api<Inc[]>(query);
    expect(rows.filter((r) => r.ongoing)).toHaveLength(39);
    expect(rows.filter((r) => !r.ongoing)).toHaveLength(40);
    // the ended ones lasted 60 min, from seededAt − 2 h
    for (const r of rows.filter((x) => !x.ongoing)) expect([r.start, r.duration_ms]).toEqual([new Date(server.seededAt - 120 * MIN).toISOString(), 60 * MIN]);
    expect(await rowsShown(page)).toEqual(expected(rows));
    expect(browser.errors).toEqual([]);
  }, 90_000);

  it('filters by technology and state and sorts by duration as the API does, keeping them in the URL', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/incidents`);
    await ready(page);
    await page.selectOption('select[name="tech"]', 'fibre');
    await ready(page);
    await page.selectOption('select[name="ongoing"]', 'true');
    let query = await ready(page);
    expect(query).toMatch(/tech=fibre/);
    expect(query).toMatch(/ongoing=true/);
    expect(page.url()).toMatch(/\?tech=fibre&ongoing=true$/);
    const devices = await api<{ tech: string; status: string }[]>('/api/devices');
    const fibreDown = devices.filter((d) => d.tech === 'fibre' && d.status === 'down').length;
    let rows = await api<Inc[]>(query);
    expect(rows).toHaveLength(fibreDown);
    expect(rows.every((r) => r.impact.tech === 'fibre' && r.ongoing)).toBe(true);
    expect(await rowsShown(page)).toEqual(expected(rows));

    await page.selectOption('select[name="ongoing"]', '');
    await page.selectOption('select[name="sort"]', 'duration');
    query = await ready(page);
    rows = await api<Inc[]>(query);
    // longest first: the ended 60-min outages before the 30-min ongoing ones
    expect(rows[0]!.duration_ms).toBe(60 * MIN);
    expect(rows.map((r) => r.duration_ms)).toEqual([...rows.map((r) => r.duration_ms)].sort((a, b) => b - a));
    expect(await rowsShown(page)).toEqual(expected(rows));
    await page.selectOption('select[name="order"]', 'asc');
    query = await ready(page);
    expect(query).toMatch(/order=asc/);
    expect(await rowsShown(page)).toEqual(expected(await api<Inc[]>(query)));
    expect(browser.errors).toEqual([]);
  }, 90_000);

  it('opens a device\'s timeline from the keyboard and draws the API\'s spans', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/incidents?ongoing=true&sort=impact`);
    const query = await ready(page);
    const from = new URL(query, server.url).searchParams.get('from')!;
    const button = page.locator('button.na-expand').first();
    await button.focus();
    await page.keyboard.press('Enter');
    await page.locator('.na-timeline').first().waitFor({ timeout: 20_000 });
    expect(await button.getAttribute('aria-expanded')).toBe('true');
    const device = (await button.getAttribute('data-device'))!;
    const drawn = await page.$$eval('.na-timeline rect', (rs) => rs.map((r) => ({ state: r.getAttribute('data-state'), start: r.getAttribute('data-start'), end: r.getAttribute('data-end') })));
    const api_ = await api<{ spans: Span[] }>(`/api/devices/${encodeURIComponent(device)}/timeline?from=${encodeURIComponent(from)}`);
    // a device down now: unknown until the seed's first sample (seededAt − 6 h), up, then down
    // since seededAt − 30 min until now (the last span ends at each answer's own now)
    expect(drawn.map((s) => s.state)).toEqual(['unknown', 'up', 'down']);
    expect(drawn.map((s) => s.start)).toEqual(api_.spans.map((s) => s.start));
    expect(drawn.slice(0, -1).map((s) => s.end)).toEqual(api_.spans.slice(0, -1).map((s) => s.end));
    expect(drawn[1]!.start).toBe(new Date(server.seededAt - 360 * MIN).toISOString());
    expect(drawn[2]!.start).toBe(new Date(server.seededAt - 30 * MIN).toISOString());
    // Enter again closes it
    await page.keyboard.press('Enter');
    expect(await button.getAttribute('aria-expanded')).toBe('false');
    expect(await page.locator('tr.na-detail').first().isHidden()).toBe(true);
    expect(browser.errors).toEqual([]);
  }, 90_000);

  it('downloads the list shown as CSV: the same query with format=csv, the same rows in order', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/incidents?tech=wifi&sort=impact`);
    const query = await ready(page);
    const href = (await page.locator('#in-csv').getAttribute('href'))!;
    expect(href).toBe(`${query}&format=csv`);
    const download = page.waitForEvent('download');
    await page.locator('#in-csv').focus();
    await page.keyboard.press('Enter');
    const file = await (await download).path();
    const csv = (await import('node:fs/promises')).readFile(file, 'utf8');
    const lines = (await csv).trim().split('\r\n');
    expect(lines[0]).toBe('device,tech,area,area_name,start,end,duration_s,ongoing,households,clients,impact_hours,starts_before_window,ends_after_window');
    const shown = await rowsShown(page);
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(shown.map((r) => r.device));
    expect(lines.slice(1).every((l) => l.split(',')[1] === 'wifi')).toBe(true);
    expect(browser.errors).toEqual([]);
  }, 90_000);

  it('announces live status changes without redrawing an open timeline, and redraws on the refresh button', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/incidents?ongoing=true`);
    const before = await api<Inc[]>(await ready(page));
    await page.waitForFunction(() => document.documentElement.dataset['live'] === 'connected', null, { timeout: 20_000 });
    await page.locator('button.na-expand').first().click();
    await page.locator('.na-timeline').first().waitFor({ timeout: 20_000 });
    const devices = await api<{ id: string; tech: 'fibre' | 'wifi'; site: string; area: string; status: string }[]>('/api/devices');
    const d = devices.find((x) => x.status === 'up')!;
    await server.store.write([statusPoint(d, Date.now(), false)]);
    await page.locator('#in-refresh').waitFor({ state: 'visible', timeout: 20_000 });
    expect(await page.locator('#in-refresh').innerText()).toMatch(/^1 status change since this list was drawn/);
    // the open timeline is still there
    expect(await page.locator('button.na-expand').first().getAttribute('aria-expanded')).toBe('true');
    await page.locator('#in-refresh').focus();
    await page.keyboard.press('Enter');
    const after = await api<Inc[]>(await ready(page));
    // one more ongoing incident: the device just written down
    expect(after).toHaveLength(before.length + 1);
    expect(after.some((r) => r.device === d.id && r.ongoing)).toBe(true);
    expect((await rowsShown(page)).map((r) => r.device)).toEqual(after.map((r) => r.device));
    expect(await page.locator('#in-refresh').isHidden()).toBe(true);
    expect(browser.errors).toEqual([]);
  }, 90_000);

  it('fits 360 px without horizontal scrolling, with a timeline open', async () => {
    const { page } = browser;
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(`${server.url}/incidents?ongoing=true`);
    await ready(page);
    await page.locator('button.na-expand').first().click();
    await page.locator('.na-timeline').first().waitFor({ timeout: 20_000 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    expect(browser.errors).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 800 });
  }, 90_000);
});
