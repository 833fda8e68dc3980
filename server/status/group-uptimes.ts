/**
 * Uptime per area, site or technology with the rolled hours summed by the store per group instead
 * of per device (issue 18 goal 2): a store groups by a tag of few values far faster than by 1000
 * devices (InfluxDB opens one iterator per group). The rollups carry the device's area, site and
 * technology of the hour they were rolled (server/rollups.ts), and the inventory may have changed
 * since (a device moved, was removed), so the group sums are the per-device answer only when every
 * rolled series in the window belongs to an inventory device under the group the inventory gives
 * it now. That is checked, and when it does not hold (or cannot be proved, below) the answer is
 * `undefined` and the caller reads per device (deviceUptimes). The part of the window outside the
 * rolled hours (edges, the hour not rolled yet, with its maintenance and collector gaps) stays per
 * device, as deviceUptimes computes it.
 */
import type { Device } from '../../core/device.js';
import type { MetricStore } from '../store/metric-store.js';
import type { UptimeResult } from '../analytics/uptime.js';
import { totalMs } from '../analytics/intervals.js';
import { ROLLUP_MEASUREMENT, rawPartUptimes, rolledHoursOf, sourcesOf, type UptimeSources, type UptimeWindow } from './device-uptimes.js';

export type UptimeGroupTag = 'area' | 'site' | 'tech';

/** A group's times: the sums of its devices' UptimeResult fields, and how many devices it has. */
export interface GroupTimes {
  devices: number;
  up_ms: number;
  down_ms: number;
  unknown_ms: number;
  maintenance_ms: number;
}

export interface GroupedUptimes {
  /** by the group's value (the inventory's area, site or tech; '' for outside every area) */
  byGroup: Map<string, GroupTimes>;
  sources: UptimeSources;
}

const FIELDS = [['up_s', 'up_ms'], ['down_s', 'down_ms'], ['maintenance_s', 'maintenance_ms']] as const;

/**
 * The devices' times summed per group, equal to summing deviceUptimes' per-device results, or
 * undefined when that equality cannot be proved here (the caller then reads per device).
 */
export async function groupedUptimes(store: MetricStore, w: UptimeWindow, tag: UptimeGroupTag): Promise<GroupedUptimes | undefined> {
  const groupOf = new Map<string, string>(w.devices.map((d: Device) => [d.id, d[tag]]));
  // a device listed twice would count twice per device but once in a store sum
  if (groupOf.size !== w.devices.length) return undefined;
  const rolled = await rolledHoursOf(store, w);
  // nothing rolled: nothing to push down
  if (rolled.length === 0) return undefined;
  const span = { from: rolled[0]!.start, to: rolled[rolled.length - 1]!.end };
  const sums = await Promise.all(FIELDS.map(([field]) => store.queryAggregate({
    measurement: ROLLUP_MEASUREMENT, retention: 'long', field, fn: 'sum', ...span, groupBy: [tag],
  })));
  // Listed after the sums: any series a sum read exists by then (rollups are rewritten, never
  // deleted), so a rollup written meanwhile can only add a series to check, never hide one.
  const series = await store.tagSets({ measurement: ROLLUP_MEASUREMENT, retention: 'long', ...span, keys: ['device', tag] });
  // a removed device (not in groupOf) or a moved one (another group) would land in a group sum
  if (!series.every((s) => groupOf.get(s['device']!) === s[tag])) return undefined;
  const counted = totalMs(rolled);
  const raw = await rawPartUptimes(store, w, rolled);
  const byGroup = new Map<string, GroupTimes>();
  for (const d of w.devices) {
    const g = groupTimes(byGroup, d[tag]);
    g.devices++;
    // the rolled hours start all unknown; the group's up, down and maintenance sums come off below
    g.unknown_ms += counted;
    const r: UptimeResult | undefined = raw.get(d.id);
    if (!r) continue;
    // per device, integers keep every sum exact whatever the order: otherwise read per device
    if (![r.up_ms, r.down_ms, r.unknown_ms, r.maintenance_ms].every(Number.isInteger)) return undefined;
    g.up_ms += r.up_ms; g.down_ms += r.down_ms; g.unknown_ms += r.unknown_ms; g.maintenance_ms += r.maintenance_ms;
  }
  for (const [k, rows] of sums.entries()) {
    const key = FIELDS[k]![1];
    for (const row of rows) {
      const ms = 1000 * (row.value ?? 0);
      if (!Number.isInteger(ms)) return undefined;
      // every series' group is an inventory device's (checked above), so the group exists
      const g = byGroup.get(row.tags[tag] ?? '');
      if (!g) return undefined;
      g[key] += ms;
      g.unknown_ms -= ms;
    }
  }
  for (const g of byGroup.values()) {
    if (![g.up_ms, g.down_ms, g.unknown_ms, g.maintenance_ms].every(Number.isSafeInteger)) return undefined;
  }
  return { byGroup, sources: sourcesOf(w, rolled) };
}

function groupTimes(byGroup: Map<string, GroupTimes>, key: string): GroupTimes {
  let g = byGroup.get(key);
  if (!g) { g = { devices: 0, up_ms: 0, down_ms: 0, unknown_ms: 0, maintenance_ms: 0 }; byGroup.set(key, g); }
  return g;
}
