/**
 * A map server in its own process, for the scale test and the bench: `tsx map-server-process.ts N`
 * starts the app with N synthetic devices, one fresh status sample each, and prints
 * `{"url": …}` on stdout when it listens. In its own process because the area coverage of
 * thousands of wifi discs is computed synchronously and would stall a test process's browser
 * driver while it runs; the parent kills this process when done.
 */
import { startMapServer } from './map-harness.js';
import { seedLatest, syntheticDevices } from './map-seed.js';

const n = Number(process.argv[2] ?? 10_000);
const server = await startMapServer({ devices: syntheticDevices(n) });
await seedLatest(server.store, server.inventory, Date.now());
process.stdout.write(JSON.stringify({ url: server.url, devices: n }) + '\n');
const stop = (): void => { void server.close().finally(() => process.exit(0)); };
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
