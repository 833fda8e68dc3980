/** The windows the scheduled reports cover, relative to the moment the schedule fires (UTC). */
import type { Period } from '../analytics/period.js';

const DAY_MS = 86_400_000;

/** ISO week label (`2026-W02`) of the week starting on the given Monday 00:00 UTC. */
export function isoWeekLabel(mondayMs: number): string {
  const thursday = new Date(mondayMs + 3 * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = 1 + Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * DAY_MS));
  return `${year}-W${String(week).padStart(2, '0')}`;
}

export interface Window { label: string; from: number; to: number }

/** The last complete ISO week before `at`: [Monday 00:00, next Monday 00:00). */
export function previousWeek(at: number): Window {
  const d = new Date(at);
  const midnight = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  const sinceMonday = (d.getUTCDay() + 6) % 7;
  const to = midnight - sinceMonday * DAY_MS;
  const from = to - 7 * DAY_MS;
  return { label: isoWeekLabel(from), from, to };
}

/** The last complete calendar quarter before `at`. */
export function previousQuarter(at: number): Period {
  const d = new Date(at);
  const q = Math.floor(d.getUTCMonth() / 3); // 0..3, the current quarter
  const year = q === 0 ? d.getUTCFullYear() - 1 : d.getUTCFullYear();
  const prev = q === 0 ? 4 : q;
  return { label: `${year}-Q${prev}`, kind: 'quarter', from: Date.UTC(year, (prev - 1) * 3, 1), to: Date.UTC(year, prev * 3, 1) };
}
