/**
 * A map server in its own process, for the scale test and the bench: `tsx map-server-process.ts N`
 * starts the app with N synthetic devices, one fresh status sample each, and prints
 * `{"url": …}` on stdout when it listens. With `--live` the API reads a live state restored after
 * the seeding, as the service does (server/compose/api.ts), instead of recomputing from the store. In its own process because the area coverage of
 * thousands of wifi discs is computed synchronously and would stall a test process's browser
 * driver while it runs; the parent kills this process when done.
 */
import { startMapServer } from './map-harness.js';
import { seedLatest, syntheticDevices } from './map-seed.js';

const n = Number(process.argv[2] ?? 10_000);
const live = process.argv.includes('--live');
const server = await startMapServer({ devices: syntheticDevices(n), live });
await seedLatest(server.store, server.inventory, Date.now());
const restoreStarted = performance.now();
await server.live?.start();
const liveRestoreMs = server.live ? Math.round(performance.now() - restoreStarted) : null;
process.stdout.write(JSON.stringify({ url: server.url, devices: n, liveRestoreMs }) + '\n');
const stop = (): void => { void server.close().finally(() => process.exit(0)); };
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
