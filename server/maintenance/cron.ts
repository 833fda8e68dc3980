/**
 * Five-field cron expressions (minute hour day-of-month month day-of-week, UTC), read by croner:
 * the one grammar behind the config check (`cronExpression`, the field every config section with
 * a cron uses), the maintenance windows, the report scheduler and the hourly rollups, so an
 * expression the config accepts is one that runs. Day-of-month and day-of-week combine as in
 * Vixie cron (when both are restricted, either may match), croner's default; 7 is Sunday too.
 */
import { Cron } from 'croner';
import { z } from 'zod';

export type CronSpec = Cron;

const MINUTE = 60_000;

/** Reads an expression; throws an Error naming the field that is wrong. Never schedules anything. */
export function parseCron(expr: string): CronSpec {
  try {
    // no function given: croner keeps no timer, the object only answers questions
    return new Cron(expr.trim(), { timezone: 'UTC', mode: '5-part', domAndDow: false });
  } catch (err) {
    throw new Error((err as Error).message.replace(/^CronPattern: /, ''));
  }
}

/** A config field holding a cron expression, refused at load with croner's reason (`Invalid value for hour: 25`). */
// abort: an empty string gets one issue, not also croner's
export const cronExpression = z.string().trim().min(1, { message: 'must not be empty', abort: true }).superRefine((v, ctx) => {
  try { parseCron(v); } catch (err) { ctx.addIssue({ code: 'custom', message: (err as Error).message }); }
});

/**
 * Runs `job` at every minute the expression matches, until the returned Cron is stopped. A run
 * still going when the next one is due makes that one skip (croner's `protect`); a job that
 * throws is logged by `onError` and runs again at its next minute.
 */
export function scheduleCron(expr: string, job: () => Promise<unknown>, onError: (err: Error) => void): Cron {
  return new Cron(expr.trim(), { timezone: 'UTC', mode: '5-part', domAndDow: false, protect: true }, async () => {
    try { await job(); } catch (err) { onError(err as Error); }
  });
}

export function cronMatches(spec: CronSpec, epochMs: number): boolean {
  return spec.match(new Date(epochMs));
}

/**
 * Minute starts in (after, upTo] that the expression matches, oldest first, at most `limit`
 * (by default every one: the span holds at most one per minute).
 */
export function cronOccurrences(spec: CronSpec, after: number, upTo: number, limit = Math.max(0, Math.ceil((upTo - after) / MINUTE))): number[] {
  const out: number[] = [];
  for (let next = spec.nextRun(new Date(after)); next && next.getTime() <= upTo && out.length < limit; next = spec.nextRun(next)) {
    out.push(next.getTime());
  }
  return out;
}
