/**
 * Maintenance windows (config section `maintenance`, and the body of POST /api/maintenance): a
 * target (device, site or area) and either a fixed span or a cron recurrence with a duration.
 */
import { z } from 'zod';
import { cronExpression } from './cron.js';

const nonEmpty = z.string().trim().min(1, 'must not be empty');
const isoTime = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' });

export const maintenanceWindowSchema = z
  .strictObject({
    id: nonEmpty.regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only').optional(),
    device: nonEmpty.optional(),
    site: nonEmpty.optional(),
    area: nonEmpty.optional(),
    /** fixed window */
    start: isoTime.optional(),
    end: isoTime.optional(),
    /** recurring window: five-field cron (UTC) for its start, and its length */
    cron: cronExpression.optional(),
    durationMin: z.number().int().positive().max(10_080).optional(),
    reason: z.string().max(500).optional(),
  })
  .superRefine((w, ctx) => {
    const targets = [w.device, w.site, w.area].filter((x) => x !== undefined).length;
    if (targets !== 1) ctx.addIssue({ code: 'custom', path: ['device'], message: 'exactly one of device, site or area is required' });
    const fixed = w.start !== undefined || w.end !== undefined;
    const recurring = w.cron !== undefined || w.durationMin !== undefined;
    if (fixed === recurring) {
      ctx.addIssue({ code: 'custom', path: ['start'], message: 'give either start and end, or cron and durationMin' });
      return;
    }
    if (fixed) {
      if (w.start === undefined) ctx.addIssue({ code: 'custom', path: ['start'], message: 'required with end' });
      if (w.end === undefined) ctx.addIssue({ code: 'custom', path: ['end'], message: 'required with start' });
      if (w.start && w.end && Date.parse(w.end) <= Date.parse(w.start)) ctx.addIssue({ code: 'custom', path: ['end'], message: 'must be after start' });
    } else {
      if (w.cron === undefined) ctx.addIssue({ code: 'custom', path: ['cron'], message: 'required with durationMin' });
      if (w.durationMin === undefined) ctx.addIssue({ code: 'custom', path: ['durationMin'], message: 'required with cron' });
    }
  });

export const maintenanceSchema = z.strictObject({
  windows: z.array(maintenanceWindowSchema).default([]),
});

export type MaintenanceWindowInput = z.output<typeof maintenanceWindowSchema>;
export type MaintenanceConfig = { readonly windows: readonly MaintenanceWindowInput[] };
