/**
 * Hourly rollups per group (area, site, technology), written beside the per-device hourly rows
 * by the rollup job (server/rollups.ts), so that uptime per group over a long window reads a few
 * rows per group and hour instead of summing every device's (issue 18 goal 2).
 *
 * One row per group and hour, `device_status_group_hourly{by, group}`: the sums of up_s, down_s,
 * maintenance_s and unknown_s over the devices the inventory put in the group when the hour was
 * rolled, their count, and `members`, a digest of their ids. The per-device answer puts each
 * device the inventory holds *now* under the group it has now, so a row stands for that answer
 * only when its members are the group's members now: that is what `members` lets the reader check
 * (group-uptimes.ts), hour by hour; any difference (a device added, removed or moved since) and
 * the reader sums per device instead.
 *
 * The rows of an hour are computed from the same batch as that hour's device rows and written in
 * the same request. A recomputation for some devices only (after a maintenance change) writes its
 * groups' rows from those devices alone: their `members` then differ from the group's members (but
 * when it recomputed the whole group), and the reader sums those hours per device. So a row is
 * always either the sum of its members' current rows or one the check refuses.
 */
import { createHash } from 'node:crypto';
import type { Point } from '../../core/point.js';

export const GROUP_ROLLUP_MEASUREMENT = 'device_status_group_hourly';
export const GROUP_TAGS = ['area', 'site', 'tech'] as const;
export type GroupTag = (typeof GROUP_TAGS)[number];

/** The digest of a group's member ids (order-free): 24 hex digits of SHA-256 over the sorted ids. */
export function membersDigest(ids: readonly string[]): string {
  const h = createHash('sha256');
  for (const id of [...ids].sort()) h.update(id).update('\u0000');
  return h.digest('hex').slice(0, 24);
}

interface Acc { ids: string[]; up: number; down: number; maint: number; unknown: number }

const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

/**
 * The group rows of some per-device hourly rows (computeRollups' points for every inventory
 * device over some hours): per hour, per group tag, per group value.
 */
export function groupRollupPoints(deviceRows: readonly Point[]): Point[] {
  const acc = new Map<string, { time: number; by: GroupTag; group: string; a: Acc }>();
  for (const p of deviceRows) {
    for (const by of GROUP_TAGS) {
      const group = p.tags[by] ?? '';
      const key = `${p.time}\u0000${by}\u0000${group}`;
      let e = acc.get(key);
      if (!e) { e = { time: p.time, by, group, a: { ids: [], up: 0, down: 0, maint: 0, unknown: 0 } }; acc.set(key, e); }
      e.a.ids.push(p.tags['device'] ?? '');
      e.a.up += num(p.fields['up_s']); e.a.down += num(p.fields['down_s']);
      e.a.maint += num(p.fields['maintenance_s']); e.a.unknown += num(p.fields['unknown_s']);
    }
  }
  return [...acc.values()].map(({ time, by, group, a }) => ({
    measurement: GROUP_ROLLUP_MEASUREMENT,
    tags: { by, group },
    fields: { up_s: a.up, down_s: a.down, maintenance_s: a.maint, unknown_s: a.unknown, devices: a.ids.length, members: membersDigest(a.ids) },
    time,
  }));
}
