/**
 * Overview panel: how many devices are up, down and unknown now, for the region and per
 * technology, from GET /api/devices (the server's current status of each device). Live status
 * events update one device at a time, so the counts follow without refetching the list.
 */
import type { Status, Tech } from '../api.js';
import type { DeviceRow } from '../views/views-api.js';

const STATES: readonly Status[] = ['up', 'down', 'unknown'];
const GROUPS: readonly { key: 'region' | Tech; label: string }[] = [
  { key: 'region', label: 'Region' },
  { key: 'fibre', label: 'Fibre nodes' },
  { key: 'wifi', label: 'Public wifi APs' },
];

export type Counts = Record<'region' | Tech, Record<Status | 'total', number>>;

export function countStatuses(devices: Iterable<{ tech: Tech; status: Status }>): Counts {
  const zero = (): Record<Status | 'total', number> => ({ up: 0, down: 0, unknown: 0, total: 0 });
  const c: Counts = { region: zero(), fibre: zero(), wifi: zero() };
  for (const d of devices) {
    for (const g of [c.region, c[d.tech]]) { g[d.status]++; g.total++; }
  }
  return c;
}

export class StatusCounts {
  private readonly devices = new Map<string, { tech: Tech; status: Status }>();

  constructor(private readonly el: HTMLElement) {}

  set(rows: readonly DeviceRow[]): void {
    this.devices.clear();
    for (const d of rows) this.devices.set(d.id, { tech: d.tech, status: d.status });
    this.render();
  }

  /** a live change; false when the device is not in the list (then the caller refetches) */
  update(id: string, status: Status): boolean {
    const d = this.devices.get(id);
    if (!d) return false;
    if (d.status !== status) { d.status = status; this.render(); }
    return true;
  }

  private render(): void {
    const c = countStatuses(this.devices.values());
    const head = `<tr><th scope="col">Devices</th>${STATES.map((s) => `<th scope="col" class="n">${s}</th>`).join('')}<th scope="col" class="n">total</th></tr>`;
    const rows = GROUPS.map((g) => `<tr data-group="${g.key}"><th scope="row" class="na-row-head">${g.label}</th>${
      [...STATES, 'total' as const].map((s) => `<td class="n${s === 'total' ? '' : ` na-state na-state--${s}`}" data-label="${s}" data-count="${g.key}-${s}">${c[g.key][s]}</td>`).join('')
    }</tr>`).join('');
    this.el.innerHTML = `<table class="na-table na-table--cards"><caption>Current status (unknown: no recent evidence, never counted as down)</caption><thead>${head}</thead><tbody>${rows}</tbody></table>`;
  }
}
