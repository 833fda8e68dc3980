/**
 * The `devices` component of /api/health: degraded while any device cannot be read for a reason
 * of ours (wrong SNMP credentials, a MIB view that hides the tables). Such a device is unknown,
 * never down (DESIGN.md "Definitions"), so nothing in the uptime figures shows it: health and the
 * device_unreadable alert are where it is raised. The current state of each device comes from
 * server/status (the live state's, else currentStates from the store), read at most once per
 * `cacheMs` because uptime checkers poll /api/health every few seconds.
 */
import type { Device } from '../../core/device.js';
import type { MetricStore } from '../store/metric-store.js';
import { currentStates, type DefaultIntervals, type DeviceState } from '../status/index.js';

export interface UnreadableDevice {
  device: string;
  /** as the collector said it, e.g. `auth: Wrong Digest` */
  reason: string;
  /** ISO time of the device's latest sample */
  lastSeen: string | null;
}

export interface DevicesHealth {
  ok: boolean;
  detail: string;
  unreadable: UnreadableDevice[];
  [extra: string]: unknown;
}

export interface DevicesHealthDeps {
  store: MetricStore;
  devices: () => readonly Device[];
  intervals: DefaultIntervals;
  now?: () => number;
  /** a reading is reused this long; default 10 s */
  cacheMs?: number;
  /**
   * The current states kept in memory (the live state, server/status/live-state.ts), or undefined
   * when it does not have them yet: then they are read from the store. The store read is a
   * synchronous scan on SQLite, which a health check must not wait for when memory has the answer.
   */
  states?: (devices: readonly Device[], at: number) => Map<string, DeviceState> | undefined;
}

/** at most this many devices are named in `detail` (all are in `unreadable`) */
const NAMED = 10;
const PREFIX = 'unreadable: ';

export function devicesHealth(deps: DevicesHealthDeps): () => Promise<DevicesHealth> {
  const now = deps.now ?? Date.now;
  const cacheMs = deps.cacheMs ?? 10_000;
  let cached: { at: number; value: Promise<DevicesHealth> } | undefined;
  const read = async (at: number): Promise<DevicesHealth> => {
    const devices = deps.devices();
    const states = deps.states?.(devices, at) ?? await currentStates(deps.store, devices, at, deps.intervals);
    const unreadable: UnreadableDevice[] = [];
    for (const [device, s] of states) {
      if (s.status !== 'unknown' || !s.reason?.startsWith(PREFIX)) continue;
      unreadable.push({ device, reason: s.reason.slice(PREFIX.length), lastSeen: s.lastSeen === null ? null : new Date(s.lastSeen).toISOString() });
    }
    unreadable.sort((a, b) => a.device.localeCompare(b.device));
    if (unreadable.length === 0) return { ok: true, detail: `${states.size} devices, none unreadable`, unreadable };
    const named = unreadable.slice(0, NAMED).map((u) => `${u.device} (${u.reason})`).join(', ');
    const more = unreadable.length > NAMED ? ` and ${unreadable.length - NAMED} more` : '';
    const n = unreadable.length;
    return {
      ok: false,
      detail: `${n} device${n === 1 ? '' : 's'} cannot be read (status unknown, not down; check credentials or access): ${named}${more}`,
      unreadable,
    };
  };
  return () => {
    const at = now();
    if (!cached || at - cached.at >= cacheMs || at < cached.at) {
      const value = read(at);
      // a failed read is not kept: the next call tries again
      value.catch(() => { if (cached?.value === value) cached = undefined; });
      cached = { at, value };
    }
    return cached.value;
  };
}
