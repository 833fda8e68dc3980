/**
 * The one list of the web pages: each an HTML file in web/ and a script entry in web/src/, built by
 * web/build.ts into web/dist (`<name>.html` with the shared head of web/page-shell.ts,
 * `assets/<name>.js` and `.css`) and served by
 * server/web-static.ts at its route. A new view is one line here.
 */
export interface WebPage {
  /** output base name: dist/<name>.html, dist/assets/<name>.js */
  name: string;
  /** the URL path the server answers with the page */
  route: string;
  /** the script entry, relative to web/src */
  entry: string;
  /** the HTML file, relative to web/: the page's <main> only (web/page-shell.ts adds the rest) */
  html: string;
  /** the title after "netatlas — " */
  title: string;
  /** the skip link to the page's content */
  skip: { href: string; text: string };
  /** the class of <body>, if any */
  bodyClass?: string;
  /** async module scripts of the head (assets/<name>.js, web/build.ts WEB_SCRIPTS), run as soon as loaded */
  headScripts?: readonly string[];
}

export const WEB_PAGES: readonly WebPage[] = [
  { name: 'main', route: '/', entry: 'main.ts', html: 'index.html', title: 'regional connectivity map', skip: { href: '#map', text: 'Skip to the map' }, headScripts: ['map-boot'] },
  { name: 'desi', route: '/desi', entry: 'desi/desi-page.ts', html: 'desi.html', title: 'DESI connectivity report', skip: { href: '#desi-report', text: 'Skip to the report' }, bodyClass: 'na-page' },
  { name: 'overview', route: '/overview', entry: 'overview/overview-page.ts', html: 'overview.html', title: 'overview', skip: { href: '#ov-main', text: 'Skip to the overview' }, bodyClass: 'na-page' },
  { name: 'incidents', route: '/incidents', entry: 'incidents/incidents-page.ts', html: 'incidents.html', title: 'incidents', skip: { href: '#in-list', text: 'Skip to the incidents' }, bodyClass: 'na-page' },
];
