/**
 * The navigation every operator page shares: one list of views, rendered as links in the page's
 * header. Plain links (not buttons or script routing), so Tab reaches each, Enter follows it, and a
 * view opens in a new tab like any page; the current view is marked with aria-current="page".
 */
import './nav.css';

export type ViewId = 'map' | 'overview' | 'incidents' | 'gaps' | 'desi' | 'status';

export interface NavItem {
  id: ViewId;
  label: string;
  href: string;
}

/** The views in header order. Gaps is the map page with its gaps list open. */
export const NAV_ITEMS: readonly NavItem[] = [
  { id: 'map', label: 'Map', href: '/' },
  { id: 'overview', label: 'Overview', href: '/overview' },
  { id: 'incidents', label: 'Incidents', href: '/incidents' },
  { id: 'gaps', label: 'Gaps', href: '/#gaps' },
  { id: 'desi', label: 'DESI', href: '/desi' },
  { id: 'status', label: 'Status', href: '/status' },
];

/** Builds the <nav> element; `current` is marked as the page the user is on. */
export function buildNav(current: ViewId, doc: Document = document): HTMLElement {
  const nav = doc.createElement('nav');
  nav.className = 'na-nav';
  nav.setAttribute('aria-label', 'Views');
  const ul = doc.createElement('ul');
  for (const item of NAV_ITEMS) {
    const li = doc.createElement('li');
    const a = doc.createElement('a');
    a.href = item.href;
    a.textContent = item.label;
    a.dataset['view'] = item.id;
    if (item.id === current) a.setAttribute('aria-current', 'page');
    li.append(a);
    ul.append(li);
  }
  nav.append(ul);
  return nav;
}

/**
 * Puts the navigation into the page's header (`.na-header`), after its title. Returns the <nav>,
 * or null when the page has no header (nothing to attach to).
 */
export function mountNav(current: ViewId, doc: Document = document): HTMLElement | null {
  const header = doc.querySelector<HTMLElement>('.na-header');
  if (!header) return null;
  header.querySelector('.na-nav')?.remove();
  const nav = buildNav(current, doc);
  const title = header.querySelector('h1');
  if (title) title.after(nav);
  else header.prepend(nav);
  return nav;
}

/**
 * Marks the link of a view that shares another page's URL (Gaps lives on the map at /#gaps) as
 * current when the page's hash names it, and keeps it right as the hash changes.
 */
export function trackHashView(nav: HTMLElement, byHash: Partial<Record<string, ViewId>>, fallback: ViewId, win: Window = window): void {
  const apply = (): void => {
    const current = byHash[win.location.hash] ?? fallback;
    nav.querySelectorAll<HTMLAnchorElement>('a[data-view]').forEach((a) => {
      if (a.dataset['view'] === current) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    });
  };
  apply();
  win.addEventListener('hashchange', apply);
}
