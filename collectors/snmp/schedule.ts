/**
 * When each device is polled. The runner ticks every `collectors.snmp.intervalS`; a device is
 * polled every tick unless it has a longer interval: the inventory's per-device `intervalS`, else
 * its group's `intervalS`, else the collector's. Which of these applies is decided by
 * server/status/intervals.ts (`intervalSOf`, handed in by the composition root through the
 * collector context), the same function that gives the analytics a device's effective interval,
 * so the schedule and "up holds 2.5 intervals" cannot disagree.
 *
 * Every interval must be a positive multiple of the collector's: groups are checked by the config
 * schema, inventory devices by checkInventoryIntervals() at start-up (the inventory is not part of
 * the config file). A device that arrives later with a bad interval (inventory reloaded) is logged
 * and polled at the next multiple up (at least every tick): the schedule cannot honour it.
 */
import type { Device } from '../../core/device.js';
import type { DefaultIntervals, EffectiveIntervalOf } from '../../core/intervals.js';
import type { SnmpConfig } from './config.js';
import { settingsResolver } from './filters.js';

/**
 * The SNMP group interval of a device (`groups[].intervalS` of the first group that matches it),
 * undefined when its group sets none: what DefaultIntervals.snmpGroupS expects.
 */
export function snmpIntervalOf(cfg: SnmpConfig): (device: Device) => number | undefined {
  const settingsOf = settingsResolver(cfg);
  return (d) => settingsOf(d).groupIntervalS;
}

/** The intervals server/status would use for SNMP devices under this config. */
export function snmpIntervals(cfg: SnmpConfig): DefaultIntervals {
  // wifiS is not used for devices with an snmp block (they are all the SNMP collector's).
  return { fibreS: cfg.intervalS, wifiS: cfg.intervalS, snmpGroupS: snmpIntervalOf(cfg) };
}

function isMultiple(intervalS: number, baseS: number): boolean {
  return intervalS >= baseS && intervalS % baseS === 0;
}

/** The error for a device whose inventory intervalS the collector cannot schedule, else undefined. */
export function inventoryIntervalError(cfg: Pick<SnmpConfig, 'intervalS'>, d: Pick<Device, 'id' | 'intervalS' | 'snmp'>): string | undefined {
  if (d.snmp === undefined || d.intervalS === undefined || isMultiple(d.intervalS, cfg.intervalS)) return undefined;
  return `inventory device "${d.id}": intervalS ${d.intervalS} must be a multiple of collectors.snmp.intervalS (${cfg.intervalS})`;
}

/**
 * One line per inventory device with an `snmp` block whose `intervalS` is not a positive multiple
 * of the collector's: start-up must refuse such an inventory before any poll. Empty when the
 * collector is disabled (nothing is scheduled then).
 */
export function checkInventoryIntervals(cfg: Pick<SnmpConfig, 'intervalS' | 'enabled'>, devices: Iterable<Pick<Device, 'id' | 'intervalS' | 'snmp'>>): string[] {
  if (!cfg.enabled) return [];
  const errors: string[] = [];
  for (const d of devices) {
    const e = inventoryIntervalError(cfg, d);
    if (e) errors.push(e);
  }
  return errors;
}

/** Which devices a cycle polls, and when each was last polled. */
export class PollSchedule {
  private readonly intervals: DefaultIntervals;
  /** device id -> start of the cycle that last polled it (epoch ms) */
  private readonly last = new Map<string, number>();

  constructor(private readonly cfg: SnmpConfig, private readonly effectiveIntervalS: EffectiveIntervalOf) {
    this.intervals = snmpIntervals(cfg);
  }

  /** the interval a device is polled at (seconds): its effective interval, or the next multiple of a tick up */
  intervalSOf(d: Device): number {
    const tick = this.cfg.intervalS;
    return Math.max(1, Math.ceil(this.effectiveIntervalS(d, this.intervals) / tick)) * tick;
  }

  /**
   * Due in the cycle that starts at `cycleStart`: never polled, or its interval has passed. Cron
   * ticks jitter by a few ms, so half a tick of slack keeps "every 2nd tick" from becoming every 3rd.
   */
  isDue(d: Device, cycleStart: number): boolean {
    const last = this.last.get(d.id);
    const s = this.intervalSOf(d);
    return last === undefined || s === this.cfg.intervalS || cycleStart - last >= (s - this.cfg.intervalS / 2) * 1000;
  }

  /**
   * The devices due in the cycle of `cycleStart`, the longest-waiting first (never polled, then by
   * the cycle that last polled them). The cycle starts polls in this order, `concurrency` at a
   * time, so when a cycle is cut by its timeout the devices it did not reach lead the next one: a network too large for
   * one interval is polled round-robin, never the same head of the list over and over.
   */
  due(devices: readonly Device[], cycleStart: number): Device[] {
    // never polled sorts first (-1); the sort is stable, so ties keep the inventory order
    const last = (d: Device): number => this.last.get(d.id) ?? -1;
    return devices.filter((d) => this.isDue(d, cycleStart)).sort((a, b) => last(a) - last(b));
  }

  /** Records a poll that started in the cycle of `cycleStart` (the cycle's start, not the poll's). */
  polled(id: string, cycleStart: number): void {
    this.last.set(id, cycleStart);
  }

  forget(id: string): void {
    this.last.delete(id);
  }
}
