/**
 * Five-field cron expressions (minute hour day-of-month month day-of-week, UTC), read by croner:
 * the one grammar behind the config check, the maintenance windows and the report scheduler, so
 * an expression the config accepts is one that runs. Day-of-month and day-of-week combine as in
 * Vixie cron (when both are restricted, either may match), croner's default; 7 is Sunday too.
 */
import { Cron } from 'croner';

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
