/**
 * The SNMP collector's heartbeats in a real SQLite store: `connected=1, heartbeat_s` from its first
 * cycle (before any device sample of that cycle) every heartbeatS until close(), which writes
 * `connected=0`; heartbeats go on while a cycle overruns (the process is alive and polling); the
 * analytics then count the time after the stop as unknown, not up. (Until issue 11 the collector
 * wrote one connected=1 at its first cycle and nothing until close: a SIGKILLed collector was never
 * noticed.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CollectorRunner } from '../../collectors/runner.js';
import { defaultClientId } from '../../collectors/mqtt/config.js';
import { snmpDefinition } from '../../collectors/snmp/index.js';
import type { SnmpCollector } from '../../collectors/snmp/collector.js';
import { DEFAULT_INTERVALS, rawUptimes } from '../../server/status/index.js';
import type { Device } from '../../core/device.js';
import { createMetricsRegistry } from '../../core/self-metrics.js';
import { SqliteStore } from '../../server/store/sqlite-store.js';
import { snmpConfig, snmpDevice, staticInventory, v2 } from '../helpers/snmp-fixtures.js';
import { startAgent } from '../helpers/snmp-sim.js';
import { silentLogger } from '../../core/log.js';
import { intervalSOf } from '../../server/status/intervals.js';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => { for (const c of cleanup.splice(0).reverse()) await c(); });

async function setup(devices: (port: number) => Device[], agentOptions: Parameters<typeof startAgent>[0], cfg: Record<string, unknown> = {}) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'netatlas-snmp-status-'));
  cleanup.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  const store = new SqliteStore({ dataDir });
  await store.init();
  cleanup.push(() => store.close());
  const agent = await startAgent(agentOptions);
  cleanup.push(() => agent.close());
  const metrics = createMetricsRegistry({ defaultMetrics: false });
  const inventory = staticInventory(devices(agent.port));
  // created as netatlas creates it (the registry), so the instance tag is the one it would write
  const collector = await snmpDefinition.create(snmpConfig({ timeoutMs: 300, retries: 0, optical: false, ...cfg }), { inventory, metrics, log: silentLogger, dataDir, intervalSOf }) as SnmpCollector;
  const runner = new CollectorRunner({ sink: store, metrics });
  runner.add(collector);
  cleanup.push(() => runner.stop());
  const statuses = async () => (await store.querySeries({ measurement: 'collector_status', from: 0, to: Date.now() + 60_000, fields: ['connected', 'heartbeat_s'] }))
    .map((r) => ({ time: r.time, tags: r.tags, connected: r.fields['connected'], heartbeatS: r.fields['heartbeat_s'] }));
  return { store, runner, collector, dataDir, inventory, statuses };
}

const sleepUntil = (t: number) => new Promise((r) => setTimeout(r, Math.max(0, t - Date.now())));

describe('SNMP collector heartbeats', () => {
  it('beats every heartbeatS from the first cycle, before the device sample, writes connected=0 at close, and the time after counts as unknown', async () => {
    const { store, runner, dataDir, inventory, statuses } = await setup((port) => [snmpDevice('olt-1', v2(port))], { interfaces: 1 }, { heartbeatS: 1 });
    expect(await runner.tick('snmp')).toBe('ran');
    const first = (await statuses())[0]!;
    expect(first).toMatchObject({ tags: { collector: 'snmp', instance: defaultClientId(dataDir) }, connected: 1, heartbeatS: 1 });
    const samples = await store.statusSamples({ from: 0, to: Date.now() + 1, devices: ['olt-1'] });
    expect(samples.map((x) => x.up)).toEqual([true]);
    const sampledAt = samples[0]!.time;
    expect(first.time).toBeLessThanOrEqual(sampledAt);

    // the timer beats at first + 1000 and first + 2000 ms; stopping at first + 2500 (500 ms from
    // either beat) gives 1 + 2 = 3 beats, then the connected=0
    await sleepUntil(first.time + 2500);
    await runner.stop();
    const tStopped = Date.now();
    const after = await statuses();
    expect(after.map((x) => [x.connected, x.heartbeatS])).toEqual([[1, 1], [1, 1], [1, 1], [0, undefined]]);
    for (let i = 1; i < 3; i++) expect(after[i]!.time - after[i - 1]!.time).toBeGreaterThanOrEqual(900);
    const closedAt = after[3]!.time;
    expect(closedAt).toBeLessThanOrEqual(tStopped);

    // Window: from the up sample to 30 s after the stop; the device's interval is 60 s, so without
    // collector_status its "up" would hold for 150 s, past the window's end.
    const from = sampledAt, to = closedAt + 30_000;
    const devices = inventory.all();
    const measured = (await rawUptimes(store, { devices, from, to, now: to, intervals: DEFAULT_INTERVALS })).get('olt-1');
    expect(measured).toMatchObject({ up_ms: closedAt - sampledAt, down_ms: 0, unknown_ms: 30_000, counted_ms: to - from, uptime: 1 });
    // the same window without the collector's down span: all of it up (what staleness alone gives)
    const staleOnly = (await rawUptimes(store, { devices, from, to, now: to, intervals: DEFAULT_INTERVALS, collectorDown: new Map() })).get('olt-1');
    expect(staleOnly).toMatchObject({ up_ms: to - from, unknown_ms: 0 });
  });

  it('keeps beating while a cycle overruns its interval (the next tick is skipped, not a dead collector)', async () => {
    const { store, runner, statuses } = await setup((port) => [snmpDevice('slow-1', v2(port))], { interfaces: 1, mode: 'slow', delayMs: 2500 }, { timeoutMs: 4000, heartbeatS: 1 });
    const first = runner.tick('snmp');
    expect(await runner.tick('snmp')).toBe('skipped');
    expect(await first).toBe('ran');
    const sampledAt = (await store.statusSamples({ from: 0, to: Date.now() + 1, devices: ['slow-1'] }))[0]!.time;
    // the agent holds its answer 2500 ms: beats at +0 (first cycle), +1000, +2000 come before it
    const beforeAnswer = (await statuses()).filter((x) => x.time <= sampledAt);
    expect(beforeAnswer.map((x) => x.connected)).toEqual([1, 1, 1]);
    await runner.stop();
    const all = await statuses();
    expect(all.at(-1)?.connected).toBe(0);
    expect(all.slice(0, -1).every((x) => x.connected === 1)).toBe(true);
  });

  it('writes nothing when stopped before its first cycle (no beat to end)', async () => {
    const { runner, statuses } = await setup((port) => [snmpDevice('olt-2', v2(port))], { interfaces: 1 }, { heartbeatS: 1 });
    await runner.stop();
    expect(await statuses()).toEqual([]);
  });
});
