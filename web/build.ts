/**
 * Builds the web bundles with esbuild: each page of web/pages.ts (the map: web/src/main.ts + Leaflet
 * and their CSS and images from node_modules) and each script of WEB_SCRIPTS (the map's cluster
 * worker, with supercluster, and its head script) into web/dist/assets/, and each page's HTML
 * file into web/dist/.
 * `ensureWebBundle()` rebuilds only when a source is newer than the last build, so the server can
 * call it at start-up; concurrent builders (parallel test files) each write complete files by
 * rename, and identical sources give identical files, so they cannot leave a torn bundle.
 */
import { build } from 'esbuild';
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WEB_PAGES } from './pages.js';
import { pageHtml } from './page-shell.js';

export const WEB_ROOT = path.dirname(fileURLToPath(import.meta.url));
export const WEB_DIST = path.join(WEB_ROOT, 'dist');
const STAMP = path.join(WEB_DIST, '.build-stamp');
const PROJECT_ROOT = path.dirname(WEB_ROOT);

/** the scripts besides the pages' own: name (dist/assets/<name>.js, its URL) -> entry in web/src */
export const WEB_SCRIPTS: Readonly<Record<string, string>> = { 'cluster-worker': 'cluster-worker.ts', 'map-boot': 'map-boot.ts' };

export interface BuildResult {
  outDir: string;
  files: string[];
  elapsed_ms: number;
}

async function newestMtime(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? await newestMtime(p) : (await stat(p)).mtimeMs);
  }
  return newest;
}

/** mtime of the newest input: sources, page, this script, and the lock file (dependency versions) */
async function sourcesMtime(): Promise<number> {
  const files = [...WEB_PAGES.map((p) => path.join(WEB_ROOT, p.html)), fileURLToPath(import.meta.url), path.join(WEB_ROOT, 'pages.ts'), path.join(WEB_ROOT, 'page-shell.ts'), path.join(PROJECT_ROOT, 'package-lock.json')];
  const mtimes = await Promise.all(files.map((f) => stat(f).then((s) => s.mtimeMs, () => 0)));
  return Math.max(await newestMtime(path.join(WEB_ROOT, 'src')), ...mtimes);
}

async function writeAtomic(file: string, data: Uint8Array | string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, file);
}

export async function buildWeb(opts: { minify?: boolean } = {}): Promise<BuildResult> {
  const started = performance.now();
  const sources = await sourcesMtime();
  const result = await build({
    entryPoints: Object.fromEntries([
      ...WEB_PAGES.map((p) => [p.name, path.join(WEB_ROOT, 'src', p.entry)]),
      ...Object.entries(WEB_SCRIPTS).map(([name, entry]) => [name, path.join(WEB_ROOT, 'src', entry)]),
    ]),
    bundle: true,
    format: 'esm',
    target: ['es2022', 'chrome110', 'firefox110', 'safari16'],
    outdir: path.join(WEB_DIST, 'assets'),
    entryNames: '[name]',
    assetNames: '[name]-[hash]',
    loader: { '.png': 'file', '.svg': 'file' },
    minify: opts.minify ?? true,
    sourcemap: 'linked',
    write: false,
    logLevel: 'silent',
    absWorkingDir: PROJECT_ROOT,
  });
  const files: string[] = [];
  for (const f of result.outputFiles) {
    await writeAtomic(f.path, f.contents);
    files.push(path.relative(WEB_DIST, f.path));
  }
  for (const p of WEB_PAGES) {
    await writeAtomic(path.join(WEB_DIST, p.html), pageHtml(p, await readFile(path.join(WEB_ROOT, p.html), 'utf8')));
    files.push(p.html);
  }
  // The stamp records the sources' mtime as of before the build: an edit during the build triggers the next one.
  await writeAtomic(STAMP, String(sources));
  return { outDir: WEB_DIST, files, elapsed_ms: Math.round(performance.now() - started) };
}

/** true when web/dist is missing or older than any source */
export async function webBundleStale(): Promise<boolean> {
  const built = Number(await readFile(STAMP, 'utf8').catch(() => '0'));
  const hasIndex = await stat(path.join(WEB_DIST, 'index.html')).then(() => true, () => false);
  return !hasIndex || !(built >= (await sourcesMtime()));
}

let pending: Promise<BuildResult | null> | null = null;

/** Builds the bundle when stale; one build at a time per process. Resolves null when it was fresh. */
export function ensureWebBundle(): Promise<BuildResult | null> {
  pending ??= (async () => ((await webBundleStale()) ? buildWeb() : null))().finally(() => { pending = null; });
  return pending;
}
