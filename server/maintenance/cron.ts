/**
 * A five-field cron matcher (minute hour day-of-month month day-of-week, UTC) for maintenance
 * recurrences and for finding which report runs fell between two clock readings. Supports `*`,
 * numbers, ranges `a-b`, lists `a,b` and steps `*\/n`, `a-b/n`. Day-of-month and day-of-week
 * combine as in Vixie cron: when both are restricted, either may match.
 */
interface Field { values: Set<number>; any: boolean }
export interface CronSpec { minute: Field; hour: Field; dom: Field; month: Field; dow: Field }

const RANGES: readonly [number, number][] = [[0, 59], [0, 23], [1, 31], [1, 12], [0, 7]];
const NAMES = ['minute', 'hour', 'day of month', 'month', 'day of week'];

function parseField(text: string, index: number): Field {
  const [lo, hi] = RANGES[index]!;
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!m) throw new Error(`${NAMES[index]}: cannot read "${part}"`);
    const step = m[4] !== undefined ? Number(m[4]) : 1;
    const a = m[1] === '*' ? lo : Number(m[2]);
    const b = m[1] === '*' ? hi : m[3] !== undefined ? Number(m[3]) : m[4] !== undefined ? hi : a;
    if (a < lo || b > hi || a > b || step < 1) throw new Error(`${NAMES[index]}: "${part}" is outside ${lo}-${hi}`);
    for (let v = a; v <= b; v += step) values.add(index === 4 && v === 7 ? 0 : v);
  }
  return { values, any: text === '*' };
}

export function parseCron(expr: string): CronSpec {
  const parts = expr.trim().split(/\s+/);
  if (parts.length !== 5) throw new Error(`expected 5 fields (minute hour day month weekday), got ${parts.length}`);
  const f = parts.map((p, i) => parseField(p, i));
  return { minute: f[0]!, hour: f[1]!, dom: f[2]!, month: f[3]!, dow: f[4]! };
}

export function cronMatches(spec: CronSpec, epochMs: number): boolean {
  const d = new Date(epochMs);
  if (!spec.minute.values.has(d.getUTCMinutes()) || !spec.hour.values.has(d.getUTCHours()) || !spec.month.values.has(d.getUTCMonth() + 1)) return false;
  const dom = spec.dom.values.has(d.getUTCDate());
  const dow = spec.dow.values.has(d.getUTCDay());
  if (spec.dom.any && spec.dow.any) return true;
  if (spec.dom.any) return dow;
  if (spec.dow.any) return dom;
  return dom || dow;
}

const MINUTE = 60_000;

/** Minute starts in (after, upTo] that the expression matches, oldest first, at most `limit`. */
export function cronOccurrences(spec: CronSpec, after: number, upTo: number, limit = 10_000): number[] {
  const out: number[] = [];
  for (let t = Math.floor(after / MINUTE) * MINUTE + MINUTE; t <= upTo && out.length < limit; t += MINUTE) {
    if (t > after && cronMatches(spec, t)) out.push(t);
  }
  return out;
}
