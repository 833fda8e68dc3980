import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cronMatches, cronOccurrences, parseCron } from '../../server/maintenance/cron.js';
import { maintenanceSchema, maintenanceWindowSchema } from '../../server/maintenance/config.js';
import { MaintenanceWindows } from '../../server/maintenance/windows.js';
import { formatIssues } from '../../server/inventory/issues.js';

const MIN = 60_000;
const SUN = Date.UTC(2026, 10, 1); // Sunday 1 November 2026
const dev = { id: 'olt-7', site: 'ixelles-co', area: 'ixelles' };

describe('cron matcher', () => {
  it('matches minute, hour, weekday lists, ranges and steps in UTC', () => {
    const spec = parseCron('*/15 2-3 * * 0,6');
    expect(cronMatches(spec, SUN + 2 * 60 * MIN + 30 * MIN)).toBe(true);
    expect(cronMatches(spec, SUN + 2 * 60 * MIN + 31 * MIN)).toBe(false);
    expect(cronMatches(spec, SUN + 86_400_000 + 2 * 60 * MIN)).toBe(false); // Monday
  });

  it('treats day-of-month and day-of-week as either-or when both are restricted, like Vixie cron', () => {
    const spec = parseCron('0 0 1 * 1'); // the 1st, or any Monday
    expect(cronMatches(spec, Date.UTC(2026, 9, 1))).toBe(true); // Thursday 1 October
    expect(cronMatches(spec, Date.UTC(2026, 10, 2))).toBe(true); // Monday 2 November
    expect(cronMatches(spec, Date.UTC(2026, 10, 3))).toBe(false);
  });

  it('lists the occurrences in (after, upTo] and accepts 7 as Sunday', () => {
    expect(cronOccurrences(parseCron('0 6 * * 7'), SUN, SUN + 7 * 86_400_000)).toEqual([SUN + 6 * 60 * MIN]);
  });

  it('names the field of a bad expression', () => {
    expect(() => parseCron('61 * * * *')).toThrow('minute: "61" is outside 0-59');
    expect(() => parseCron('* * *')).toThrow('expected 5 fields');
  });
});

describe('maintenance window config', () => {
  it('rejects a window with two targets, or with both a span and a cron, naming the path', () => {
    const r = maintenanceSchema.safeParse({ windows: [{ device: 'a', area: 'b', start: '2026-11-01T00:00:00Z', end: '2026-11-01T01:00:00Z' }, { site: 's', start: '2026-11-01T00:00:00Z', cron: '0 1 * * *', durationMin: 30 }] });
    expect(r.success).toBe(false);
    expect(formatIssues(r.error!, 'maintenance')).toEqual([
      'maintenance.windows[0].device: exactly one of device, site or area is required',
      'maintenance.windows[1].start: give either start and end, or cron and durationMin',
    ]);
  });

  it('rejects a bad cron expression and an end before the start', () => {
    expect(formatIssues(maintenanceWindowSchema.safeParse({ area: 'x', cron: '0 25 * * *', durationMin: 10 }).error!)).toEqual(['cron: hour: "25" is outside 0-23']);
    expect(formatIssues(maintenanceWindowSchema.safeParse({ area: 'x', start: '2026-11-01T02:00:00Z', end: '2026-11-01T01:00:00Z' }).error!)).toEqual(['end: must be after start']);
  });
});

describe('maintenance windows', () => {
  it('apply to a device through its id, its site or its area', () => {
    const w = new MaintenanceWindows({ configured: [
      { device: 'olt-7', start: '2026-11-01T01:00:00Z', end: '2026-11-01T02:00:00Z' },
      { site: 'ixelles-co', start: '2026-11-01T01:30:00Z', end: '2026-11-01T03:00:00Z' },
      { area: 'uccle', start: '2026-11-01T00:00:00Z', end: '2026-11-02T00:00:00Z' },
    ] });
    // the first two overlap and merge; the third is another area
    expect(w.spansFor(dev, SUN, SUN + 86_400_000)).toEqual([{ start: SUN + 60 * MIN, end: SUN + 180 * MIN }]);
    expect(w.isActive(dev, SUN + 179 * MIN)).toBe(true);
    expect(w.isActive(dev, SUN + 180 * MIN)).toBe(false);
  });

  it('expand a recurrence, including an occurrence that began before the window asked for', () => {
    const w = new MaintenanceWindows({ configured: [{ area: 'ixelles', cron: '0 23 * * *', durationMin: 120 }] });
    // 23:00 the day before runs to 01:00; 23:00 this day runs past the end
    expect(w.spansFor(dev, SUN, SUN + 86_400_000)).toEqual([{ start: SUN, end: SUN + 60 * MIN }, { start: SUN + 23 * 60 * MIN, end: SUN + 86_400_000 }]);
  });

  it('persist API-added windows atomically and read them back; ids are unique', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netatlas-maint-'));
    try {
      const a = new MaintenanceWindows({ dataDir: dir });
      const added = a.add({ device: 'olt-7', start: '2026-11-01T01:00:00Z', end: '2026-11-01T02:00:00Z' });
      expect(added.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(() => a.add({ id: added.id, area: 'x', cron: '0 1 * * *', durationMin: 5 })).toThrow(/already exists/);
      expect(fs.readdirSync(dir)).toEqual(['maintenance.json']);
      const b = new MaintenanceWindows({ dataDir: dir });
      expect(b.list()).toEqual([{ ...added }]);
      expect(b.remove(added.id)).toBe('removed');
      expect(new MaintenanceWindows({ dataDir: dir }).list()).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
