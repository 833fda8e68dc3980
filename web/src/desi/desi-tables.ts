/**
 * One table per scope of the DESI report (the region, then each municipality): every indicator
 * with its value, completeness and, when not available, the reason. The region's table is open;
 * each municipality's sits in a <details> (its summary is a keyboard stop) so 19 tables stay
 * scannable. Cells carry the API's raw values as data attributes, so tests compare with the JSON.
 */
import type { DesiIndicator, DesiReport } from '../api.js';
import { completenessText, valueText } from './desi-format.js';

type Scope = DesiReport['scopes'][number];

function indicatorRow(i: DesiIndicator): HTMLTableRowElement {
  const tr = document.createElement('tr');
  tr.dataset['code'] = i.code;
  const th = document.createElement('th');
  th.scope = 'row';
  const code = document.createElement('span');
  code.className = 'desi-code';
  code.textContent = i.code;
  th.append(code, ` ${i.name}`);
  const value = document.createElement('td');
  value.className = 'desi-value';
  value.dataset['value'] = i.value === null ? '' : String(i.value);
  value.textContent = valueText(i);
  if (!i.available && i.reason) {
    const why = document.createElement('span');
    why.className = 'desi-reason';
    why.textContent = i.reason;
    value.append(why);
  }
  const completeness = document.createElement('td');
  completeness.className = 'desi-completeness';
  completeness.dataset['completeness'] = i.completeness === null ? '' : String(i.completeness);
  completeness.textContent = completenessText(i.completeness);
  tr.append(th, value, completeness);
  return tr;
}

export function scopeTable(scope: Scope, period: string): HTMLTableElement {
  const table = document.createElement('table');
  table.className = 'desi-table';
  const caption = document.createElement('caption');
  caption.textContent = `${scope.scope === 'region' ? 'Region' : scope.name}, ${period}`;
  const head = document.createElement('thead');
  head.innerHTML = '<tr><th scope="col">Indicator</th><th scope="col">Value</th><th scope="col">Completeness</th></tr>';
  const body = document.createElement('tbody');
  for (const i of scope.indicators) body.append(indicatorRow(i));
  table.append(caption, head, body);
  return table;
}

/** the region's table, then a <details> per municipality, in the report's order */
export function scopeTables(report: DesiReport): HTMLElement {
  const root = document.createElement('div');
  root.className = 'desi-scopes';
  for (const scope of report.scopes) {
    const box = document.createElement(scope.scope === 'region' ? 'section' : 'details');
    box.className = 'desi-scope';
    box.dataset['scope'] = scope.scope;
    box.dataset['id'] = scope.id;
    // the region's section gets its heading from the page; a municipality's <summary> is its name
    if (scope.scope === 'area') box.append(Object.assign(document.createElement('summary'), { textContent: scope.name }));
    box.append(scopeTable(scope, report.period));
    root.append(box);
  }
  return root;
}
