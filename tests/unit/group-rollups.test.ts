/**
 * server/status/group-rollups.ts: the per-group hourly rows the rollup job writes beside the device
 * rows. Sums and member digests computed by hand below.
 */
import { describe, expect, it } from 'vitest';
import { groupRollupPoints, membersDigest, GROUP_ROLLUP_MEASUREMENT } from '../../server/status/group-rollups.js';
import type { Point } from '../../core/point.js';

const H = 3_600_000;
const row = (device: string, area: string, site: string, tech: string, hour: number, up: number, down: number, maint = 0): Point => ({
  measurement: 'device_status_hourly', tags: { device, site, area, tech }, fields: { up_s: up, down_s: down, maintenance_s: maint, unknown_s: 3600 - up - down - maint }, time: hour * H,
});

describe('group rollups', () => {
  it('a digest of the member ids that does not depend on their order and tells sets apart', () => {
    expect(membersDigest(['b', 'a'])).toBe(membersDigest(['a', 'b']));
    expect(membersDigest(['a', 'b'])).toMatch(/^[0-9a-f]{24}$/);
    // ids are separated: ["ab"] is not ["a", "b"]
    expect(membersDigest(['ab'])).not.toBe(membersDigest(['a', 'b']));
    expect(membersDigest(['a'])).not.toBe(membersDigest(['a', 'b']));
  });

  it('sums each hour\'s device rows per area, site and technology, with the member count and digest', () => {
    const points = groupRollupPoints([
      row('f1', 'A', 's1', 'fibre', 0, 3600, 0), row('f2', 'A', 's2', 'fibre', 0, 600, 3000), row('w1', 'B', 's1', 'wifi', 0, 1800, 0, 1200),
      row('f1', 'A', 's1', 'fibre', 1, 3600, 0),
    ]);
    const get = (by: string, group: string, hour: number) => points.find((p) => p.tags['by'] === by && p.tags['group'] === group && p.time === hour * H);
    expect(points.every((p) => p.measurement === GROUP_ROLLUP_MEASUREMENT)).toBe(true);
    // hour 0: areas A (f1, f2) and B (w1), sites s1 (f1, w1) and s2 (f2), fibre (f1, f2) and wifi (w1); hour 1: f1's three
    expect(points).toHaveLength(6 + 3);
    // A at hour 0: up 3600 + 600, down 0 + 3000, unknown 0 + 0
    expect(get('area', 'A', 0)!.fields).toEqual({ up_s: 4200, down_s: 3000, maintenance_s: 0, unknown_s: 0, devices: 2, members: membersDigest(['f1', 'f2']) });
    // s1 at hour 0: f1 and w1: up 3600 + 1800, maintenance 1200, unknown 0 + 600
    expect(get('site', 's1', 0)!.fields).toEqual({ up_s: 5400, down_s: 0, maintenance_s: 1200, unknown_s: 600, devices: 2, members: membersDigest(['w1', 'f1']) });
    expect(get('tech', 'wifi', 0)!.fields).toMatchObject({ up_s: 1800, devices: 1, members: membersDigest(['w1']) });
    expect(get('area', 'A', 1)!.fields).toMatchObject({ up_s: 3600, devices: 1, members: membersDigest(['f1']) });
    expect(get('area', 'B', 1)).toBeUndefined();
  });
});
