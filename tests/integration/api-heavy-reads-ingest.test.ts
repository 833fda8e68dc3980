/**
 * Issue 14 item 2: hostile or expensive readers do not stall collection. The running service
 * (startService: collection in its worker thread, heavy reads in their worker pool, the embedded
 * SQLite store, the real Mosquitto) with 500 wifi APs in its inventory. For 10 s a test publisher
 * sends QoS 1 telemetry at about 5 000 messages a second (50 000 in all, each with its own
 * timestamp) while 20 clients ask `/api/uptime` over 1825 days in a loop, not waiting for
 * Retry-After, and /api/health is sampled every 100 ms (and the OpenAPI document, which only the
 * API thread serves). The clients run in worker threads of their own, so the service's API thread
 * (this test's main thread) does no client work. Asserted, the issue's three: no PUBACK of a probe
 * publisher (one message every 100 ms, in a worker thread of its own) took 1 s; every /api/health
 * answered under 200 ms; every message published is in the store. Besides, each heavy answer is a
 * 200 (one row per site), a 503 `busy` (the heavy gate: 2 at once, 20 waiting, 10 s) or a 429
 * `rate_limited` (600 a minute from one address: all clients here are 127.0.0.1), each 503/429
 * with Retry-After. The bulk publisher's own PUBACK times are printed, not asserted: they include
 * its backlog when the machine cannot give it 5 000 a second (QoS 1 PUBACKs come from the broker).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadConfig } from '../../server/config.js';
import { startService, type RunningService } from '../../server/main.js';
import { SqliteStore } from '../../server/store/sqlite-store.js';
import { requireMosquitto } from '../helpers/services.js';
import { uniqueName, waitFor } from '../helpers/mqtt-fixtures.js';
import { startPublisher } from '../helpers/telemetry-publisher.js';
import { percentile } from '../helpers/read-load.js';
import { startHeavyReaders } from '../helpers/heavy-readers.js';

const APS = 500;
const RATE_PER_S = 5000;
const BURST_MS = 10_000;
/** 10 s at 5 000 a second */
const MESSAGES = (RATE_PER_S * BURST_MS) / 1000;
const READERS = 20;
/** a bound on the readers' loop besides the time */
const MAX_READS = 5000;
/**
 * The bulk publisher and the 20 readers stand for the APs and clients on other machines: here they
 * share the 2 cores with the service, so their threads yield the CPU to it (nice +5). The PUBACK
 * probe and the health sampler keep the service's priority: they measure what it answers.
 */
const LOAD_NICE = 5;

const dir = mkdtempSync(path.join(os.tmpdir(), 'netatlas-heavy-reads-'));
let service: RunningService | undefined;
const stoppers: (() => Promise<void>)[] = [];
afterAll(async () => {
  // closing waits for heavy requests still computing (bounded by the gate: 2 at once)
  for (const stop of stoppers) await stop().catch(() => undefined);
  await service?.close();
  rmSync(dir, { recursive: true, force: true });
}, 120_000);

function writeInventory(): { devicesFile: string; areasFile: string } {
  const devicesFile = path.join(dir, 'devices.yaml');
  const devices = Array.from({ length: APS }, (_, i) => ({
    id: `ap-${i}`, tech: 'wifi', site: `s${i % 50}`, location: { lat: 50.83 + (i % 20) * 0.0005, lon: 4.37 + Math.floor(i / 20) * 0.0005 }, radiusM: 50, intervalS: 10,
  }));
  writeFileSync(devicesFile, stringify({ devices }));
  const areasFile = path.join(dir, 'areas.geojson');
  writeFileSync(areasFile, JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { id: 'ixelles', name: 'Ixelles', population: 21400, households: 10000 }, geometry: { type: 'Polygon', coordinates: [[[4.36, 50.82], [4.40, 50.82], [4.40, 50.85], [4.36, 50.85], [4.36, 50.82]]] } }] }));
  return { devicesFile, areasFile };
}

interface Health { status: string; collection?: { where: string }; collectors?: { mqtt?: { connected?: boolean } } }

