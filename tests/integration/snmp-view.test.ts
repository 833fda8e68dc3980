/**
 * An agent that answers but whose MIB view hides what we poll is unreadable (unknown with its
 * reason), not down and not up: a private snmpd whose communities see only part of the MIB
 * (tests/helpers/snmp-restricted-agent.ts), and simulated agents (sim/snmp-agent.ts `hide`) that
 * leave the system group or the interface tables out of their MIB; the collector writes
 * `unreadable=1, reason="view: …"` and no `up`, logs it once, counts it in
 * netatlas_snmp_unreadable_devices, and says so again when the device becomes readable.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SnmpCollector } from '../../collectors/snmp/collector.js';
import { createMetricsRegistry } from '../../core/self-metrics.js';
import type { SimAgent } from '../../sim/snmp-agent.js';
import { SimAgent as Agent } from '../../sim/snmp-agent.js';
import { RecordingSink, captureLogger, snmpConfig, snmpDevice, staticInventory, v2 } from '../helpers/snmp-fixtures.js';
import { startAgent } from '../helpers/snmp-sim.js';
import { startRestrictedSnmpd } from '../helpers/snmp-restricted-agent.js';
import { intervalSOf } from '../../server/status/intervals.js';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => { for (const c of cleanup.splice(0).reverse()) await c(); });

async function agent(o: Parameters<typeof startAgent>[0]): Promise<SimAgent> {
  const a = await startAgent(o);
  cleanup.push(() => a.close());
  return a;
}

function collectorFor(ports: Record<string, number | [number, string]>) {
  const cap = captureLogger();
  const metrics = createMetricsRegistry({ defaultMetrics: false });
  const devices = Object.entries(ports).map(([id, p]) => snmpDevice(id, typeof p === 'number' ? v2(p) : v2(p[0], p[1])));
  const c = new SnmpCollector(snmpConfig({ timeoutMs: 500, retries: 0, optical: false }), { intervalSOf, inventory: staticInventory(devices), metrics, log: cap.log });
  cleanup.push(() => c.close());
  return { c, cap, metrics };
}

const poll = (c: SnmpCollector, sink: RecordingSink) => c.poll(sink, new AbortController().signal);

describe('snmpd with restricted views', () => {
  it('writes unreadable for a community that sees no interfaces or no sysUpTime, and down for a community snmpd does not know', async () => {
    const snmpd = await startRestrictedSnmpd();
    cleanup.push(() => snmpd.close());
    const { c } = collectorFor({ sysonly: [snmpd.port, 'sysonly'], ifonly: [snmpd.port, 'ifonly'], none: [snmpd.port, 'none'], unknown: [snmpd.port, 'public'] });
    const sink = new RecordingSink();
    await poll(c, sink);
    const status = (id: string) => sink.of('device_status', id).map((p) => p.fields);
    expect(status('sysonly')).toEqual([{ unreadable: 1, reason: 'view: ifTable empty although the agent answers sysUpTime: its MIB view hides the interfaces' }]);
    // GETNEXT from sysUpTime lands on the first object of the interfaces group, ifNumber.0
    expect(status('ifonly')).toEqual([{ unreadable: 1, reason: 'view: sysUpTime.0 not readable (the next readable object is 1.3.6.1.2.1.2.1.0): the agent answers but its MIB view hides the system group' }]);
    expect(status('none')).toEqual([{ unreadable: 1, reason: 'view: sysUpTime.0 not readable (endOfMibView): the agent answers but its MIB view hides the system group' }]);
    // snmpd drops a request with a community it does not know, without a reply: no answer, down
    expect(status('unknown')).toEqual([{ up: 0, reason: 'timeout: no answer' }]);
    expect(c.lastCycle).toMatchObject({ devices: 4, up: 0, down: 1, unreadable: 3 });
  });
});

describe('SNMP agents whose MIB view hides what we poll', () => {
  it('writes unreadable with a view reason, never up or down, for a hidden interface table or a hidden sysUpTime', async () => {
    const noIf = await agent({ interfaces: 4, hide: ['interfaces'] });
    const noSys = await agent({ interfaces: 4, hide: ['system'] });
    const nothing = await agent({ interfaces: 4, hide: ['system', 'interfaces'] });
    const fine = await agent({ interfaces: 4 });
    const { c, metrics } = collectorFor({ 'no-if': noIf.port, 'no-sys': noSys.port, nothing: nothing.port, fine: fine.port });
    const sink = new RecordingSink();
    await poll(c, sink);
    const status = (id: string) => sink.of('device_status', id).map((p) => p.fields);
    expect(status('no-if')).toEqual([{ unreadable: 1, reason: 'view: ifTable empty although the agent answers sysUpTime: its MIB view hides the interfaces' }]);
    // GETNEXT from sysUpTime skips to the first object the agent has: ifIndex.1 of ifTable
    expect(status('no-sys')).toEqual([{ unreadable: 1, reason: 'view: sysUpTime.0 not readable (the next readable object is 1.3.6.1.2.1.2.2.1.1.1): the agent answers but its MIB view hides the system group' }]);
    // with nothing after it, net-snmp's Agent answers the non-repeater with noSuchObject (snmpd: endOfMibView)
    expect(status('nothing')).toEqual([{ unreadable: 1, reason: 'view: sysUpTime.0 not readable (noSuchObject): the agent answers but its MIB view hides the system group' }]);
    expect(status('fine')).toMatchObject([{ up: 1 }]);
    // what could be read is still stored: the sysUpTime of the agent without interfaces
    expect(sink.of('snmp', 'no-if')).toHaveLength(1);
    expect(sink.of('interface', 'no-if')).toHaveLength(0);
    expect(c.lastCycle).toMatchObject({ devices: 4, up: 1, down: 0, unreadable: 3, notRun: 0 });
    expect(await metrics.metrics()).toMatch(/^netatlas_snmp_unreadable_devices 3$/m);
  });

  it('logs an unreadable device once while its reason stays, and again when it is readable', async () => {
    const hidden = await agent({ interfaces: 2, hide: ['interfaces'] });
    const { c, cap, metrics } = collectorFor({ 'olt-7': hidden.port });
    const sink = new RecordingSink();
    await poll(c, sink);
    await poll(c, sink);
    const about = () => cap.lines().filter((l) => l['device'] === 'olt-7' && (l['level'] as number) >= 30).map((l) => l['msg']);
    const agentName = `127.0.0.1:${hidden.port}`;
    expect(about()).toEqual([
      `device olt-7 (${agentName}) unreadable: view: ifTable empty although the agent answers sysUpTime: its MIB view hides the interfaces; counted as unknown, not down: check its credentials and the agent's view`,
    ]);
    // the operator fixes the view: the same port now serves the interfaces
    await hidden.close();
    const fixed = await Agent.start({ port: hidden.port, interfaces: 2 });
    cleanup.push(() => fixed.close());
    await poll(c, sink);
    expect(sink.of('device_status', 'olt-7').map((p) => 'unreadable' in p.fields ? 'unreadable' : p.fields['up'])).toEqual(['unreadable', 'unreadable', 1]);
    expect(about().at(-1)).toBe(`device olt-7 (${agentName}) readable again (up)`);
    expect(await metrics.metrics()).toMatch(/^netatlas_snmp_unreadable_devices 0$/m);
  });
});
