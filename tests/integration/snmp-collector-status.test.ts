/**
 * The SNMP collector's own connection state in a real SQLite store: connected=1 when it starts
 * polling, connected=0 when the runner stops it, none for a tick skipped because the previous
 * cycle overran; and the analytics then count the time after the stop as unknown, not up.
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
import type { Device } from '../../server/inventory/device.js';
import { createMetricsRegistry } from '../../server/self-metrics.js';
import { SqliteStore } from '../../server/store/sqlite-store.js';
import { snmpConfig, snmpDevice, staticInventory, v2 } from '../helpers/snmp-fixtures.js';
import { startAgent } from '../helpers/snmp-sim.js';
import { silentLogger } from '../../server/log.js';

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
  const collector = await snmpDefinition.create(snmpConfig({ timeoutMs: 300, retries: 0, optical: false, ...cfg }), { inventory, metrics, log: silentLogger, dataDir }) as SnmpCollector;
  const runner = new CollectorRunner({ sink: store, metrics });
  runner.add(collector);
  cleanup.push(() => runner.stop());
  const statuses = async () => (await store.querySeries({ measurement: 'collector_status', from: 0, to: Date.now() + 60_000, fields: ['connected'] }))
    .map((r) => ({ time: r.time, tags: r.tags, connected: r.fields['connected'] }));
  return { store, runner, collector, dataDir, inventory, statuses };
}

describe('SNMP collector status', () => {
  it('writes connected=1 when it starts polling and 0 when stopped, and the time after the stop counts as unknown, not up', async () => {
    const { store, runner, dataDir, inventory, statuses } = await setup((port) => [snmpDevice('olt-1', v2(port))], { interfaces: 1 });
    const tStart = Date.now();
    expect(await runner.tick('snmp')).toBe('ran');
    const before = await statuses();
    expect(before).toHaveLength(1);
    expect(before[0]).toMatchObject({ tags: { collector: 'snmp', instance: defaultClientId(dataDir) }, connected: 1 });
    expect(before[0]!.time).toBeGreaterThanOrEqual(tStart);

    await runner.stop();
    const tStopped = Date.now();
    const after = await statuses();
    expect(after.map((s) => s.connected)).toEqual([1, 0]);
    const closedAt = after[1]!.time;
    expect(closedAt).toBeLessThanOrEqual(tStopped);

    const samples = await store.statusSamples({ from: 0, to: tStopped + 1, devices: ['olt-1'] });
    expect(samples.map((s) => s.up)).toEqual([true]);
    const sampledAt = samples[0]!.time;
    expect(sampledAt).toBeGreaterThanOrEqual(before[0]!.time);
    expect(sampledAt).toBeLessThanOrEqual(closedAt);

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

  it('writes no connected=0 for a tick skipped because the previous cycle overran', async () => {
    const { runner, statuses } = await setup((port) => [snmpDevice('slow-1', v2(port))], { interfaces: 1, mode: 'slow', delayMs: 800 }, { timeoutMs: 3000 });
    const first = runner.tick('snmp');
    expect(await runner.tick('snmp')).toBe('skipped');
    expect(await first).toBe('ran');
    expect((await statuses()).map((s) => s.connected)).toEqual([1]);
    await runner.stop();
    expect((await statuses()).map((s) => s.connected)).toEqual([1, 0]);
  });
});
