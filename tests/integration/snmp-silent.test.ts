/**
 * One silent agent must not delay the others: 50 simulated agents of which 5 never answer. The
 * 45 are polled within their normal cycle time; the 5 cost their timeout, in parallel.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SnmpCollector } from '../../collectors/snmp/collector.js';
import type { Device } from '../../core/device.js';
import { createMetricsRegistry } from '../../core/self-metrics.js';
import type { SimAgent } from '../../sim/snmp-agent.js';
import { RecordingSink, snmpConfig, snmpDevice, staticInventory, v2 } from '../helpers/snmp-fixtures.js';
import { startAgents } from '../helpers/snmp-sim.js';
import { intervalSOf } from '../../server/status/intervals.js';

const TIMEOUT_MS = 1000;
const RETRIES = 1;

describe('50 simulated agents of which 5 never answer', () => {
  let agents: SimAgent[];
  let devices: Device[];
  beforeAll(async () => {
    agents = await startAgents(50, (i) => ({ interfaces: 8, mode: i % 10 === 3 ? 'silent' : 'normal' }));
    devices = agents.map((a, i) => snmpDevice(`node-${i}`, v2(a.port)));
  });
  afterAll(async () => { await Promise.all((agents ?? []).map((a) => a.close())); });

  const cfg = { timeoutMs: TIMEOUT_MS, retries: RETRIES, optical: false };

  it('polls the 45 that answer within their normal cycle time, and the silent 5 cost one timeout in parallel', async () => {
    const answering = devices.filter((_, i) => i % 10 !== 3);
    const silentIds = devices.filter((_, i) => i % 10 === 3).map((d) => d.id);
    expect(answering).toHaveLength(45);

    // the normal cycle: the same 45 without the silent ones (second cycle: sessions warm)
    const baseline = new SnmpCollector(snmpConfig(cfg), { intervalSOf, inventory: staticInventory(answering), metrics: createMetricsRegistry({ defaultMetrics: false }) });
    await baseline.poll(new RecordingSink(), new AbortController().signal);
    await baseline.poll(new RecordingSink(), new AbortController().signal);
    const normalMs = baseline.lastCycle?.durationMs ?? Infinity;
    await baseline.close();

    const c = new SnmpCollector(snmpConfig(cfg), { intervalSOf, inventory: staticInventory(devices), metrics: createMetricsRegistry({ defaultMetrics: false }) });
    const sink = new RecordingSink();
    await c.poll(new RecordingSink(), new AbortController().signal);
    const start = Date.now();
    await c.poll(sink, new AbortController().signal);
    await c.close();

    const up = sink.of('device_status').filter((p) => p.fields['up'] === 1);
    expect(up.map((p) => p.tags['device']).sort()).toEqual(answering.map((d) => d.id).sort());
    expect(sink.of('interface')).toHaveLength(45 * 8);
    // every answering device's poll was complete (written) within the normal cycle time (+ scheduling slack)
    const answeringIds = new Set(answering.map((d) => d.id));
    const latestUpMs = Math.max(...sink.writes.filter((w) => w.devices.some((d) => answeringIds.has(d))).map((w) => w.at - start));
    // slack for a busy 2-core machine, still far below the silent ones' 2 s
    expect(latestUpMs).toBeLessThanOrEqual(normalMs + 500);

    const down = sink.of('device_status').filter((p) => p.fields['up'] === 0);
    expect(down.map((p) => p.tags['device']).sort()).toEqual(silentIds.sort());
    for (const p of down) expect(p.fields['reason']).toBe('timeout: no answer');
    // the whole cycle: the silent ones' (retries + 1) x timeout, once, not five times
    const cycleMs = c.lastCycle?.durationMs ?? Infinity;
    expect(cycleMs).toBeGreaterThanOrEqual((RETRIES + 1) * TIMEOUT_MS - 50);
    expect(cycleMs).toBeLessThan((RETRIES + 1) * TIMEOUT_MS + normalMs + 1000);
    console.log(`50 agents, 5 silent: normal cycle (45) ${normalMs} ms; last answering device done at ${latestUpMs} ms; full cycle ${cycleMs} ms`);
  });
});
