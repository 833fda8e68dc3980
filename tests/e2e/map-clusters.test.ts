/**
 * Clusters that show proportions (#15 item 1), in real Chromium on the 460 demo devices seeded by
 * seedPattern (355 up, 39 down, 66 unknown: see public-status.test.ts for the arithmetic): every
 * cluster's ring says its up / down / unknown counts, and its title (hover) the households behind
 * its down fibre nodes. Summed over the clusters and the single markers they equal the devices the
 * page read (/api/map/devices/columns, whose statuses equal /api/map/devices: api-body-schemas.test.ts).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { columnDevices, isMapColumnsUrl, waitInteractive } from './map-harness.js';
import { demoMapSuite } from './demo-map-suite.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SCREENSHOTS = process.env['NETATLAS_UPDATE_SCREENSHOTS'] === '1' ? path.join(ROOT, 'docs', 'screenshots') : path.join(ROOT, '.tmp', 'screenshots');

interface Feature { properties: { id: string; status: 'up' | 'down' | 'unknown'; tech: string; householdsPassed?: number } }

describe('map clusters with proportions', () => {
  const demo = demoMapSuite();

  it('draws each cluster\'s shares and down households, adding up to the API', async () => {
    const { page, errors } = demo.browser;
    const [res] = await Promise.all([page.waitForResponse((r) => isMapColumnsUrl(r.url())), page.goto(demo.server.url + '/')]);
    const api: { features: Feature[] } = { features: columnDevices(await res.json()).map((properties) => ({ properties })) };
    await waitInteractive(page);
    const read = (): Promise<{ rings: { n: number; up: number; down: number; unknown: number; hh: number; title: string; bg: string }[]; singles: string[] }> => page.evaluate(() => ({
      rings: Array.from(document.querySelectorAll<HTMLElement>('.na-cluster__ring')).map((r) => ({
        n: Number(r.querySelector<HTMLElement>('.na-cluster__count')!.dataset['count']),
        up: Number(r.dataset['up']), down: Number(r.dataset['down']), unknown: Number(r.dataset['unknown']), hh: Number(r.dataset['downHouseholds']),
        title: r.title, bg: getComputedStyle(r).backgroundImage,
      })),
      singles: Array.from(document.querySelectorAll<HTMLElement>('.na-dev')).map((m) => (m.getAttribute('title') ?? '').split(' (')[0]!),
    }));
    // the clusters are drawn again after the fit (on moveend): wait until every device is in a cluster or drawn alone
    await expect.poll(async () => { const d = await read(); return d.rings.reduce((n, r) => n + r.n, 0) + d.singles.length; }, { timeout: 10_000 }).toBe(460);
    const { rings, singles } = await read();
    expect(rings.length).toBeGreaterThan(0);
    const byId = new Map(api.features.map((f) => [f.properties.id, f.properties]));
    const downHh = (ids: Iterable<Feature['properties'] | undefined>): number => [...ids].reduce((n, p) => n + (p?.status === 'down' && p.tech === 'fibre' ? p.householdsPassed ?? 0 : 0), 0);
    const single = singles.map((id) => byId.get(id));
    const total = (k: 'up' | 'down' | 'unknown'): number => rings.reduce((n, r) => n + r[k], 0) + single.filter((p) => p?.status === k).length;
    expect([total('up'), total('down'), total('unknown')]).toEqual([355, 39, 66]);
    expect(rings.reduce((n, r) => n + r.hh, 0) + downHh(single)).toBe(downHh(api.features.map((f) => f.properties)));
    for (const r of rings) {
      expect(r.up + r.down + r.unknown).toBe(r.n);
      expect(r.title).toBe(`${r.n} devices: ${r.up} up, ${r.down} down, ${r.unknown} unknown; ${r.hh} households behind down fibre nodes`);
      expect(r.bg).toContain('conic-gradient');
    }
    // the hover text shows on the ring the pointer is on
    const withDown = page.locator('.na-cluster__ring:not([data-down="0"])').first();
    await withDown.hover();
    expect(await withDown.getAttribute('title')).toMatch(/ down, .* households behind down fibre nodes$/);
    expect(errors).toEqual([]);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'map-clusters.png') });
  });
});
