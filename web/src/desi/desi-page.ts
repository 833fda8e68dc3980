/**
 * The DESI report view (/desi): a period selector, JSON and CSV downloads of the server's report
 * (GET /api/reports/desi, the same figures as `netatlas report desi`), the region's and each
 * municipality's table, and a bar chart per indicator. The period is kept in the URL (?period=),
 * so a report can be linked; `data-report` on <html> names the period shown (tests wait on it).
 */
import '../styles.css';
import './desi.css';
import { api, apiUrl, type DesiReport } from '../api.js';
import { mountNav } from '../nav.js';
import { indicatorCharts } from './desi-charts.js';
import { scopeTables } from './desi-tables.js';
import { PERIOD_RE, periodGroups, quarterOf } from './periods.js';

const status = document.getElementById('na-status')!;
const select = document.getElementById('desi-period') as HTMLSelectElement;
const out = document.getElementById('desi-report')!;
const jsonLink = document.getElementById('desi-json') as HTMLAnchorElement;
const csvLink = document.getElementById('desi-csv') as HTMLAnchorElement;

function say(text: string, kind: 'note' | 'error' = 'note'): void {
  status.textContent = text;
  status.dataset['kind'] = kind;
}

function fillPeriods(wanted: string): void {
  const groups = periodGroups(Date.now());
  // a period from the URL that is not a preset (an older quarter, say) gets its own group
  if (!groups.some((g) => g.periods.includes(wanted))) groups.unshift({ label: 'Asked for', periods: [wanted] });
  for (const g of groups) {
    const og = document.createElement('optgroup');
    og.label = g.label;
    for (const p of g.periods) og.append(new Option(p, p, false, p === wanted));
    select.append(og);
  }
}

function section(title: string, content: HTMLElement): HTMLElement {
  const s = document.createElement('section');
  const h = document.createElement('h2');
  h.textContent = title;
  s.append(h, content);
  return s;
}

function render(report: DesiReport): void {
  const areas = report.scopes.filter((s) => s.scope === 'area').length;
  const tables = scopeTables(report);
  const region = tables.querySelector('[data-scope="region"]');
  // the region first, the charts comparing the municipalities next, each municipality's table last
  out.replaceChildren(
    ...(region ? [section('Region', region as HTMLElement)] : []),
    section('Charts: one per indicator', indicatorCharts(report)),
    section(`Tables: ${areas} municipalities`, tables),
  );
}

let loading: AbortController | null = null;
/** said before every status line: a bad ?period= is not forgotten once the fallback loads */
let warning = '';

async function load(period: string): Promise<void> {
  loading?.abort();
  const ctl = new AbortController();
  loading = ctl;
  jsonLink.href = apiUrl('/api/reports/desi', { period, format: 'json' });
  jsonLink.download = `desi-${period}.json`;
  csvLink.href = api.desiCsvUrl(period);
  csvLink.download = `desi-${period}.csv`;
  out.setAttribute('aria-busy', 'true');
  say(`${warning}Loading the report for ${period}…`);
  try {
    // the server's report also says when it was computed (server/analytics/desi.ts)
    const report: DesiReport & { generatedAt?: string } = await api.desi(period, ctl.signal);
    render(report);
    say(`${warning}DESI report for ${report.period}${report.generatedAt ? `, computed ${new Date(report.generatedAt).toLocaleString()}` : ''}.`, warning ? 'error' : 'note');
    document.documentElement.dataset['report'] = report.period;
  } catch (err) {
    if (ctl.signal.aborted) return;
    out.replaceChildren();
    say(`The report for ${period} is unavailable: ${(err as Error).message}`, 'error');
    document.documentElement.dataset['report'] = `error:${period}`;
  } finally {
    if (loading === ctl) out.removeAttribute('aria-busy');
  }
}

function main(): void {
  mountNav('desi');
  const asked = new URLSearchParams(location.search).get('period') ?? '';
  const period = PERIOD_RE.test(asked) ? asked : quarterOf(Date.now());
  if (asked && asked !== period) warning = `"${asked}" is not a period (YYYY, YYYY-Qn or YYYY-MM); showing ${period}. `;
  fillPeriods(period);
  select.addEventListener('change', () => {
    const p = select.value;
    warning = '';
    history.replaceState(null, '', `?period=${encodeURIComponent(p)}`);
    void load(p);
  });
  document.getElementById('desi-form')!.addEventListener('submit', (e) => e.preventDefault());
  void load(period);
}

main();
