/**
 * web/page-shell.ts: each page's HTML file holds only its <main>; the build wraps it in the head,
 * skip link, header and script every page shares. Expected text written out by hand.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { pageHtml } from '../../web/page-shell.js';
import { WEB_PAGES } from '../../web/pages.js';

describe('the page shell', () => {
  it('wraps the overview\'s <main> in the shared head, skip link, header and its script', () => {
    const overview = WEB_PAGES.find((p) => p.name === 'overview')!;
    expect(pageHtml(overview, '    <main id="ov-main">x</main>\n')).toBe(`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>netatlas — overview</title>
    <link rel="stylesheet" href="/assets/overview.css">
    <link rel="icon" href="data:,">
  </head>
  <body class="na-page">
    <a class="na-skip" href="#ov-main">Skip to the overview</a>
    <header class="na-header">
      <h1>netatlas</h1>
      <p id="na-status" class="na-status" role="status" aria-live="polite"></p>
    </header>
    <main id="ov-main">x</main>
    <script type="module" src="/assets/overview.js"></script>
  </body>
</html>
`);
  });

  it('has the map page\'s head run its boot script (it starts the cluster worker) as soon as it is loaded, before the page\'s own', () => {
    const html = pageHtml(WEB_PAGES.find((p) => p.name === 'main')!, '');
    expect(html).toContain(`    <title>netatlas — regional connectivity map</title>
    <script type="module" async src="/assets/map-boot.js"></script>
    <link rel="stylesheet" href="/assets/main.css">
    <link rel="icon" href="data:,">
  </head>`);
    expect(html.indexOf('/assets/map-boot.js')).toBeLessThan(html.indexOf('/assets/main.js'));
    // the other pages have no head script
    expect(WEB_PAGES.filter((p) => pageHtml(p, '').split('</head>')[0]!.includes('<script')).map((p) => p.name)).toEqual(['main']);
  });

  it('gives the map page a body without class, and every page a skip link to an id its own <main> holds', () => {
    expect(pageHtml(WEB_PAGES.find((p) => p.name === 'main')!, '')).toContain('  <body>\n');
    for (const p of WEB_PAGES) {
      const main = readFileSync(new URL(`../../web/${p.html}`, import.meta.url), 'utf8');
      expect(main.trimStart().startsWith('<main'), p.html).toBe(true);
      expect(main, `${p.html} has no element with the skip link's target ${p.skip.href}`).toContain(`id="${p.skip.href.slice(1)}"`);
    }
  });
});
