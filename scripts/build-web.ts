/**
 * `npm run build:web`: builds the map bundle into web/dist (the server also builds it on start
 * when it is missing or stale). `--if-stale` skips the build when the bundle is up to date.
 */
import { buildWeb, ensureWebBundle } from '../web/build.js';

const ifStale = process.argv.includes('--if-stale');
const result = ifStale ? await ensureWebBundle() : await buildWeb();
if (result) process.stdout.write(`built ${result.files.length} files into ${result.outDir} in ${result.elapsed_ms} ms\n`);
else process.stdout.write('web bundle is up to date\n');
