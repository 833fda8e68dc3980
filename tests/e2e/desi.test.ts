/**
 * The DESI report view (/desi) in real Chromium against the real app (createApp, SQLite store
 * seeded through write(), the 19 Brussels demo areas): every table cell and chart bar equals
 * GET /api/reports/desi, the downloads are the API's JSON and CSV, keyboard use, 360 px, no console
 * error.
 *
 * Inventory: two fibre nodes in Koekelberg (21011), hourly samples over the previous calendar month
 * P (H hours): fn-a 1000 households FTTH, up all along; fn-b 500 households FTTB, down at hours
 * 240..251 and up otherwise (down from 240 h until the up sample at 252 h: 12 h).
 *   Koekelberg households: round(21959 / 2.1) = 10457; region: Σ round(population / 2.1) = 580122
 *   2b3 FTTP (FTTH + FTTB) Koekelberg = 100 × 1500 / 10457 = 14.3445 %; region 100 × 1500 / 580122 = 0.2586 %
 *   R-availability (Koekelberg and region) = 100 × (2H − 12) / 2H; other areas: no devices -> not available
 *   R-wifi-population: no AP in the inventory -> not available
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceInput } from '../../server/inventory/devices-schema.js';
import type { Browser, MapServer } from './map-harness.js';
import { openBrowser, startMapServer, statusPoint } from './map-harness.js';

const HOUR = 3_600_000;
const snmp = { host: '127.0.0.1', port: 161, version: '2c', community: 'public' } as const;
const DEVICES: DeviceInput[] = [
  { id: 'fn-a', tech: 'fibre', site: 'Koekelberg POP', location: { lat: 50.868281, lon: 4.322806 }, snmp, householdsPassed: 1000, accessTech: 'ftth', intervalS: 3600 },
  { id: 'fn-b', tech: 'fibre', site: 'Koekelberg POP', location: { lat: 50.8681, lon: 4.3230 }, snmp, householdsPassed: 500, accessTech: 'fttb', intervalS: 3600 },
];

/** the calendar month before the one containing `now` (UTC) */
function previousMonth(now: number): { label: string; from: number; to: number } {
  const d = new Date(now);
  const from = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1);
  const to = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const f = new Date(from);
  return { label: `${f.getUTCFullYear()}-${String(f.getUTCMonth() + 1).padStart(2, '0')}`, from, to };
}

interface Indicator { code: string; value: number | null; available: boolean; reason?: string; completeness: number | null; unit: string }
interface Report { period: string; scopes: { scope: 'region' | 'area'; id: string; name: string; indicators: Indicator[] }[] }

const valueText = (i: Indicator): string => (!i.available || i.value === null ? 'not available' : `${i.value.toFixed(1)} %`);

