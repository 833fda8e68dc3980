/** `reports` section: the scheduled SLA and DESI reports. Cron expressions are UTC. */
import { z } from 'zod';
import type { DeepReadonly } from '../alerts/config.js';
import { cronExpression } from '../maintenance/cron.js';

const nonEmpty = z.string().trim().min(1, 'must not be empty');

const scheduleSchema = (defaultCron: string) => z.strictObject({
  enabled: z.boolean().default(true),
  cron: cronExpression.default(defaultCron),
  /** names of notifiers (section `notifiers`) that receive the report when it is written */
  notify: z.array(nonEmpty).default([]),
});

export const reportsSchema = z.strictObject({
  /** weekly SLA of the previous ISO week (Monday 00:00 UTC to Monday 00:00 UTC) */
  weeklySla: scheduleSchema('0 6 * * 1').prefault({}),
  /** DESI report of the previous quarter */
  quarterlyDesi: scheduleSchema('0 6 1 1,4,7,10 *').prefault({}),
  /** devices listed as worst in the SLA report */
  worstDevices: z.number().int().min(1).max(1000).default(10),
});

export type ReportsConfig = DeepReadonly<z.output<typeof reportsSchema>>;
