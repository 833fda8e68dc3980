import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cronExpression, cronMatches, cronOccurrences, parseCron, scheduleCron } from '../../server/maintenance/cron.js';
import { maintenanceSchema, maintenanceWindowSchema } from '../../server/maintenance/config.js';
import { MaintenanceWindows } from '../../server/maintenance/windows.js';
import { formatIssues } from '../../server/inventory/issues.js';
import { reportsSchema } from '../../server/scheduled-reports/config.js';

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

  it('lists every occurrence of a long range, not a capped number', () => {
    // every minute of a day: 24 × 60 = 1440
    expect(cronOccurrences(parseCron('* * * * *'), SUN, SUN + 86_400_000)).toHaveLength(1440);
    // Sundays 03:00 in 93 days from Sunday 1 November 00:00: 1 Nov + 0..13 weeks (13 × 7 = 91 ≤ 93) = 14
    const sundays = cronOccurrences(parseCron('0 3 * * 0'), SUN, SUN + 93 * 86_400_000);
    expect(sundays).toHaveLength(14);
    expect(sundays[13]).toBe(SUN + 91 * 86_400_000 + 3 * 60 * MIN);
  });

  it('is the one grammar of the report schedules too', () => {
    const r = reportsSchema.safeParse({ weeklySla: { cron: '0 6 * * 8' }, quarterlyDesi: { cron: '0 6 1 1,4,7,10' } });
    expect(formatIssues(r.error!, 'reports')).toEqual([
      'reports.weeklySla.cron: Invalid value for dayOfWeek: 8',
      "reports.quarterlyDesi.cron: invalid configuration format ('0 6 1 1,4,7,10'), exactly five, six, or seven space separated parts are required.",
    ]);
  });

  it('schedules jobs in UTC with the same grammar, and hands a failed run to onError without ending the schedule', async () => {
    const errors: string[] = [];
    let runs = 0;
    const task = scheduleCron('5 * * * *', async () => { runs += 1; throw new Error(`run ${runs} failed`); }, (err) => errors.push(err.message));
    try {
      // the next run is at minute 5 of an hour, UTC, on the second, within the coming hour
      const next = task.nextRun()!;
      expect([next.getUTCMinutes(), next.getUTCSeconds(), next.getUTCMilliseconds()]).toEqual([5, 0, 0]);
      expect(next.getTime() - Date.now()).toBeLessThanOrEqual(3_600_000);
      await task.trigger();
      await task.trigger();
      expect(errors).toEqual(['run 1 failed', 'run 2 failed']);
      expect(task.isRunning()).toBe(true);
    } finally {
      task.stop();
    }
    expect(task.nextRun()).toBeNull();
    expect(() => scheduleCron('0 0 6 * * 1', async () => undefined, () => undefined)).toThrow("mode '5-part' requires exactly 5 parts");
  });

  it('gives every config section one cron field: trimmed, empty refused, croner\'s reason kept', () => {
    expect(cronExpression.parse(' 0 6 * * 1 ')).toBe('0 6 * * 1');
    expect(cronExpression.safeParse('  ').error?.issues.map((i) => i.message)).toEqual(['must not be empty']);
    expect(cronExpression.safeParse('0 25 * * *').error?.issues.map((i) => i.message)).toEqual(['Invalid value for hour: 25']);
  });

  it('names the field of a bad expression', () => {
    expect(() => parseCron('61 * * * *')).toThrow('Invalid value for minute: 61');
    expect(() => parseCron('* * *')).toThrow("invalid configuration format ('* * *'), exactly five, six, or seven space separated parts are required");
    // five fields only: a six-field (seconds) expression is refused
    expect(() => parseCron('0 0 6 * * 1')).toThrow("mode '5-part' requires exactly 5 parts");
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
    expect(formatIssues(maintenanceWindowSchema.safeParse({ area: 'x', cron: '0 25 * * *', durationMin: 10 }).error!)).toEqual(['cron: Invalid value for hour: 25']);
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
