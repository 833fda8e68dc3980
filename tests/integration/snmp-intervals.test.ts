/**
 * One interval truth, against the real snmpd: an inventory device's `intervalS` schedules its polls
 * (a multiple of the collector's intervalS, here 2 x 1 s: every other tick), start-up refuses one
 * that is not a multiple, naming the device and the field, and server/status, given the group
 * intervals by snmpIntervalOf, reads the device up all the way between two of its own polls.
 * (Until issue 11 the collector polled every device at its own interval whatever the inventory
 * said, so a device with `intervalS: 10` under a 60 s collector read unknown 25 s after each poll.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SnmpCollector } from '../../collectors/snmp/collector.js';
import { checkInventoryIntervals, snmpDefinition, snmpIntervalOf } from '../../collectors/snmp/index.js';
import type { Device } from '../../core/device.js';
import { silentLogger } from '../../core/log.js';
import { createMetricsRegistry } from '../../core/self-metrics.js';
import { rawUptimes } from '../../server/status/index.js';
import { SqliteStore } from '../../server/store/sqlite-store.js';
import { services } from '../helpers/services.js';
import { requireSnmpAgent, snmpConfig, snmpDevice, staticInventory, v2 } from '../helpers/snmp-fixtures.js';
import { intervalSOf } from '../../server/status/intervals.js';

const snmpd = () => v2(services.snmpPort, services.snmpCommunity, services.snmpHost);
const sleepUntil = (t: number) => new Promise((r) => setTimeout(r, Math.max(0, t - Date.now())));

describe('SNMP per-device intervals against snmpd', () => {
  const cfg = snmpConfig({ intervalS: 1, timeoutMs: 400, retries: 0, optical: false });
  const devices: Device[] = [snmpDevice('every-tick', snmpd()), snmpDevice('every-other', snmpd(), { intervalS: 2 })];
  let dataDir: string;
  let store: SqliteStore;
  let collector: SnmpCollector;
  const ticks: number[] = [];

  beforeAll(async () => {
    await requireSnmpAgent(snmpd());
    // what start-up checks before any poll: nothing to refuse here
    expect(checkInventoryIntervals(cfg, devices)).toEqual([]);
    dataDir = mkdtempSync(path.join(tmpdir(), 'netatlas-snmp-intervals-'));
    store = new SqliteStore({ dataDir });
    await store.init();
    collector = new SnmpCollector(cfg, { intervalSOf, inventory: staticInventory(devices), metrics: createMetricsRegistry({ defaultMetrics: false }), instance: 'snmp-intervals-test' });
    // 4 ticks 1 s apart, as the runner would run them (intervalS 1)
    const t0 = Date.now();
    for (let k = 0; k < 4; k++) {
      await sleepUntil(t0 + k * 1000);
      ticks.push(Date.now());
      await collector.poll(store, new AbortController().signal);
    }
    await collector.close();
  }, 20_000);
  afterAll(async () => {
    await store?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const samplesOf = async (id: string) => store.statusSamples({ from: ticks[0]! - 1000, to: Date.now() + 1, devices: [id] });

  it('polls a device with intervalS 2 every other 1 s tick, and the others every tick', async () => {
    // ticks 0, 1, 2, 3: a 2 s device is due when >= 2 - 0.5 = 1.5 s passed since its last poll,
    // so at ticks 0 and 2 (2 polls); the collector's own interval, every tick (4 polls)
    const everyTick = await samplesOf('every-tick');
    const everyOther = await samplesOf('every-other');
    expect(everyTick.map((s) => s.up)).toEqual([true, true, true, true]);
    expect(everyOther.map((s) => s.up)).toEqual([true, true]);
    expect(everyOther[0]!.time).toBeLessThan(ticks[1]!);
    expect(everyOther[1]!.time).toBeGreaterThanOrEqual(ticks[2]!);
    expect(everyOther[1]!.time).toBeLessThan(ticks[3]!);
  });

  it('is read up all the way between its own polls by server/status (its effective interval is 2 s)', async () => {
    const [a, b] = await samplesOf('every-other');
    // [first poll, second poll + 2 s): the second poll is 2 s (one interval) after the first;
    // up holds 2.5 x 2 s = 5 s after each, so the whole 4 s window is up and none of it unknown
    const from = a!.time, to = b!.time + 2000;
    const intervals = { fibreS: cfg.intervalS, wifiS: 60, snmpGroupS: snmpIntervalOf(cfg) };
    // no collector gaps: the collector was closed after the 4th tick, inside this window, and the
    // time after its connected=0 is unknown by design (snmp-collector-status.test.ts)
    const u = await rawUptimes(store, { devices, from, to, now: to, intervals, collectorDown: new Map() });
    expect(u.get('every-other')).toMatchObject({ up_ms: to - from, down_ms: 0, unknown_ms: 0, uptime: 1 });
  });

  it('refuses at start-up a device whose intervalS is not a multiple of the collector intervalS, naming the device and the field', () => {
    const two = snmpConfig({ intervalS: 2 });
    const withOdd = [...devices, snmpDevice('olt-odd', snmpd(), { intervalS: 3 })];
    expect(checkInventoryIntervals(two, withOdd)).toEqual([
      'inventory device "olt-odd": intervalS 3 must be a multiple of collectors.snmp.intervalS (2)',
    ]);
    // creating the collector as netatlas does (the registry) refuses it too, before any poll
    const ctx = { intervalSOf, inventory: staticInventory(withOdd), metrics: createMetricsRegistry({ defaultMetrics: false }), log: silentLogger, dataDir: tmpdir() };
    expect(() => snmpDefinition.create(two, ctx)).toThrow('SNMP collector: 1 inventory device interval(s) it cannot schedule:\n  inventory device "olt-odd": intervalS 3 must be a multiple of collectors.snmp.intervalS (2)');
  });
});
