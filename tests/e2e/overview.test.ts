/**
 * The operators' overview (/overview) in real Chromium against the views harness (real app,
 * SQLite seeded with the 460 demo devices' pattern, real MQTT collector and broker health): each
 * panel shows what its API answer says (the test asks the API the same URLs the page did), the
 * counts follow a live status change, the page is keyboard reachable, fits 360 px, fetches
 * nothing but its own server (no base map) and logs no console error.
 *
 * Seed (map-seed.ts seedPattern, device i of the inventory; samples every 5 min for 6 h up to
 * `seededAt`): i % 7 == 3 never reported; else i % 10 == 0 down for the last 30 min; else
 * i % 5 == 0 down from 2 h to 1 h ago; the rest up. Over i = 0..459 (public-status.test.ts):
 *   unknown 66, down now 39, up 355.
 *   one-hour outages: i % 5 == 0 and i % 10 != 0 -> 46, minus i % 7 == 3 among them
 *   (i = 5k, k odd, 5k ≡ 3 mod 7 -> k ≡ 9 mod 14: k = 9, 23, 37, 51, 65, 79 -> 6) = 40.
 * Region uptime over 24 h at seededAt: 394 reporting devices × 6 h = 2364 h known; down
 * 39 × 0.5 h + 40 × 1 h = 59.5 h; uptime = (2364 − 59.5) / 2364 = 0.97483; each second after
 * seededAt adds a second of the current state to every reporting device (355 up, 39 down), which
 * moves it by less than 1e-5 per minute.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from './map-harness.js';
import { openBrowser, statusPoint } from './map-harness.js';
import { startViewsServer, type ViewsServer } from './views-harness.js';

interface Row { key: string; name: string; devices: number; up_ms: number; down_ms: number; uptime: number | null }
interface Inc { device: string; impact: { area: string; households: number; clients: number } }

const pct2 = (v: number | null): string => (v === null ? 'no data' : `${(v * 100).toFixed(2)} %`);

describe('overview view in Chromium', () => {
  let server: ViewsServer, browser: Browser;
  const requests: string[] = [];
  const api = async <T>(pathAndQuery: string): Promise<T> => {
    const res = await fetch(`${server.url}${pathAndQuery}`, { signal: AbortSignal.timeout(30_000) });
    expect(res.status, pathAndQuery).toBe(200);
    return (await res.json()) as T;
  };
  const text = (sel: string): Promise<string> => browser.page.locator(sel).first().innerText().then((s) => s.trim());
  const source = (id: string): Promise<string[]> => browser.page.locator(`#${id}`).getAttribute('data-source').then((s) => (s ?? '').split(' '));

  beforeAll(async () => {
    server = await startViewsServer({ eventsPollMs: 500 });
    browser = await openBrowser();
    browser.page.on('request', (r) => requests.push(r.url()));
    await browser.page.goto(`${server.url}/overview`);
    await browser.page.waitForFunction(() => document.documentElement.dataset['ready'] === '1', null, { timeout: 60_000 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows the status counts of /api/devices: 355 up, 39 down, 66 unknown in the region', async () => {
    const devices = await api<{ tech: 'fibre' | 'wifi'; status: 'up' | 'down' | 'unknown' }[]>('/api/devices');
    const count = (tech: string | null, s: string): number => devices.filter((d) => (tech === null || d.tech === tech) && d.status === s).length;
    expect([count(null, 'up'), count(null, 'down'), count(null, 'unknown')]).toEqual([355, 39, 66]);
    for (const [group, tech] of [['region', null], ['fibre', 'fibre'], ['wifi', 'wifi']] as const) {
      for (const s of ['up', 'down', 'unknown'] as const) expect(await text(`[data-count="${group}-${s}"]`), `${group}-${s}`).toBe(String(count(tech, s)));
    }
    expect(await text('[data-count="region-total"]')).toBe('460');
  });

  it('shows the uptime of /api/uptime over 24 h and 30 d, the region as the sum over technologies', async () => {
    const [day, month] = await source('ov-uptime');
    expect(day).toMatch(/groupBy=tech/);
    const d = await api<Row[]>(day!), m = await api<Row[]>(month!);
    const region = (rows: Row[]): number => rows.reduce((n, r) => n + r.up_ms, 0) / rows.reduce((n, r) => n + r.up_ms + r.down_ms, 0);
    // the hand-computed figure (header): 2304.5 / 2364, give or take the seconds since the seed
    expect(region(d)).toBeCloseTo(2304.5 / 2364, 3);
    expect(await text('[data-uptime="region-24h"]')).toBe(pct2(region(d)));
    expect(await text('[data-uptime="region-30d"]')).toBe(pct2(region(m)));
    for (const r of d) expect(await text(`[data-uptime="${r.key}-24h"]`)).toBe(pct2(r.uptime));
    for (const r of m) expect(await text(`[data-uptime="${r.key}-30d"]`)).toBe(pct2(r.uptime));
  });

  it('lists the open incidents of /api/incidents worst first, fibre nodes (households) ahead of APs', async () => {
    const [url] = await source('ov-incidents');
    expect(url).toMatch(/ongoing=true/);
    expect(url).toMatch(/sort=impact/);
    const rows = await api<Inc[]>(url!);
    // 39 devices are down now; the panel shows the first 10
    expect(rows).toHaveLength(10);
    const shown = await browser.page.$$eval('#ov-incidents tr[data-incident]', (trs) => trs.map((tr) => ({
      device: (tr as HTMLElement).dataset['incident'], households: tr.querySelector('[data-households]')!.textContent, clients: tr.querySelector('[data-clients]')!.textContent,
    })));
    expect(shown).toEqual(rows.map((r) => ({ device: r.device, households: String(r.impact.households), clients: String(Math.round(r.impact.clients)) })));
    // every one is down for the same 30 min, so impact ranks by households: the 5 fibre nodes down first
    const hh = rows.map((r) => r.impact.households);
    expect(hh.slice(0, 5).every((h) => h > 0)).toBe(true);
    expect(hh).toEqual([...hh].sort((a, b) => b - a));
  });

  it('ranks the five worst areas of /api/uptime?groupBy=area with their devices down now', async () => {
    const [url] = await source('ov-worst');
    const areas = await api<Row[]>(url!);
    const devices = await api<{ area: string; status: string }[]>('/api/devices');
    const worst = areas.filter((a) => a.uptime !== null).sort((a, b) => a.uptime! - b.uptime! || b.down_ms - a.down_ms || a.key.localeCompare(b.key)).slice(0, 5);
    const shown = await browser.page.$$eval('#ov-worst tr[data-area]', (trs) => trs.map((tr) => ({
      area: (tr as HTMLElement).dataset['area'], uptime: tr.querySelector('[data-uptime]')!.textContent, down: tr.querySelector('[data-down-now]')!.textContent,
    })));
    expect(shown).toEqual(worst.map((a) => ({ area: a.key, uptime: pct2(a.uptime), down: `${devices.filter((d) => d.area === a.key && d.status === 'down').length} of ${a.devices}` })));
  });

  it('shows every /api/health component, the MQTT collector connected and the broker read', async () => {
    const health = await api<Record<string, unknown>>('/api/health');
    const parts = Object.entries(health).filter(([, v]) => typeof v === 'object' && v !== null && 'ok' in v) as [string, { ok: boolean }][];
    expect(parts.map(([n]) => n).sort()).toEqual(['broker', 'collectors', 'store']);
    const shown = await browser.page.$$eval('#ov-health li[data-component]', (lis) => lis.map((li) => [(li as HTMLElement).dataset['component'], (li as HTMLElement).dataset['ok']]));
    expect(shown).toEqual([['collectors', 'true'], ['broker', 'true'], ['store', 'true']]);
    expect(shown).toEqual(parts.sort(([a], [b]) => ['collectors', 'broker', 'store'].indexOf(a) - ['collectors', 'broker', 'store'].indexOf(b)).map(([n, c]) => [n, String(c.ok)]));
    expect(await text('#ov-health li[data-component="collectors"]')).toContain('mqtt: connected');
    expect(browser.errors).toEqual([]);
  });

  it('follows a live status change: a device that goes down moves from up to down', async () => {
    await browser.page.waitForFunction(() => document.documentElement.dataset['live'] === 'connected', null, { timeout: 20_000 });
    const devices = await api<{ id: string; tech: 'fibre' | 'wifi'; site: string; area: string; status: string }[]>('/api/devices');
    const d = devices.find((x) => x.status === 'up' && x.tech === 'wifi')!;
    await server.store.write([statusPoint(d, Date.now(), false)]);
    // 355 − 1 up, 39 + 1 down
    await browser.page.waitForFunction(() => document.querySelector('[data-count="region-down"]')?.textContent === '40', null, { timeout: 20_000 });
    expect(await text('[data-count="region-up"]')).toBe('354');
    expect(await text('[data-count="wifi-down"]')).toBe(String(devices.filter((x) => x.tech === 'wifi' && x.status === 'down').length + 1));
    expect(browser.errors).toEqual([]);
  }, 60_000);

  it('is reachable by keyboard: Tab goes through the views\' links, Enter opens Incidents', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/overview`);
    await page.waitForFunction(() => document.documentElement.dataset['ready'] === '1', null, { timeout: 60_000 });
    const focused: string[] = [];
    for (let k = 0; k < 8; k++) {
      await page.keyboard.press('Tab');
      focused.push(await page.evaluate(() => document.activeElement?.textContent?.trim() ?? ''));
    }
    expect(focused.slice(0, 7)).toEqual(['Skip to the overview', 'Map', 'Overview', 'Incidents', 'Gaps', 'DESI', 'Status']);
    // then into the panels: the first open incident's device
    const first = await page.locator('#ov-incidents tr[data-incident] a').first().innerText();
    expect(focused[7]).toBe(first);
    await page.locator('nav a[data-view="incidents"]').focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/incidents$/);
    expect(await page.locator('nav a[aria-current="page"]').innerText()).toBe('Incidents');
    expect(browser.errors).toEqual([]);
  }, 60_000);

  it('fits 360 px without horizontal scrolling and asks nothing of any other server', async () => {
    const { page } = browser;
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(`${server.url}/overview`);
    await page.waitForFunction(() => document.documentElement.dataset['ready'] === '1', null, { timeout: 60_000 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    expect(requests.filter((u) => !u.startsWith(server.url) && !u.startsWith('data:'))).toEqual([]);
    expect(browser.errors).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 800 });
  }, 60_000);
});