describe('heavy reads while telemetry flows through Mosquitto', () => {
  it('20 clients looping on 1825-day /api/uptime during 5 000 msg/s: probe PUBACKs under 1 s, every message stored, heavy answers 200, 503 busy or 429', async () => {
    const brokerUrl = await requireMosquitto();
    const prefix = uniqueName('heavy-reads');
    const dataDir = path.join(dir, 'data');
    const file = path.join(dir, 'netatlas.yaml');
    writeFileSync(file, stringify({
      dataDir, http: { host: '127.0.0.1', port: 0 }, simulator: { enabled: false }, inventory: writeInventory(),
      mqtt: { url: brokerUrl, topicPrefix: prefix }, alerts: { enabled: false }, log: { level: 'warn' },
    }));
    const config = loadConfig({ file, env: {} });
    // the defaults under test
    expect(config.http.limits).toMatchObject({ readsPerMinute: 600, heavyConcurrency: 2, heavyQueueLength: 20, heavyQueueMs: 10_000 });
    // pino directly: the project's logger module is being moved (server/log.ts -> core/log.ts)
    service = await startService(config, pino({ level: process.env['NETATLAS_TEST_LOG'] ?? 'silent' }, pino.destination(2)));
    const url = service.url;
    const health = async (): Promise<Health> => (await fetch(`${url}/api/health`)).json() as Promise<Health>;
    await waitFor('the MQTT collector connected', async () => (await health()).collectors?.mqtt?.connected === true, 30_000, 100);
    // the collectors run in the worker thread (server/collection/), not on the API's event loop
    expect((await health()).collection?.where).toBe('worker');

    // --- the publisher, in a worker thread: 4 connections, a tick every 10 ms of 50 messages, each timed to its PUBACK
    const t0 = Date.now() - 120_000;
    const TICK_MS = 10;
    const topicOf = `${prefix}/wifi/{device}/telemetry`;
    const pub = await startPublisher({ brokerUrl, topicOf, aps: APS, messages: MESSAGES, perTick: (RATE_PER_S * TICK_MS) / 1000, tickMs: TICK_MS, connections: 4, t0, probeEveryMs: 0, probeDevice: '', probeForMs: 0, probeFirst: 0, nice: LOAD_NICE });
    stoppers.push(() => pub.stop());
    // the PUBACK probe in a worker of its own, so the bulk's pace does not delay its timer
    // (its timestamps follow the bulk's: t0 + MESSAGES + k)
    const prober = await startPublisher({ brokerUrl, topicOf, aps: APS, messages: 0, perTick: 0, tickMs: TICK_MS, connections: 1, t0, probeEveryMs: 100, probeDevice: `ap-${APS - 1}`, probeForMs: BURST_MS, probeFirst: MESSAGES });
    stoppers.push(() => prober.stop());
    // --- 20 readers asking 1825 days of uptime in a loop, and /api/health sampled every 100 ms, from a worker thread
    // 1825 days less an hour: the longest window /api/uptime takes, measured from the service's own clock a little later
    const from = new Date(Date.now() - 1825 * 86_400_000 + 3_600_000).toISOString();
    const http = await startHeavyReaders({ url, readPath: `/api/uptime?from=${from}&groupBy=site`, readers: READERS, maxReads: MAX_READS, forMs: BURST_MS, sampleEveryMs: 0, nice: LOAD_NICE });
    stoppers.push(() => http.stop());
    // the health sampler alone in its thread, at the service's priority: what an uptime checker sees
    const sampler = await startHeavyReaders({ url, readPath: '', readers: 0, maxReads: 0, forMs: BURST_MS, sampleEveryMs: 100 });
    stoppers.push(() => sampler.stop());
    // how late this thread (the service's API thread) ran its timers while all that went on
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    const publisher = pub.go();
    const probing = prober.go();
    const [published, probed, read, seen] = await Promise.all([publisher, probing, http.go(), sampler.go()]);
    loopDelay.disable();
    const { answers, readFailures } = read;
    const { healthFailures, apiThreadMs } = seen;
    const healthMs = seen.health.map((h) => h.ms);
    const healthCodes = new Map<number, number>();
    for (const h of seen.health) healthCodes.set(h.status, (healthCodes.get(h.status) ?? 0) + 1);
    const { sent, failed: failedPublishes, latenciesMs: pubackMs, seconds: publishS } = published;
    const probe = probed.probe;
    const expected = sent + probe.sent;

    // --- every message stored: count the wifi_ap points with this run's timestamps (a reader of the same SQLite file, WAL)
    const counting = new SqliteStore({ dataDir });
    await counting.init();
    let stored = 0;
    const drainStart = performance.now();
    try {
      await waitFor(`${expected} wifi_ap points stored`, async () => {
        const rows = await counting.queryAggregate({ measurement: 'wifi_ap', field: 'clients', fn: 'count', from: t0, to: t0 + expected });
        stored = rows.reduce((a, r) => a + (r.value ?? 0), 0);
        return stored >= expected;
      }, 60_000, 250);
    } finally {
      await counting.close();
    }
    const drainS = (performance.now() - drainStart) / 1000;

    const byOutcome = new Map<string, number>();
    for (const a of answers) byOutcome.set(`${a.status}${a.code ? ` ${a.code}` : ''}`, (byOutcome.get(`${a.status}${a.code ? ` ${a.code}` : ''}`) ?? 0) + 1);
    const ok = answers.filter((a) => a.status === 200).map((a) => a.ms);
    process.stdout.write(`published ${sent} in ${publishS.toFixed(1)} s (${Math.round(sent / publishS)}/s), ${failedPublishes} failed; bulk PUBACK median ${percentile(pubackMs, 50).toFixed(1)} / p99 ${percentile(pubackMs, 99).toFixed(1)} / max ${Math.max(...pubackMs).toFixed(1)} ms\n`
      + `probe: ${probe.sent} sent, ${probe.failed} failed, PUBACK median ${percentile(probe.latenciesMs, 50).toFixed(1)} / p99 ${percentile(probe.latenciesMs, 99).toFixed(1)} / max ${Math.max(...probe.latenciesMs).toFixed(1)} ms\n`
      + `stored ${stored} of ${expected}, the last ${drainS.toFixed(1)} s after publishing ended\n`
      + `health: ${healthMs.length} samples, codes ${JSON.stringify([...healthCodes])}, median ${percentile(healthMs, 50).toFixed(1)} / p99 ${percentile(healthMs, 99).toFixed(1)} / max ${Math.max(...healthMs).toFixed(1)} ms\n`
      + `slowest health: ${JSON.stringify(seen.health.map((h) => [Math.round(h.ms), h.atMs]).sort((a, b) => b[0]! - a[0]!).slice(0, 5))} ([ms, sent at ms after the start])\n`
      + `API thread event-loop delay: median ${(loopDelay.percentile(50) / 1e6).toFixed(1)} / p99 ${(loopDelay.percentile(99) / 1e6).toFixed(1)} / max ${(loopDelay.max / 1e6).toFixed(1)} ms\n`
      + `openapi.json (API thread only): ${apiThreadMs.length} samples, median ${percentile(apiThreadMs, 50).toFixed(1)} / max ${Math.max(...apiThreadMs).toFixed(1)} ms\n`
      + `health failures ${JSON.stringify(healthFailures.slice(0, 5))}; reader failures ${readFailures.length} ${JSON.stringify(readFailures.slice(0, 5))}\n`
      + `uptime 1825 d: ${answers.length} answers ${JSON.stringify([...byOutcome])}; 200s median ${percentile(ok, 50).toFixed(0)} / max ${Math.max(0, ...ok).toFixed(0)} ms\n`);

    expect(sent).toBe(MESSAGES);
    expect(failedPublishes).toBe(0);
    expect(pubackMs.length).toBe(MESSAGES);
    // the probe's PUBACKs: the bulk's include the publisher's own backlog when the machine cannot
    // give it 5 000 a second (printed above), which says nothing of the service
    expect(probe.failed).toBe(0);
    expect(probe.latenciesMs.length).toBeGreaterThanOrEqual(50);
    expect(Math.max(...probe.latenciesMs)).toBeLessThan(1000);
    expect(readFailures).toEqual([]);
    expect(stored).toBe(expected);
    // every heavy answer is one of the three, for its reason
    for (const a of answers) {
      if (a.status === 200) continue;
      expect([`503 busy`, `429 rate_limited`]).toContain(`${a.status} ${a.code}`);
      expect(Number(a.retryAfter)).toBeGreaterThanOrEqual(1);
    }
    expect(answers.some((a) => a.status === 200)).toBe(true);
    // one row per site (ap-i is in site s(i mod 50))
    for (const a of answers) if (a.status === 200) expect(a.rows).toBe(50);
    // the issue's bound: /api/health answers under 200 ms, every sample, while all that goes on
    expect(healthFailures).toEqual([]);
    expect(healthMs.length).toBeGreaterThanOrEqual(20);
    expect(Math.max(...healthMs)).toBeLessThan(200);
    // one address: at most 600 answers other than 429 in the minute the test lasts
    expect(answers.filter((a) => a.status !== 429).length).toBeLessThanOrEqual(600);
  }, 150_000);
});
