/**
 * The collector against simulated agents: counter wrap and reboot with hand-computed rates,
 * garbage and truncated answers, optical levels, filters, status interfaces, any tech, aborts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SnmpCollector } from '../../collectors/snmp/collector.js';
import type { Device } from '../../core/device.js';
import type { Point } from '../../core/point.js';
import { createMetricsRegistry, type Registry } from '../../core/self-metrics.js';
import type { SimAgent } from '../../sim/snmp-agent.js';
import { RecordingSink, captureLogger, snmpConfig, snmpDevice, staticInventory, v2 } from '../helpers/snmp-fixtures.js';
import { startAgent } from '../helpers/snmp-sim.js';
import { waitFor } from '../helpers/mqtt-fixtures.js';
import { intervalSOf } from '../../server/status/intervals.js';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => { for (const c of cleanup.splice(0)) await c(); });

function collectorFor(devices: Device[], cfg: Record<string, unknown> = {}, metrics: Registry = createMetricsRegistry({ defaultMetrics: false })) {
  const cap = captureLogger();
  const c = new SnmpCollector(snmpConfig({ timeoutMs: 300, retries: 1, optical: false, ...cfg }), { intervalSOf, inventory: staticInventory(devices), metrics, log: cap.log });
  cleanup.push(() => c.close());
  return { c, cap, metrics };
}

async function agent(o: Parameters<typeof startAgent>[0]): Promise<SimAgent> {
  const a = await startAgent(o);
  cleanup.push(() => a.close());
  return a;
}

const ifPoint = (sink: RecordingSink, ifName: string): Point[] => sink.of('interface').filter((p) => p.tags['ifName'] === ifName);
const poll = (c: SnmpCollector, sink: RecordingSink) => c.poll(sink, new AbortController().signal);

describe('SNMP collector with simulated agents', () => {
  it('computes the rate across a 32-bit counter wrap from what really went through', async () => {
    const a = await agent({ interfaces: 2, hc: false, octetsPerSecond: 0 });
    a.state.setOctets(1, 2n ** 32n - 1000n, 2n ** 32n - 400n);
    const { c } = collectorFor([snmpDevice('wrap', v2(a.port))]);
    const sink = new RecordingSink();
    await poll(c, sink);
    a.state.setOctets(1, 500n, 100n);
    await poll(c, sink);
    const [p1, p2] = ifPoint(sink, 'uplink0');
    expect(p1?.fields['ifHCInOctets']).toBeUndefined();
    expect(p1?.fields['ifInOctets']).toBe(2 ** 32 - 1000);
    expect(p2?.fields['ifInOctets']).toBe(500);
    const dtS = ((p2?.time ?? 0) - (p1?.time ?? 0)) / 1000;
    // in: 1000 to the wrap + 500 after it = 1500 octets; out: 400 + 100 = 500 octets
    expect(p2?.fields['in_bps']).toBeCloseTo((1500 * 8) / dtS, 6);
    expect(p2?.fields['out_bps']).toBeCloseTo((500 * 8) / dtS, 6);
  });

  it('writes no rate for the poll after a reboot (sysUpTime went back), then rates again', async () => {
    let now = 1_000_000;
    const a = await agent({ interfaces: 1, hc: false, octetsPerSecond: 0, clock: () => now });
    now += 600_000; // up 10 minutes
    a.state.setOctets(1, 10_000_000n, 5_000_000n);
    const { c } = collectorFor([snmpDevice('reboot', v2(a.port))]);
    const sink = new RecordingSink();
    await poll(c, sink);
    a.reboot();
    now += 5_000;
    a.state.setOctets(1, 2_000n, 1_000n);
    await poll(c, sink);
    a.state.setOctets(1, 6_000n, 3_000n);
    await poll(c, sink);
    const uptimes = sink.of('snmp').map((p) => p.fields['uptime']);
    expect(uptimes).toEqual([60_000, 500, 500]);
    const [, afterReboot, next] = ifPoint(sink, 'uplink0');
    // Taken as a 32-bit wrap, the drop would read as about 4.28 GB in a fraction of a second.
    expect(afterReboot?.fields['in_bps']).toBeUndefined();
    expect(afterReboot?.fields['out_bps']).toBeUndefined();
    const dtS = ((next?.time ?? 0) - (afterReboot?.time ?? 0)) / 1000;
    expect(next?.fields['in_bps']).toBeCloseTo((4_000 * 8) / dtS, 6);
    expect(next?.fields['out_bps']).toBeCloseTo((2_000 * 8) / dtS, 6);
  });

  it.each(['garbage', 'truncated'] as const)('counts and logs %s answers, marks the device down, and does not crash', async (mode) => {
    const a = await agent({ mode });
    const good = await agent({ interfaces: 2 });
    const { c, cap, metrics } = collectorFor([snmpDevice('bad', v2(a.port)), snmpDevice('good', v2(good.port))]);
    const sink = new RecordingSink();
    await poll(c, sink);
    expect(a.rawRequests).toBeGreaterThanOrEqual(1);
    expect(sink.of('device_status', 'bad')[0]?.fields).toMatchObject({ up: 0 });
    expect(String(sink.of('device_status', 'bad')[0]?.fields['reason'])).toMatch(/^bad-response: /);
    expect(sink.of('device_status', 'good')[0]?.fields['up']).toBe(1);
    const failures = (await metrics.getSingleMetric('netatlas_snmp_poll_failures_total')?.get())?.values.find((v) => v.labels['reason'] === 'bad-response')?.value;
    expect(failures).toBe(1);
    expect(cap.lines().some((l) => l['device'] === 'bad' && String(l['msg']).startsWith(`device bad (127.0.0.1:${a.port}) down: unusable answer`))).toBe(true);
  });

  it('counts each undecodable datagram per device', async () => {
    const a = await agent({ mode: 'garbage' });
    const { c, cap, metrics } = collectorFor([snmpDevice('noise', v2(a.port))]);
    await poll(c, new RecordingSink());
    const counted = (await metrics.getSingleMetric('netatlas_snmp_bad_responses_total')?.get())?.values.find((v) => v.labels['device'] === 'noise')?.value;
    // one request, sent twice (retries: 1), each answered with random bytes
    expect(counted).toBe(2);
    expect(a.rawRequests).toBe(2);
    expect(cap.lines().filter((l) => String(l['msg']).includes(`device noise (127.0.0.1:${a.port}) sent an undecodable response`))).toHaveLength(2);
  });

  it('reads optical levels from ENTITY-SENSOR-MIB dBm sensors', async () => {
    const a = await agent({ interfaces: 2, optical: true });
    const { c } = collectorFor([snmpDevice('olt', v2(a.port))], { optical: true });
    const sink = new RecordingSink();
    await poll(c, sink);
    expect(sink.of('optical')).toEqual([expect.objectContaining({ tags: { device: 'olt', ifName: 'uplink0' }, fields: { rx_dbm: -5.3, tx_dbm: 2.1 } })]);
  });

  it('keeps only the interfaces the filters allow, and skips admin-down ones', async () => {
    const a = await agent({ interfaces: 8 });
    (a.state.interfaces[3] as { adminUp: boolean }).adminUp = false; // ge-0/0/3
    const { c } = collectorFor([snmpDevice('f', v2(a.port))], { interfaces: { include: ['ge-*'], exclude: ['/7$/'] } });
    const sink = new RecordingSink();
    await poll(c, sink);
    expect(sink.of('interface').map((p) => p.tags['ifName'])).toEqual(['ge-0/0/1', 'ge-0/0/2', 'ge-0/0/4', 'ge-0/0/5', 'ge-0/0/6']);
  });

  it('marks a device down when its status interface (the uplink) is down, though it answers', async () => {
    const a = await agent({ interfaces: 3 });
    const { c } = collectorFor([snmpDevice('node', v2(a.port))], { statusInterfaces: ['uplink*'] });
    const sink = new RecordingSink();
    await poll(c, sink);
    expect(sink.of('device_status')[0]?.fields['up']).toBe(1);
    (a.state.interfaces[0] as { operUp: boolean }).operUp = false;
    await poll(c, sink);
    expect(sink.of('device_status')[1]?.fields).toEqual({ up: 0, reason: 'status interface uplink0 oper down' });
  });

  it('polls a wifi controller that speaks SNMP the same way, with its tech from the inventory', async () => {
    const a = await agent({ interfaces: 1 });
    const { c } = collectorFor([snmpDevice('wlc-1', v2(a.port), { tech: 'wifi', site: 'parc' })]);
    const sink = new RecordingSink();
    await poll(c, sink);
    expect(sink.of('device_status')[0]?.tags).toEqual({ device: 'wlc-1', site: 'parc', area: 'area-1', tech: 'wifi', source: 'snmp' });
    expect(sink.of('interface')[0]?.tags['tech']).toBe('wifi');
  });

  it('writes nothing for a poll that could not finish because the cycle was aborted', async () => {
    const slow = await agent({ interfaces: 1, mode: 'slow', delayMs: 1500 });
    const { c, metrics } = collectorFor([snmpDevice('slow', v2(slow.port))], { timeoutMs: 3000, retries: 0 });
    const sink = new RecordingSink();
    const ac = new AbortController();
    const cycle = c.poll(sink, ac.signal);
    // the first heartbeat is written before the device is polled; then the request goes out and
    // the agent holds its answer 1500 ms: abort 200 ms into that
    await waitFor('the first heartbeat', () => sink.points.length === 1, 4000, 10);
    await new Promise((r) => setTimeout(r, 200));
    ac.abort(new Error('shutting down'));
    await cycle;
    // only the collector's own heartbeat (it did start polling; intervalS 60 -> heartbeatS 10); nothing about the device
    expect(sink.points.map((p) => [p.measurement, p.fields])).toEqual([['collector_status', { connected: 1, heartbeat_s: 10 }]]);
    expect(c.lastCycle).toMatchObject({ devices: 1, up: 0, down: 0, unreadable: 0, notRun: 1 });
    const byReason = Object.fromEntries(((await metrics.getSingleMetric('netatlas_snmp_polls_not_run_total')?.get())?.values ?? []).map((v) => [v.labels['reason'], v.value]));
    expect(byReason).toEqual({ aborted: 1 });
  });

  it('records no down for a silent device whose poll was in flight, nor for one still waiting for a slot, when the cycle aborts', async () => {
    const inFlight = await agent({ mode: 'silent' });
    const queued = await agent({ mode: 'silent' });
    const { c, metrics } = collectorFor([snmpDevice('in-flight', v2(inFlight.port)), snmpDevice('queued', v2(queued.port))], { timeoutMs: 5000, retries: 0, concurrency: 1 });
    const sink = new RecordingSink();
    const ac = new AbortController();
    const cycle = c.poll(sink, ac.signal);
    await waitFor('the first request to reach the silent agent', () => inFlight.rawRequests + queued.rawRequests === 1, 4000, 10);
    ac.abort(new Error('cycle timed out'));
    await cycle;
    // only the collector's own heartbeat (it did start polling); nothing about either device
    expect(sink.points.map((p) => [p.measurement, p.fields])).toEqual([['collector_status', { connected: 1, heartbeat_s: 10 }]]);
    expect(inFlight.rawRequests + queued.rawRequests).toBe(1);
    expect(c.lastCycle).toMatchObject({ devices: 2, up: 0, down: 0, notRun: 2 });
    const byReason = Object.fromEntries(((await metrics.getSingleMetric('netatlas_snmp_polls_not_run_total')?.get())?.values ?? []).map((v) => [v.labels['reason'], v.value]));
    expect(byReason).toEqual({ aborted: 1, 'aborted-before-start': 1 });
  });

  it('keeps at most `concurrency` polls in flight: 4 silent devices, 2 at a time, take two timeouts', async () => {
    const silent = await Promise.all([0, 1, 2, 3].map(() => agent({ mode: 'silent' })));
    const { c } = collectorFor(silent.map((a, i) => snmpDevice(`mute-${i}`, v2(a.port))), { timeoutMs: 400, retries: 0, concurrency: 2 });
    const requests = (): number[] => silent.map((a) => a.rawRequests);
    const cycle = poll(c, new RecordingSink());
    await waitFor('the first two requests', () => requests().filter((n) => n > 0).length === 2, 4000, 5);
    // the first two devices (inventory order) hold both slots; the others wait for one
    expect(requests()).toEqual([1, 1, 0, 0]);
    await cycle;
    expect(requests()).toEqual([1, 1, 1, 1]);
    // two rounds of one 400 ms timeout each: at least 2 x 400 = 800 ms, well under 4 x 400 = 1600 ms (one at a time)
    expect(c.lastCycle).toMatchObject({ devices: 4, down: 4, notRun: 0 });
    expect(c.lastCycle?.durationMs).toBeGreaterThanOrEqual(800);
    expect(c.lastCycle?.durationMs).toBeLessThan(1600);
  });

  it('publishes per-device poll duration and success', async () => {
    const a = await agent({ interfaces: 1 });
    const silent = await agent({ mode: 'silent' });
    const { c, metrics } = collectorFor([snmpDevice('ok', v2(a.port)), snmpDevice('mute', v2(silent.port))]);
    await poll(c, new RecordingSink());
    const text = await metrics.metrics();
    expect(text).toMatch(/netatlas_snmp_poll_success\{device="ok"\} 1/);
    expect(text).toMatch(/netatlas_snmp_poll_success\{device="mute"\} 0/);
    const mute = Number(/netatlas_snmp_poll_duration_seconds\{device="mute"\} ([\d.]+)/.exec(text)?.[1]);
    expect(mute).toBeGreaterThanOrEqual(0.55); // 2 tries x 300 ms
    expect(mute).toBeLessThan(1.5);
  });
});
