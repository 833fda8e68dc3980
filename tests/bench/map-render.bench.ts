/**
 * Time for the map page to draw 10 000 devices, clustered (the default) against every marker
 * drawn (`?cluster=0`), in headless Chromium against the real server (in its own process, SQLite,
 * one status sample per device). "Drawn" = the page's `data-interactive-ms`: ms from navigation to
 * two frames after the markers (or clusters) were added. Runs alternate between the two modes;
 * medians and their ratio are reported. The areas request is aborted so that the server's
 * coverage computation (seconds for thousands of wifi discs) does not delay the next run's devices.
 */
import { median, type Benchmark, type BenchContext } from './bench-types.js';
import { openBrowser, waitInteractive } from '../e2e/map-harness.js';
import { startChildMapServer } from '../e2e/map-server-child.js';

const DEVICES = Number(process.env['NETATLAS_BENCH_MAP_DEVICES'] ?? 10_000);
const RUNS = Number(process.env['NETATLAS_BENCH_MAP_RUNS'] ?? 5);

/** One page load: ms to interactive, elements drawn, and (Resource Timing) when the devices
 *  request was sent, its first byte came and its last byte came, in ms since navigation, and its
 *  body's bytes as sent (gzipped) and decoded; and the page's performance marks (ms since navigation, without the netatlas: prefix). */
export async function drawOnce(url: string, clustered: boolean): Promise<{ ms: number; markersInDom: number; devicesRequest: { sentMs: number; firstByteMs: number; doneMs: number; encodedBytes: number; decodedBytes: number } | null; marks: Record<string, number> }> {
  const browser = await openBrowser();
  try {
    await browser.page.route('**/api/coverage/**', (route) => route.abort());
    await browser.page.goto(`${url}/${clustered ? '' : '?cluster=0'}`);
    const ms = await waitInteractive(browser.page, 120_000);
    const markersInDom = await browser.page.locator('.na-dev, .na-cluster').count();
    const { devicesRequest, marks } = await browser.page.evaluate(() => {
      const marks = Object.fromEntries(performance.getEntriesByType('mark').map((m) => [m.name.replace(/^netatlas:/, ''), Math.round(m.startTime)]));
      // the page's own request (unclustered; the GeoJSON form before 2026-12-01), or the cluster
      // worker's, whose Resource Timing the page marks (web/src/layers/device-source.ts)
      const e = performance.getEntriesByType('resource').find((r) => /\/api\/map\/devices(\/columns)?$/.test(r.name)) as PerformanceResourceTiming | undefined;
      const [encoded, decoded] = (document.documentElement.dataset['devicesBytes'] ?? '0 0').split(' ').map(Number);
      const devicesRequest = e
        ? { sentMs: Math.round(e.requestStart), firstByteMs: Math.round(e.responseStart), doneMs: Math.round(e.responseEnd), encodedBytes: e.encodedBodySize, decodedBytes: e.decodedBodySize }
        : marks['devices-request'] !== undefined && marks['devices-first-byte'] !== undefined && marks['devices-last-byte'] !== undefined
          ? { sentMs: marks['devices-request'], firstByteMs: marks['devices-first-byte'], doneMs: marks['devices-last-byte'], encodedBytes: encoded!, decodedBytes: decoded! }
          : null;
      return { devicesRequest, marks };
    });
    return { ms, markersInDom, devicesRequest, marks };
  } finally {
    await browser.close();
  }
}

export async function run(ctx: Pick<BenchContext, 'log' | 'budgetMs'> = { log: () => undefined, budgetMs: 180_000 }): Promise<Record<string, unknown>> {
  const server = await startChildMapServer(DEVICES);
  const clustered: number[] = [];
  const unclustered: number[] = [];
  let domClustered = 0;
  let domUnclustered = 0;
  const started = Date.now();
  try {
    for (let i = 0; i < RUNS && Date.now() - started < ctx.budgetMs; i++) {
      // alternate which mode goes first, so neither profits from a warmer server
      for (const mode of i % 2 === 0 ? [true, false] : [false, true]) {
        const r = await drawOnce(server.url, mode);
        (mode ? clustered : unclustered).push(r.ms);
        if (mode) domClustered = r.markersInDom; else domUnclustered = r.markersInDom;
        ctx.log(`run ${i + 1} ${mode ? 'clustered' : 'unclustered'}: ${r.ms} ms, ${r.markersInDom} marker elements`);
      }
    }
  } finally {
    await server.kill();
  }
  const c = median(clustered);
  const u = median(unclustered);
  return {
    devices: DEVICES,
    runs: clustered.length,
    clustered_ms_median: c,
    unclustered_ms_median: u,
    unclustered_over_clustered: Math.round((u / c) * 100) / 100,
    clustered_ms: clustered,
    unclustered_ms: unclustered,
    marker_elements_clustered: domClustered,
    marker_elements_unclustered: domUnclustered,
  };
}

const bench: Benchmark = {
  name: 'map-render',
  description: `map page: ${DEVICES} devices drawn with clustering vs every marker drawn (headless Chromium, ms from navigation)`,
  run,
};
export default bench;
