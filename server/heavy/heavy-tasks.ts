/**
 * The heavy reads of device state that the API hands to its worker threads (heavy-pool.ts,
 * issue 14 item 2): long-window uptime, incidents, the APs' client impact and the hourly
 * rollups' computation (their writing stays with the rollup job). A task is plain
 * data (it crosses a thread boundary), and running one only calls server/status, which stays the
 * one owner of device state: the worker computes exactly what the API thread would have.
 */
import type { Device } from '../../core/device.js';
import type { Point } from '../../core/point.js';
import { computeRollups } from '../rollups.js';
import type { MetricStore } from '../store/metric-store.js';
import type { Span } from '../analytics/intervals.js';
import { windowIncidents, type DefaultIntervals, type Incident } from '../status/index.js';
import { deviceUptimes, type DeviceUptimes } from '../status/device-uptimes.js';
import { groupedUptimes, type GroupedUptimes, type UptimeGroupTag } from '../status/group-uptimes.js';
import { withClientImpact } from '../status/incident-impact.js';
import { firstIncidents } from '../status/first-incidents.js';
import { MaintenanceWindows } from '../maintenance/windows.js';
import type { MaintenanceWindowInput } from '../maintenance/config.js';
import { devicesOf, type DeviceRef } from './shared-devices.js';

/** A window over some devices, as server/status reads it, with the maintenance windows in force. */
export interface WindowTask {
  /** the devices by index into the shared inventory, or whole (shared-devices.ts) */
  devices: DeviceRef;
  from: number;
  to: number;
  now: number;
  intervals: DefaultIntervals;
  /** the window definitions (not their spans: a 5-year window of a daily cron is 1 825 spans a device) */
  maintenance: readonly MaintenanceWindowInput[];
}

export type HeavyTask =
  | ({ kind: 'uptimes' } & WindowTask)
  | ({ kind: 'group-uptimes'; tag: UptimeGroupTag } & WindowTask)
  | ({ kind: 'incidents'; firstN?: number | undefined } & WindowTask)
  | { kind: 'client-impact'; incidents: Incident[] }
  | ({ kind: 'rollups' } & Omit<WindowTask, 'now'>);

export interface HeavyResults {
  'uptimes': DeviceUptimes;
  'group-uptimes': GroupedUptimes | undefined;
  'incidents': Incident[];
  'client-impact': Incident[];
  'rollups': Point[];
}

/** What a worker answers: the result, or the error's name and message (a thrown error loses its class crossing threads). */
export type HeavyAnswer = { ok: true; value: HeavyResults[HeavyTask['kind']] } | { ok: false; name: string; message: string };

/** The same window definitions give the same MaintenanceWindows, so its cron cache is kept across tasks. */
let lastWindows: { key: string; windows: MaintenanceWindows } | undefined;

function maintenanceOf(list: readonly MaintenanceWindowInput[]): ((d: Device, from: number, to: number) => Span[]) | undefined {
  if (list.length === 0) return undefined;
  const key = JSON.stringify(list);
  if (lastWindows?.key !== key) lastWindows = { key, windows: new MaintenanceWindows({ configured: list }) };
  const windows = lastWindows.windows;
  return (d, from, to) => windows.spansFor(d, from, to);
}

/** Runs one task against the store (in a worker, or in this thread when there is no pool). */
export async function runHeavyTask(store: MetricStore, task: HeavyTask): Promise<HeavyResults[HeavyTask['kind']]> {
  const devices = 'devices' in task ? devicesOf(task.devices) : [];
  switch (task.kind) {
    case 'uptimes':
      return deviceUptimes(store, { devices, from: task.from, to: task.to, now: task.now, intervals: task.intervals, maintenance: maintenanceOf(task.maintenance) });
    case 'group-uptimes':
      return groupedUptimes(store, { devices, from: task.from, to: task.to, now: task.now, intervals: task.intervals, maintenance: maintenanceOf(task.maintenance) }, task.tag);
    case 'incidents': {
      const w = { devices, from: task.from, to: task.to, now: task.now, intervals: task.intervals, maintenance: maintenanceOf(task.maintenance) };
      return task.firstN === undefined ? windowIncidents(store, w) : firstIncidents(store, w, task.firstN);
    }
    case 'client-impact':
      return withClientImpact(store, task.incidents);
    case 'rollups':
      return computeRollups(store, devices, task.from, task.to, task.intervals, maintenanceOf(task.maintenance));
  }
}
