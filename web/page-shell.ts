/**
 * The part every web page shares: the document head (title, the page's stylesheet), the skip
 * link, the header with the status line, and the page's script at the end. Each page's HTML file
 * in web/ holds only its own <main>; web/build.ts wraps it with this, so the pages' heads and
 * headers cannot drift apart. A page's head scripts start work that need not wait for the page's
 * script: the map's boot script starts the cluster worker, which fetches the devices (the page's
 * longest wait) while main.js loads. They are async module scripts before the stylesheet, so they
 * run as soon as they are loaded: a deferred one waited for the document and its stylesheet.
 */
import type { WebPage } from './pages.js';

const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The whole document of page `p` around its <main> (the text of its HTML file, indented by 4). */
export function pageHtml(p: WebPage, main: string): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>netatlas — ${escape(p.title)}</title>
${(p.headScripts ?? []).map((n) => `    <script type="module" async src="/assets/${escape(n)}.js"></script>\n`).join('')}    <link rel="stylesheet" href="/assets/${p.name}.css">
    <link rel="icon" href="data:,">
  </head>
  <body${p.bodyClass ? ` class="${escape(p.bodyClass)}"` : ''}>
    <a class="na-skip" href="${escape(p.skip.href)}">${escape(p.skip.text)}</a>
    <header class="na-header">
      <h1>netatlas</h1>
      <p id="na-status" class="na-status" role="status" aria-live="polite"></p>
    </header>
${main.replace(/\n+$/, '')}
    <script type="module" src="/assets/${p.name}.js"></script>
  </body>
</html>
`;
}
