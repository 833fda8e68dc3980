/**
 * The incidents list's filters and sort: window, area, technology, ongoing, sort key and
 * direction. Their state lives in the page URL (?area=…&ongoing=true…), so a filtered list can be
 * linked (the overview links here) and survives a reload; the API query and the CSV link are both
 * made from it, so the export is exactly the list shown.
 */
import type { Tech } from '../api.js';
import type { IncidentQuery } from '../views/views-api.js';

export const WINDOWS: Readonly<Record<string, { label: string; ms: number }>> = {
  '24h': { label: 'last 24 hours', ms: 86_400_000 },
  '7d': { label: 'last 7 days', ms: 7 * 86_400_000 },
  '30d': { label: 'last 30 days', ms: 30 * 86_400_000 },
};

export interface Filters {
  window: keyof typeof WINDOWS;
  area: string;
  tech: '' | Tech;
  ongoing: '' | 'true' | 'false';
  sort: 'start' | 'duration' | 'impact';
  order: '' | 'asc' | 'desc';
}

const DEFAULTS: Filters = { window: '24h', area: '', tech: '', ongoing: '', sort: 'start', order: '' };
const ALLOWED: { [K in keyof Filters]: readonly string[] | null } = {
  window: Object.keys(WINDOWS), area: null, tech: ['', 'fibre', 'wifi'], ongoing: ['', 'true', 'false'],
  sort: ['start', 'duration', 'impact'], order: ['', 'asc', 'desc'],
};

/** The filters a URL's query names; an unknown value falls back to the default. */
export function filtersFrom(search: string): Filters {
  const p = new URLSearchParams(search);
  const out: Record<string, string> = { ...DEFAULTS };
  for (const key of Object.keys(DEFAULTS) as (keyof Filters)[]) {
    const v = p.get(key);
    if (v !== null && (ALLOWED[key] === null || ALLOWED[key]!.includes(v))) out[key] = v;
  }
  return out as unknown as Filters;
}

/** The URL query of the filters, without the defaults. */
export function filtersQuery(f: Filters): string {
  const p = new URLSearchParams();
  for (const key of Object.keys(DEFAULTS) as (keyof Filters)[]) if (f[key] !== DEFAULTS[key]) p.set(key, f[key]);
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** The /api/incidents query of the filters at `now`; the window runs to the server's now, so ongoing incidents show as such. */
export function apiQuery(f: Filters, now: number): IncidentQuery {
  return {
    from: new Date(now - WINDOWS[f.window]!.ms).toISOString(),
    area: f.area || undefined, tech: f.tech || undefined, ongoing: f.ongoing || undefined,
    sort: f.sort, order: f.order || undefined,
  };
}

/** Reads the form's controls (named like the filters). */
export function filtersOfForm(form: HTMLFormElement): Filters {
  const search = new URLSearchParams();
  for (const key of Object.keys(DEFAULTS)) {
    const el = form.elements.namedItem(key) as HTMLSelectElement | null;
    if (el) search.set(key, el.value);
  }
  return filtersFrom(search.toString());
}

/** Sets the form's controls to the filters; area options are the areas' ids and names. */
export function fillForm(form: HTMLFormElement, f: Filters, areas: readonly { key: string; name: string }[]): void {
  const area = form.elements.namedItem('area') as HTMLSelectElement;
  if (area.options.length <= 1) {
    for (const a of areas) area.add(new Option(a.name, a.key));
  }
  for (const key of Object.keys(DEFAULTS) as (keyof Filters)[]) {
    const el = form.elements.namedItem(key) as HTMLSelectElement | null;
    if (el) el.value = f[key];
  }
}
