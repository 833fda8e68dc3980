/**
 * Scale: 2000 simulated devices of 8 interfaces each (simulator in its own process) polled in one
 * cycle by one collector, every device up with all its interfaces.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SnmpCollector } from '../../collectors/snmp/collector.js';
import type { Sink } from '../../collectors/types.js';
import { createMetricsRegistry } from '../../core/self-metrics.js';
import type { Point } from '../../core/point.js';
import { snmpConfig, snmpDevice, staticInventory, v2 } from '../helpers/snmp-fixtures.js';
import { startSimProcess, type SimProcess } from '../helpers/snmp-sim-process.js';
import { intervalSOf } from '../../server/status/intervals.js';

const DEVICES = 2000;
const INTERFACES = 8;

/** keeps counts, not points: 20 000 points per cycle need not sit in the test's memory */
class CountingSink implements Sink {
  readonly byMeasurement = new Map<string, number>();
  readonly upDevices = new Set<string>();
  readonly interfacesPerDevice = new Map<string, number>();
  async write(points: readonly Point[]): Promise<void> {
    for (const p of points) {
      this.byMeasurement.set(p.measurement, (this.byMeasurement.get(p.measurement) ?? 0) + 1);
      const d = p.tags['device'] ?? '';
      if (p.measurement === 'device_status' && p.fields['up'] === 1) this.upDevices.add(d);
      if (p.measurement === 'interface') this.interfacesPerDevice.set(d, (this.interfacesPerDevice.get(d) ?? 0) + 1);
    }
  }
}

describe(`${DEVICES} simulated devices x ${INTERFACES} interfaces`, () => {
  let sim: SimProcess;
  beforeAll(async () => { sim = await startSimProcess({ count: DEVICES, interfaces: INTERFACES }); }, 120_000);
  afterAll(async () => { await sim?.stop(); });

  it('are all polled in one cycle, each up with all its interfaces', async () => {
    const devices = Array.from({ length: DEVICES }, (_, i) => snmpDevice(`sim-${i}`, v2(sim.basePort + i)));
    const c = new SnmpCollector(snmpConfig({ timeoutMs: 5000, retries: 1, optical: false }), {
      intervalSOf, inventory: staticInventory(devices), metrics: createMetricsRegistry({ defaultMetrics: false }),
    });
    const sink = new CountingSink();
    const ac = new AbortController();
    const guard = setTimeout(() => ac.abort(new Error('cycle over 100 s')), 100_000);
    await c.poll(sink, ac.signal);
    clearTimeout(guard);
    await c.close();
    expect(c.lastCycle).toMatchObject({ devices: DEVICES, up: DEVICES, down: 0, notRun: 0 });
    expect(sink.upDevices.size).toBe(DEVICES);
    expect(sink.byMeasurement.get('interface')).toBe(DEVICES * INTERFACES);
    expect([...sink.interfacesPerDevice.values()].every((n) => n === INTERFACES)).toBe(true);
    expect(sink.byMeasurement.get('snmp')).toBe(DEVICES);
    console.log(`scale: ${DEVICES} devices x ${INTERFACES} interfaces polled in ${c.lastCycle?.durationMs} ms`);
  }, 150_000);
});
