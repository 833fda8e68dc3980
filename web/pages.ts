/**
 * The one list of the web pages: each an HTML file in web/ and a script entry in web/src/, built by
 * web/build.ts into web/dist (`<name>.html`, `assets/<name>.js` and `.css`) and served by
 * server/web-static.ts at its route. A new view is one line here.
 */
export interface WebPage {
  /** output base name: dist/<name>.html, dist/assets/<name>.js */
  name: string;
  /** the URL path the server answers with the page */
  route: string;
  /** the script entry, relative to web/src */
  entry: string;
  /** the HTML file, relative to web/ */
  html: string;
}

export const WEB_PAGES: readonly WebPage[] = [
  { name: 'main', route: '/', entry: 'main.ts', html: 'index.html' },
  { name: 'desi', route: '/desi', entry: 'desi/desi-page.ts', html: 'desi.html' },
  { name: 'overview', route: '/overview', entry: 'overview/overview-page.ts', html: 'overview.html' },
  { name: 'incidents', route: '/incidents', entry: 'incidents/incidents-page.ts', html: 'incidents.html' },
];
