/**
 * Collection isolated from reads (issue 20, item 2): the demo (`netatlas start`, no config file:
 * 60 simulated fibre nodes polled every 15 s, 400 simulated APs) with 100 minutes of status
 * history in its embedded store, then 50 concurrent map loads (`/api/map/devices`) for 30 s. The
 * collectors, the pipeline and the embedded broker run in their own worker thread, so during the
 * burst no SNMP poll cycle overruns (no skipped tick, no cycle cut by its timeout) and no PUBACK
 * to a test publisher on the embedded broker takes longer than 1 s. The reads' throughput and
 * latencies are printed (they are what the API side manages; this test does not judge them).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_AREAS_FILE, DEMO_DEVICES_FILE } from '../../server/inventory/inventory-files.js';
import { DEMO_SNMP_CONFIG } from '../../server/config-collectors.js';
import { concurrentLoads, percentile, seedStatusHistory, startPubackProbe } from '../helpers/read-load.js';
import { cleanEnv, freeTcpPort, getJson, startNetatlas, stopWith, waitFor, type RunningChild } from './first-run-helpers.js';

const cwd = mkdtempSync(path.join(tmpdir(), 'netatlas-isolation-'));
const running: RunningChild[] = [];
afterAll(() => {
  for (const r of running) if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL');
  rmSync(cwd, { recursive: true, force: true });
});

interface Cycles { ran: number; skipped: number; timedOut: number; maxDurationMs: number | null }
interface Health {
  broker: { url: string };
  pipeline: { written: number; dropped: number };
  collectors: { snmp: { up: number } | null; mqtt: { connected: boolean; lastMessageAt?: number } };
  collection: { where: string; cycles: Record<string, Cycles>; eventLoopDelayMs: { p99: number; max: number } };
}

// The count bound must outlast the 30 s: past the rate limit's 600 a minute the loads are 429s
// answered in about a millisecond, and since the map body is kept (e3f9835) 20 000 of them ran out
// in 19.9 s, leaving the probe 192 PUBACKs of the 200 asserted. 100 000 still bounds the loop.
const BURST = { concurrency: 50, durationMs: 30_000, maxRequests: 100_000 };
// the demo's SNMP interval: 15 s (server/config-collectors.ts)
const SNMP_INTERVAL_MS = DEMO_SNMP_CONFIG.intervalS * 1000;

describe('collection isolated from reads', () => {
  it('50 concurrent map loads for 30 s: no SNMP cycle overrun, no PUBACK later than 1 s', async () => {
    const dataDir = path.join(cwd, 'data');
    // 100 min: 60 nodes every 15 s (400 samples each) + 400 APs every 10 s (600 each) = 264 000
    const seeded = await seedStatusHistory(dataDir, { devicesPath: DEMO_DEVICES_FILE, areasPath: DEMO_AREAS_FILE }, 100, SNMP_INTERVAL_MS / 1000);
    expect(seeded).toBe(60 * 400 + 400 * 600);

    const port = await freeTcpPort();
    const r = await startNetatlas(['start'], cleanEnv({ NETATLAS_PORT: String(port), NETATLAS_DATA_DIR: dataDir, NETATLAS_MQTT_EMBEDDED_PORT: String(await freeTcpPort()), NETATLAS_LOG_LEVEL: 'warn' }), cwd);
    running.push(r);
    const health = (): Promise<Health> => getJson<Health>(`${r.url}/api/health`).then((x) => x.body);
    // collecting: a first SNMP cycle done and AP telemetry arriving
    const ready = await waitFor('a finished SNMP cycle and AP telemetry', 90_000, async () => {
      const h = await health();
      return (h.collection?.cycles['snmp']?.ran ?? 0) >= 1 && h.collectors.mqtt.lastMessageAt !== undefined ? h : undefined;
    });
    expect(ready.collection.where).toBe('worker');

    const before = (await health()).collection.cycles['snmp']!;
    const probe = await startPubackProbe(ready.broker.url, { topic: 'netatlas-test/puback-probe', everyMs: 100, maxMessages: 1500 });
    const burst = await concurrentLoads(`${r.url}/api/map/devices`, BURST);
    const acks = await probe.stop();
    const atBurstEnd = (await health()).collection.cycles['snmp']!;
    // a cycle running when the burst ended is counted once it ends: wait for the next one
    const after = await waitFor('one more SNMP cycle after the burst', 3 * SNMP_INTERVAL_MS, async () => {
      const c = (await health()).collection.cycles['snmp']!;
      return c.ran > atBurstEnd.ran ? c : undefined;
    });
    const final = await health();

    const pubackMedian = percentile(acks.latenciesMs, 50);
    const pubackP99 = percentile(acks.latenciesMs, 99);
    const pubackMax = Math.max(...acks.latenciesMs);
    process.stdout.write(`map loads: ${JSON.stringify(burst)}\n`
      + `PUBACKs: ${acks.latenciesMs.length} (failed ${acks.failed}), median ${pubackMedian.toFixed(1)} ms, p99 ${pubackP99.toFixed(1)} ms, max ${pubackMax.toFixed(1)} ms\n`
      + `SNMP cycles during the burst: ${after.ran - before.ran} ran, ${after.skipped - before.skipped} skipped, ${after.timedOut - before.timedOut} timed out, longest ${after.maxDurationMs?.toFixed(0)} ms; collection event loop delay p99 ${final.collection.eventLoopDelayMs.p99} ms\n`);

    // The reads themselves are the API side's business (issue 20 item 1): under this overload
    // some may fail (printed above); here they only have to happen.
    expect(burst.requests).toBeGreaterThan(0);
    // 30 s at one tick every 15 s: at least 2 cycles started and finished, none overran
    expect(after.ran - before.ran).toBeGreaterThanOrEqual(2);
    expect(after.skipped - before.skipped).toBe(0);
    expect(after.timedOut - before.timedOut).toBe(0);
    // one PUBACK every 100 ms while the loads ran (30 s and the requests still in flight then):
    // at least 200, every one within 1 s
    expect(acks.failed).toBe(0);
    expect(acks.latenciesMs.length).toBeGreaterThanOrEqual(200);
    expect(pubackMax).toBeLessThan(1000);
    expect(final.pipeline.dropped).toBe(0);

    const stopped = await stopWith(r, 'SIGTERM');
    expect(stopped.code).toBe(0);
  }, 300_000);
});
