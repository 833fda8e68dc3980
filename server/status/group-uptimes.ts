/**
 * Uptime per area, site or technology with the rolled hours summed per group instead of per device
 * (issue 18 goal 2). First from the group rows the rollup job writes beside the device rows
 * (group-rollups.ts): a few rows per group and hour, used when every row's members are the group's
 * members now. Else from the store's sums of the device rows by the group tag: a store groups by
 * a tag of few values far faster than by 1000 devices (InfluxDB opens one iterator per group),
 * used when the series check below holds. Else undefined. The rollups carry the device's area, site and
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
import type { Span } from '../analytics/intervals.js';
import { HOUR_MS, ROLLUP_MEASUREMENT, rawPartUptimes, rolledHoursOf, sourcesOf, type UptimeSources, type UptimeWindow } from './device-uptimes.js';
import { GROUP_ROLLUP_MEASUREMENT, membersDigest } from './group-rollups.js';

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
  /** where the rolled hours' times came from: the group rows, or the store's sums by group tag */
  via: 'group rows' | 'store sums';
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
  const fromRows = await fromGroupRows(store, w, tag, rolled);
  const sums = fromRows ?? await fromStoreSums(store, groupOf, tag, rolled);
  if (!sums) return undefined;
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
  for (const [group, rolledTimes] of sums) {
    // every summed group is an inventory device's (both paths check it), so the group exists
    const g = byGroup.get(group);
    if (!g) return undefined;
    for (const key of ['up_ms', 'down_ms', 'maintenance_ms'] as const) {
      const ms = rolledTimes[key];
      if (!Number.isInteger(ms)) return undefined;
      g[key] += ms;
      g.unknown_ms -= ms;
    }
  }
  for (const g of byGroup.values()) {
    if (![g.up_ms, g.down_ms, g.unknown_ms, g.maintenance_ms].every(Number.isSafeInteger)) return undefined;
  }
  return { byGroup, sources: sourcesOf(w, rolled), via: fromRows ? 'group rows' : 'store sums' };
}

type RolledTimes = { up_ms: number; down_ms: number; maintenance_ms: number };

function rolledTimes(sums: Map<string, RolledTimes>, group: string): RolledTimes {
  let t = sums.get(group);
  if (!t) { t = { up_ms: 0, down_ms: 0, maintenance_ms: 0 }; sums.set(group, t); }
  return t;
}

/**
 * The rolled hours' times per group from the group rows (group-rollups.ts): a few rows per group
 * and hour. Undefined unless, in every rolled hour, every group with devices has its row and every
 * row's members are the devices the inventory puts in its group now.
 */
async function fromGroupRows(store: MetricStore, w: UptimeWindow, tag: UptimeGroupTag, rolled: readonly Span[]): Promise<Map<string, RolledTimes> | undefined> {
  const members = new Map<string, string[]>();
  for (const d of w.devices) {
    const list = members.get(d[tag]);
    if (list) list.push(d.id); else members.set(d[tag], [d.id]);
  }
  const digest = new Map([...members].map(([group, ids]) => [group, membersDigest(ids)]));
  const hours = new Set<number>();
  for (const s of rolled) for (let h = s.start; h < s.end; h += HOUR_MS) hours.add(h);
  const rows = await store.querySeries({
    measurement: GROUP_ROLLUP_MEASUREMENT, retention: 'long', from: rolled[0]!.start, to: rolled[rolled.length - 1]!.end,
    where: { by: tag }, fields: ['up_s', 'down_s', 'maintenance_s', 'members'],
  });
  const seen = new Set<string>();
  const sums = new Map<string, RolledTimes>();
  for (const r of rows) {
    const group = r.tags['group'] ?? '';
    // a group row in an hour without device rows, or for members other than today's: per device
    if (!hours.has(r.time) || r.fields['members'] !== digest.get(group)) return undefined;
    seen.add(`${r.time}\u0000${group}`);
    const t = rolledTimes(sums, group);
    t.up_ms += 1000 * Number(r.fields['up_s'] ?? NaN);
    t.down_ms += 1000 * Number(r.fields['down_s'] ?? NaN);
    t.maintenance_ms += 1000 * Number(r.fields['maintenance_s'] ?? NaN);
  }
  // one row per group with devices per hour: an hour rolled before group rows existed has none
  return seen.size === hours.size * members.size ? sums : undefined;
}

/**
 * The rolled hours' times per group as the store sums them by the group tag, when every rolled
 * series belongs to an inventory device under the group it has now (else undefined).
 */
async function fromStoreSums(store: MetricStore, groupOf: ReadonlyMap<string, string>, tag: UptimeGroupTag, rolled: readonly Span[]): Promise<Map<string, RolledTimes> | undefined> {
  const span = { from: rolled[0]!.start, to: rolled[rolled.length - 1]!.end };
  const listSeries = () => store.tagSets({ measurement: ROLLUP_MEASUREMENT, retention: 'long', ...span, keys: ['device', tag] });
  // Listed before and after the sums: a series a sum read was there before it (so the first list
  // has it, even if the rollup job deleted it meanwhile: rollups.ts dropRowsUnderOldTags) or was
  // written during it (so the second list has it).
  const before = await listSeries();
  const sums = await Promise.all(FIELDS.map(([field]) => store.queryAggregate({
    measurement: ROLLUP_MEASUREMENT, retention: 'long', field, fn: 'sum', ...span, groupBy: [tag],
  })));
  const after = await listSeries();
  // a removed device (not in groupOf) or a moved one (another group) would land in a group sum
  if (![...before, ...after].every((s) => groupOf.get(s['device']!) === s[tag])) return undefined;
  const out = new Map<string, RolledTimes>();
  for (const [k, rows] of sums.entries()) {
    const key = FIELDS[k]![1];
    for (const row of rows) rolledTimes(out, row.tags[tag] ?? '')[key] += 1000 * (row.value ?? 0);
  }
  return out;
}

function groupTimes(byGroup: Map<string, GroupTimes>, key: string): GroupTimes {
  let g = byGroup.get(key);
  if (!g) { g = { devices: 0, up_ms: 0, down_ms: 0, unknown_ms: 0, maintenance_ms: 0 }; byGroup.set(key, g); }
  return g;
}