describe('the DESI report view in Chromium', () => {
  const P = previousMonth(Date.now());
  const H = (P.to - P.from) / HOUR;
  let server: MapServer;
  let browser: Browser;
  let report: Report;

  beforeAll(async () => {
    server = await startMapServer({ devices: DEVICES });
    const points: ReturnType<typeof statusPoint>[] = [];
    for (let h = 0; h < H; h++) {
      const t = P.from + h * HOUR;
      points.push(statusPoint({ ...DEVICES[0]!, area: '21011' }, t, true));
      points.push(statusPoint({ ...DEVICES[1]!, area: '21011' }, t, !(h >= 240 && h < 252)));
    }
    await server.store.write(points);
    const res = await fetch(`${server.url}/api/reports/desi?period=${P.label}`);
    expect(res.status).toBe(200);
    report = (await res.json()) as Report;
    browser = await openBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const ind = (id: string, code: string): Indicator => report.scopes.find((s) => s.id === id)!.indicators.find((i) => i.code === code)!;

  it('the API gives the hand-computed figures', () => {
    expect(server.inventory.all().map((d) => d.area)).toEqual(['21011', '21011']);
    expect(ind('21011', '2b3').value).toBeCloseTo((100 * 1500) / 10457, 9);
    expect(ind('', '2b3').value).toBeCloseTo((100 * 1500) / 580122, 9);
    expect(ind('21011', 'R-availability').value).toBeCloseTo((100 * (2 * H - 12)) / (2 * H), 9);
    expect(ind('', 'R-availability').value).toBeCloseTo((100 * (2 * H - 12)) / (2 * H), 9);
    expect(ind('21001', 'R-availability')).toMatchObject({ available: false, reason: 'no monitored devices in this scope' });
    expect(ind('', 'R-wifi-population')).toMatchObject({ available: false, reason: 'the inventory has no wifi access points' });
  });

  it('shows every scope\'s table equal to the API, and a chart per indicator', async () => {
    const { page, errors } = browser;
    await page.goto(`${server.url}/desi?period=${P.label}`);
    await page.waitForFunction((p) => document.documentElement.dataset['report'] === p, P.label, { timeout: 30_000 });
    const shown = await page.$$eval('.desi-scope', (boxes) => boxes.map((b) => ({
      id: (b as HTMLElement).dataset['id'],
      rows: Array.from(b.querySelectorAll('tbody tr')).map((tr) => ({
        code: (tr as HTMLElement).dataset['code'],
        value: (tr.querySelector('.desi-value') as HTMLElement).dataset['value'],
        text: tr.querySelector('.desi-value')!.firstChild!.textContent,
        reason: tr.querySelector('.desi-reason')?.textContent ?? null,
        completeness: tr.querySelector('.desi-completeness')!.textContent,
      })),
    })));
    // the region and the 19 municipalities, in the report's order, every indicator
    expect(shown.map((s) => s.id)).toEqual(report.scopes.map((s) => s.id));
    expect(shown).toHaveLength(20);
    report.scopes.forEach((scope, k) => {
      expect(shown[k]!.rows).toEqual(scope.indicators.map((i) => ({
        code: i.code, value: i.value === null ? '' : String(i.value), text: valueText(i),
        reason: i.available ? null : i.reason ?? null,
        completeness: i.completeness === null ? '—' : `${(i.completeness * 100).toFixed(1)} %`,
      })));
    });
    // hand-computed cells: Koekelberg 14.3 % FTTP with both nodes complete, region 0.3 %
    const koekelberg = shown.find((s) => s.id === '21011')!.rows.find((r) => r.code === '2b3')!;
    expect([koekelberg.text, koekelberg.completeness]).toEqual(['14.3 %', '100.0 %']);
    expect(shown[0]!.rows.find((r) => r.code === '2b3')!.text).toBe('0.3 %');

    // one chart per indicator code; 2b3: the region first, then Koekelberg (the only area above 0)
    const codes = report.scopes[0]!.indicators.map((i) => i.code);
    expect(await page.$$eval('.desi-chart', (fs) => fs.map((f) => (f as HTMLElement).dataset['code']))).toEqual(codes);
    const bars = await page.$$eval('.desi-chart[data-code="2b3"] .desi-bar', (lis) => lis.map((li) => ({
      id: (li as HTMLElement).dataset['id'], value: (li.querySelector('.desi-bar__value') as HTMLElement).dataset['value'],
    })));
    expect(bars).toHaveLength(20);
    expect(bars.slice(0, 2).map((b) => b.id)).toEqual(['', '21011']);
    for (const b of bars) expect(b.value).toBe(String(ind(b.id!, '2b3').value));
    expect(await page.locator('.desi-chart[data-code="2d"] .desi-chart__na').textContent()).toContain(ind('', '2d').reason!);
    expect(errors).toEqual([]);
  });

  it('downloads the API\'s JSON and CSV (the CSV link followed with Enter)', async () => {
    const { page, errors } = browser;
    const jsonHref = await page.getAttribute('#desi-json', 'href');
    const json = (await (await fetch(server.url + jsonHref!)).json()) as Report;
    expect(json.scopes).toEqual(report.scopes);
    await page.focus('#desi-csv');
    const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    expect(download.suggestedFilename()).toBe(`desi-${P.label}.csv`);
    const csv = await readFile((await download.path())!, 'utf8');
    const api = await (await fetch(`${server.url}/api/reports/desi?period=${P.label}&format=csv`)).text();
    expect(csv).toBe(api);
    // a row per scope × indicator, after the header: 20 × the region's indicator count
    expect(csv.trimEnd().split('\r\n')).toHaveLength(1 + 20 * report.scopes[0]!.indicators.length);
    expect(errors).toEqual([]);
  });

  it('is keyboard reachable: Tab to the period, arrow to another period, Enter opens a municipality', async () => {
    const { page, errors } = browser;
    await page.goto(`${server.url}/desi?period=${P.label}`);
    await page.waitForFunction((p) => document.documentElement.dataset['report'] === p, P.label);
    let presses = 0;
    while (presses < 20 && (await page.evaluate(() => document.activeElement?.id)) !== 'desi-period') {
      await page.keyboard.press('Tab');
      presses++;
    }
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('desi-period');
    const before = await page.inputValue('#desi-period');
    await page.keyboard.press('ArrowDown');
    const after = await page.inputValue('#desi-period');
    expect(after).not.toBe(before);
    await page.waitForFunction((p) => document.documentElement.dataset['report'] === p, after, { timeout: 30_000 });
    expect(new URL(page.url()).searchParams.get('period')).toBe(after);
    // Tab on to the first municipality's summary; Enter opens its table
    presses = 0;
    while (presses < 20 && !(await page.evaluate(() => document.activeElement?.tagName === 'SUMMARY'))) {
      await page.keyboard.press('Tab');
      presses++;
    }
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(report.scopes[1]!.name);
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => (document.activeElement?.parentElement as HTMLDetailsElement).open)).toBe(true);
    expect(errors).toEqual([]);
  });

  it('reads at 360 px wide with no horizontal scroll, and says so when the period is not one', async () => {
    const narrow = await openBrowser({ width: 360, height: 740 });
    try {
      await narrow.page.goto(`${server.url}/desi?period=${P.label}`);
      await narrow.page.waitForFunction((p) => document.documentElement.dataset['report'] === p, P.label);
      await narrow.page.evaluate(() => { document.querySelectorAll('details').forEach((d) => { d.open = true; }); });
      expect(await narrow.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      await narrow.page.goto(`${server.url}/desi?period=2026-Q5`);
      await narrow.page.waitForFunction(() => document.documentElement.dataset['report'] !== undefined);
      expect(await narrow.page.textContent('#na-status')).toContain('"2026-Q5" is not a period');
      expect(narrow.errors).toEqual([]);
    } finally {
      await narrow.close();
    }
  });
});
