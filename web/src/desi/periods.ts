/**
 * The report periods the DESI view offers: the last 8 quarters, the last 3 years and the last 12
 * months up to the one containing `now` (UTC, as the server's periods), newest first. Any other
 * period the server accepts (YYYY, YYYY-Qn, YYYY-MM) can still be asked for with ?period=.
 */
export interface PeriodGroup {
  label: string;
  periods: string[];
}

/** the server's period forms (server/analytics/period.ts); the server still validates */
export const PERIOD_RE = /^\d{4}(?:-Q[1-4]|-(?:0[1-9]|1[0-2]))?$/;

const pad = (n: number): string => String(n).padStart(2, '0');

export function quarterOf(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-Q${Math.floor(d.getUTCMonth() / 3) + 1}`;
}

export function periodGroups(now: number): PeriodGroup[] {
  const d = new Date(now);
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth();
  const quarters: string[] = [];
  for (let k = 0, q = Math.floor(month / 3); k < 8; k++) {
    const qi = q - k;
    const y = year + Math.floor(qi / 4);
    quarters.push(`${y}-Q${((qi % 4) + 4) % 4 + 1}`);
  }
  const months: string[] = [];
  for (let k = 0; k < 12; k++) {
    const mi = month - k;
    months.push(`${year + Math.floor(mi / 12)}-${pad((((mi % 12) + 12) % 12) + 1)}`);
  }
  return [
    { label: 'Quarters', periods: quarters },
    { label: 'Years', periods: [0, 1, 2].map((k) => String(year - k)) },
    { label: 'Months', periods: months },
  ];
}
