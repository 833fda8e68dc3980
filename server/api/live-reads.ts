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
import { groupedUptimes, type GroupedUptimes, type UptimeGroupTag } from '../status/group-uptimes.js';
import { firstIncidents } from '../status/first-incidents.js';
import { withClientImpact } from '../status/incident-impact.js';

/** Current state of each device at `now`. */
export async function statesOf(deps: ApiDeps, devices: readonly Device[], now: number): Promise<Map<string, DeviceState>> {
  if (deps.live?.covers(devices, now)) return deps.live.states(devices, now);
  return currentStates(deps.store, devices, now, deps.intervals);
}

/** Each device's uptime over [from, to), rolled hours from the hourly rollups. */
export async function uptimesOf(deps: ApiDeps, devices: readonly Device[], from: number, to: number, now: number): Promise<DeviceUptimes> {
  if (deps.live?.covers(devices, from)) return deps.live.uptimes(devices, from, to, now);
  // a long window reads samples and cuts timelines for seconds: in the heavy workers when there are
  if (deps.heavy) return deps.heavy.uptimes({ devices, from, to, now, intervals: deps.intervals });
  return deviceUptimes(deps.store, { devices, from, to, now, intervals: deps.intervals, maintenance: deps.maintenance });
}

/**
 * The devices' times per area, site or technology over [from, to) with the rolled hours summed by
 * the store per group (status/group-uptimes.ts); undefined when the caller must sum uptimesOf's
 * per-device results instead: the live state covers the window (it holds them per device in
 * memory already), or the group sums could not be proved equal to them.
 */
export async function groupedUptimesOf(deps: ApiDeps, devices: readonly Device[], tag: UptimeGroupTag, from: number, to: number, now: number): Promise<GroupedUptimes | undefined> {
  if (deps.live?.covers(devices, from)) return undefined;
  if (deps.heavy) return deps.heavy.groupedUptimes({ devices, from, to, now, intervals: deps.intervals, tag });
  return groupedUptimes(deps.store, { devices, from, to, now, intervals: deps.intervals, maintenance: deps.maintenance }, tag);
}

/** Each device's up and down time and uptime over [from, to) as uptimesOf gives them, for callers that need only ratios. */
export async function knownTimesOf(deps: ApiDeps, devices: readonly Device[], from: number, to: number, now: number): Promise<DeviceKnownTimes> {
  if (deps.live?.covers(devices, from)) return deps.live.uptimes(devices, from, to, now);
  if (deps.heavy) return deps.heavy.uptimes({ devices, from, to, now, intervals: deps.intervals });
  // the store is not asked for the rolled hours' maintenance time, which a ratio does not need
  return deviceKnownTimes(deps.store, { devices, from, to, now, intervals: deps.intervals, maintenance: deps.maintenance });
}

/**
 * The incidents of the devices over [from, to), unordered, without the APs' client counts.
 * `firstN`: only the first N by (start, device) are wanted; then at least those are returned,
 * complete, and the window is read only as far as they need (status/first-incidents.ts).
 */
export async function incidentsOf(deps: ApiDeps, devices: readonly Device[], from: number, to: number, now: number, firstN?: number): Promise<Incident[]> {
  // the live state keeps windows that end now (a window ending earlier is read from the store)
  if (to >= now && deps.live?.covers(devices, from)) return deps.live.incidents(devices, from, now);
  if (deps.heavy) return deps.heavy.incidents({ devices, from, to, now, intervals: deps.intervals, firstN });
  const w = { devices, from, to, now, intervals: deps.intervals, maintenance: deps.maintenance };
  return firstN === undefined ? windowIncidents(deps.store, w) : firstIncidents(deps.store, w, firstN);
}

/** The APs' client counts in their incidents' impact (status/incident-impact.ts), in the heavy workers when there are. */
export function clientImpactOf(deps: ApiDeps, incidents: Incident[]): Promise<Incident[]> {
  return deps.heavy ? deps.heavy.clientImpact(incidents) : withClientImpact(deps.store, incidents);
}
