/**
 * The SNMP poll schedule: which inventory intervals start-up refuses, the group interval handed to
 * server/status, that the schedule and server/status's effective interval are the same number,
 * and when a device with a longer interval is due (hand-computed instants).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { snmpConfigSchema } from '../../collectors/snmp/config.js';
import { checkInventoryIntervals, snmpIntervalOf } from '../../collectors/snmp/index.js';
import { PollSchedule } from '../../collectors/snmp/schedule.js';
import { intervalMsOf } from '../../server/status/intervals.js';
import { snmpDevice, v2 } from '../helpers/snmp-fixtures.js';
import { intervalSOf } from '../../server/status/intervals.js';

const sample = snmpConfigSchema.parse(parse(readFileSync(fileURLToPath(new URL('../../collectors/snmp/sample.yaml', import.meta.url)), 'utf8')));

describe('checkInventoryIntervals', () => {
  const devices = [
    snmpDevice('olt-1', v2(161), { intervalS: 10 }),
    snmpDevice('olt-2', v2(161), { intervalS: 120 }),
    snmpDevice('olt-3', v2(161), { intervalS: 90 }),
    snmpDevice('olt-4', v2(161)),
    // an AP without an snmp block reports over MQTT: its intervalS is the telemetry interval
    { ...snmpDevice('ap-1', v2(161), { tech: 'wifi', intervalS: 10 }), snmp: undefined },
  ];

  it('names each SNMP device whose intervalS is not a positive multiple of the collector intervalS, and the field', () => {
    expect(checkInventoryIntervals(snmpConfigSchema.parse({ intervalS: 60 }), devices)).toEqual([
      'inventory device "olt-1": intervalS 10 must be a multiple of collectors.snmp.intervalS (60)',
      'inventory device "olt-3": intervalS 90 must be a multiple of collectors.snmp.intervalS (60)',
    ]);
    // with a 10 s collector every one of them is a multiple (10 = 1 x 10, 120 = 12 x 10, 90 = 9 x 10)
    expect(checkInventoryIntervals(snmpConfigSchema.parse({ intervalS: 10 }), devices)).toEqual([]);
  });

  it('checks nothing when the SNMP collector is disabled (it schedules nothing)', () => {
    expect(checkInventoryIntervals(snmpConfigSchema.parse({ enabled: false }), devices)).toEqual([]);
  });
});

describe('snmpIntervalOf and server/status', () => {
  const of = snmpIntervalOf(sample);

  it('gives the interval of a device\'s group when the group sets one, else undefined', () => {
    expect(of(snmpDevice('wlc-1', v2(161), { tech: 'wifi' }))).toBe(300);
    expect(of(snmpDevice('olt-3', v2(161)))).toBeUndefined();
    expect(of(snmpDevice('agg-1', v2(161)))).toBeUndefined();
  });

  it('agrees with server/status intervalMsOf for every kind of device: the schedule is the effective interval', () => {
    const schedule = new PollSchedule(sample, intervalSOf);
    const intervals = { fibreS: sample.intervalS, wifiS: 30, snmpGroupS: of };
    const cases: Array<[ReturnType<typeof snmpDevice>, number]> = [
      [snmpDevice('agg-1', v2(161)), 60], // no group interval, no device interval: the collector's
      [snmpDevice('wlc-1', v2(161), { tech: 'wifi' }), 300], // group wifi-controllers
      [snmpDevice('wlc-2', v2(161), { tech: 'wifi', intervalS: 120 }), 120], // the device's own wins over its group's
      [snmpDevice('olt-5', v2(161), { intervalS: 180 }), 180],
    ];
    for (const [d, s] of cases) {
      expect(schedule.intervalSOf(d)).toBe(s);
      expect(intervalMsOf(d, intervals)).toBe(s * 1000);
    }
  });
});

describe('PollSchedule', () => {
  it('polls a 120 s device every 2nd 60 s tick and a 300 s group every 5th, despite a few ms of cron jitter', () => {
    const s = new PollSchedule(sample, intervalSOf);
    const plain = snmpDevice('agg-1', v2(161));
    const twice = snmpDevice('olt-9', v2(161), { intervalS: 120 });
    const group = snmpDevice('wlc-1', v2(161), { tech: 'wifi' });
    const t0 = 1_800_000_000_000;
    // ticks at t0 + k x 60 s, each 3 ms late except the first
    const ticks = [0, 1, 2, 3, 4, 5, 6].map((k) => t0 + k * 60_000 + (k ? 3 : 0));
    const polled: Record<string, number[]> = { plain: [], twice: [], group: [] };
    ticks.forEach((t, k) => {
      for (const [name, d] of [['plain', plain], ['twice', twice], ['group', group]] as const) {
        if (s.isDue(d, t)) { s.polled(d.id, t); polled[name]!.push(k); }
      }
    });
    // due when (now - last) >= interval - 30 s: 120 s -> after 90 s (ticks 0, 2, 4, 6); 300 s -> after 270 s (ticks 0, 5)
    expect(polled).toEqual({ plain: [0, 1, 2, 3, 4, 5, 6], twice: [0, 2, 4, 6], group: [0, 5] });
  });

  it('polls a device a reloaded inventory gave an unschedulable interval at the next multiple up', () => {
    const s = new PollSchedule(snmpConfigSchema.parse({ intervalS: 60 }), intervalSOf);
    expect(s.intervalSOf(snmpDevice('olt-1', v2(161), { intervalS: 90 }))).toBe(120); // ceil(90 / 60) = 2 ticks
    expect(s.intervalSOf(snmpDevice('olt-2', v2(161), { intervalS: 10 }))).toBe(60); // at least every tick
  });

  it('leads each cycle with the devices the last cut cycle did not reach, so a network too large for one interval is polled round-robin', () => {
    const s = new PollSchedule(snmpConfigSchema.parse({ intervalS: 15 }), intervalSOf);
    const devices = ['a', 'b', 'c', 'd', 'e'].map((id) => snmpDevice(id, v2(161)));
    const t0 = 1_800_000_000_000;
    // each cycle is cut after 2 polls (the collector starts polls in the order given)
    const order: string[][] = [];
    for (let k = 0; k < 4; k++) {
      const t = t0 + k * 15_000;
      const due = s.due(devices, t).map((d) => d.id);
      order.push(due);
      for (const id of due.slice(0, 2)) s.polled(id, t);
    }
    // cycle 0: all never polled, inventory order; a, b polled at t0
    // cycle 1: never polled c, d, e first, then a, b (t0); c, d polled at t1
    // cycle 2: e (never), then a, b (t0), then c, d (t1); e, a polled at t2
    // cycle 3: b (t0), c, d (t1), then a and e (both t2: ties keep the inventory order)
    expect(order).toEqual([
      ['a', 'b', 'c', 'd', 'e'],
      ['c', 'd', 'e', 'a', 'b'],
      ['e', 'a', 'b', 'c', 'd'],
      ['b', 'c', 'd', 'a', 'e'],
    ]);
  });
});
