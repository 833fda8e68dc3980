/**
 * Report periods: `2026` (a year), `2026-Q3` (a quarter), `2026-05` (a month). Bounds are UTC
 * midnights, half-open [from, to) like every time range in netatlas.
 */
export interface Period {
  label: string;
  kind: 'year' | 'quarter' | 'month';
  from: number;
  to: number;
}

const RE = /^(\d{4})(?:-(?:Q([1-4])|(0[1-9]|1[0-2])))?$/;

/** Parses a period; returns an error message naming the expected forms when it is not one. */
export function parsePeriod(text: string): { ok: true; period: Period } | { ok: false; error: string } {
  const m = RE.exec(text.trim());
  if (!m) return { ok: false, error: `period: expected YYYY, YYYY-Qn (n = 1..4) or YYYY-MM, got "${text}"` };
  const year = Number(m[1]);
  if (year < 1970 || year > 9999) return { ok: false, error: `period: year out of range: ${year}` };
  if (m[2]) {
    const q = Number(m[2]);
    return { ok: true, period: { label: `${year}-Q${q}`, kind: 'quarter', from: Date.UTC(year, (q - 1) * 3, 1), to: Date.UTC(year, q * 3, 1) } };
  }
  if (m[3]) {
    const mo = Number(m[3]);
    return { ok: true, period: { label: `${year}-${m[3]}`, kind: 'month', from: Date.UTC(year, mo - 1, 1), to: Date.UTC(year, mo, 1) } };
  }
  return { ok: true, period: { label: String(year), kind: 'year', from: Date.UTC(year, 0, 1), to: Date.UTC(year + 1, 0, 1) } };
}
