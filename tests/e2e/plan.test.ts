/**
 * The planning mode of the map in real Chromium against the real app (createApp, the Brussels
 * demo inventory): drop APs by clicking, see their discs and the what-if gain the server computed,
 * remove one, site the best places in the visible area, export the plan.
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { waitAreas, waitInteractive } from './map-harness.js';
import { demoMapSuite } from './demo-map-suite.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SCREENSHOTS = process.env['NETATLAS_UPDATE_SCREENSHOTS'] === '1' ? path.join(ROOT, 'docs', 'screenshots') : path.join(ROOT, '.tmp', 'screenshots');

interface PlanAnswer { aps: { radiusM: number }[]; region: { newlyCoveredHouseholds: number } }

describe('the planning mode of the map', () => {
  const demo = demoMapSuite();
  beforeAll(async () => { await mkdir(SCREENSHOTS, { recursive: true }); });

  it('drops APs where the map is clicked and shows the gain POST /api/plan answered; a click on a disc removes it', async () => {
    const { page, errors } = demo.browser;
    await page.goto(demo.server.url + '/');
    await waitInteractive(page);
    await waitAreas(page);
    // zoom in three steps around the centre of the region (the zoom control), so discs of ~80 m show
    // one step at a time: Leaflet ignores a zoom request while a zoom animation (250 ms) runs, so
    // clicks in a row could leave the whole region in view (too large to site: 40 km² at most)
    for (let i = 0; i < 3; i++) {
      await page.locator('.leaflet-control-zoom-in').click();
      await page.waitForTimeout(450); // the animation; nothing to poll for
    }
    const control = page.locator('.na-plan');
    // device markers hidden while clicking, so a click lands on the map or a disc, never on a cluster
    await page.getByLabel('Devices (fibre and wifi)').uncheck();
    await page.getByRole('button', { name: 'Planning mode' }).click();
    expect(await page.getByRole('button', { name: 'Planning mode' }).getAttribute('aria-pressed')).toBe('true');

    const map = await page.locator('#map').boundingBox();
    const at = { x: map!.x + map!.width * 0.6, y: map!.y + map!.height * 0.5 };
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/plan') && r.request().method() === 'POST'),
      page.mouse.click(at.x, at.y),
    ]);
    const answer = (await res.json()) as PlanAnswer;
    expect(res.status()).toBe(200);
    // the default model radius (P.1411 street NLoS at 2.4 GHz, 20 dBm EIRP, −75 dBm): 78.6 m
    expect(answer.aps[0]!.radiusM).toBeCloseTo(78.65, 1);
    await expect.poll(() => control.getAttribute('data-plan-gain')).toBe(String(answer.region.newlyCoveredHouseholds));
    expect(answer.region.newlyCoveredHouseholds).toBeGreaterThan(0);
    expect(await control.locator('.na-plan__gain').innerText()).toMatch(/^\+[\d,]+ households \([\d,]+ people\) newly covered by 1 AP/);
    expect(await page.locator('path.na-plan-ap').count()).toBe(1);

    // a second AP 150 px to the right: two discs, and the gain the server gives for both
    const [res2] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/plan')),
      page.mouse.click(at.x + 150, at.y),
    ]);
    const two = (await res2.json()) as PlanAnswer;
    await expect.poll(() => control.getAttribute('data-plan-gain')).toBe(String(two.region.newlyCoveredHouseholds));
    expect(await control.getAttribute('data-plan-aps')).toBe('2');
    expect(await page.locator('path.na-plan-ap').count()).toBe(2);

    // clicking the first disc's centre removes it (and adds no AP there)
    await Promise.all([page.waitForResponse((r) => r.url().endsWith('/api/plan')), page.mouse.click(at.x, at.y)]);
    await expect.poll(() => control.getAttribute('data-plan-aps')).toBe('1');
    expect(await page.locator('path.na-plan-ap').count()).toBe(1);
    expect(errors).toEqual([]);
  });

  it('sites the best places in the visible area and exports the plan as GeoJSON', async () => {
    const { page, errors } = demo.browser;
    const control = page.locator('.na-plan');
    await page.locator('#na-plan-count').fill('3');
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/plan/siting'), { timeout: 60_000 }),
      page.getByRole('button', { name: 'Site' }).click(),
    ]);
    expect(res.status()).toBe(200);
    const siting = (await res.json()) as { picks: { id: string; gainHouseholds: number }[] };
    expect(siting.picks).toHaveLength(3);
    // greedy: each marginal gain is at most the one before
    expect(siting.picks[1]!.gainHouseholds).toBeLessThanOrEqual(siting.picks[0]!.gainHouseholds);
    await expect.poll(() => control.getAttribute('data-plan-picks')).toBe('3');
    expect(await page.locator('path.na-plan-pick').count()).toBe(3);
    expect(await control.locator('.na-plan__picks li').count()).toBe(3);
    // the what-if of the AP still shown is kept while the picks are drawn
    expect(await control.locator('.na-plan__gain').innerText()).toMatch(/newly covered by 1 AP/);
    await page.getByLabel('Devices (fibre and wifi)').check();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'map-planning.png') });

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export plan' }).click()]);
    expect(download.suggestedFilename()).toBe('netatlas-plan.geojson');
    const file = JSON.parse(await readFile((await download.path())!, 'utf8')) as { features: { properties: { kind: string } }[] };
    expect(file.features.map((f) => f.properties.kind)).toEqual(['proposed-ap', 'sited', 'sited', 'sited']);

    // switched off, a click on the map drops nothing
    await page.getByLabel('Devices (fibre and wifi)').uncheck();
    await page.getByRole('button', { name: 'Planning mode' }).click();
    const map = await page.locator('#map').boundingBox();
    await page.mouse.click(map!.x + map!.width * 0.3, map!.y + map!.height * 0.7);
    expect(await control.getAttribute('data-plan-aps')).toBe('1');
    expect(errors).toEqual([]);
  });
});
