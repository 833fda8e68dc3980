/**
 * The reads the routes make of device state, from the live state (server/status/live-state.ts)
 * when the service has one that covers the window, else from the store. Both paths give the same
 * answers (tests/scenarios/live-state.test.ts); the store path is what tests and a service still
 * restoring its live state use.
 */
import type { Device } from '../../core/device.js';
import { currentStates, windowIncidents, type DeviceState, type Incident } from '../status/index.js';
import type { ApiDeps } from './deps.js';
import { deviceKnownTimes, deviceUptimes, type DeviceKnownTimes, type DeviceUptimes } from '../status/device-uptimes.js';

/** Current state of each device at `now`. */
export async function statesOf(deps: ApiDeps, devices: readonly Device[], now: number): Promise<Map<string, DeviceState>> {
  if (deps.live?.covers(devices, now)) return deps.live.states(devices, now);
  return currentStates(deps.store, devices, now, deps.intervals);
}

/** Each device's uptime over [from, to), rolled hours from the hourly rollups. */
export async function uptimesOf(deps: ApiDeps, devices: readonly Device[], from: number, to: number, now: number): Promise<DeviceUptimes> {
  if (deps.live?.covers(devices, from)) return deps.live.uptimes(devices, from, to, now);
  return deviceUptimes(deps.store, { devices, from, to, now, intervals: deps.intervals, maintenance: deps.maintenance });
}

/** Each device's up and down time and uptime over [from, to) as uptimesOf gives them, for callers that need only ratios. */
export async function knownTimesOf(deps: ApiDeps, devices: readonly Device[], from: number, to: number, now: number): Promise<DeviceKnownTimes> {
  if (deps.live?.covers(devices, from)) return deps.live.uptimes(devices, from, to, now);
  // the store is not asked for the rolled hours' maintenance time, which a ratio does not need
  return deviceKnownTimes(deps.store, { devices, from, to, now, intervals: deps.intervals, maintenance: deps.maintenance });
}

/** The incidents of the devices over [from, to), unordered, without the APs' client counts. */
export async function incidentsOf(deps: ApiDeps, devices: readonly Device[], from: number, to: number, now: number): Promise<Incident[]> {
  // the live state keeps windows that end now (a window ending earlier is read from the store)
  if (to >= now && deps.live?.covers(devices, from)) return deps.live.incidents(devices, from, now);
  return windowIncidents(deps.store, { devices, from, to, now, intervals: deps.intervals, maintenance: deps.maintenance });
}
