/**
 * The map page's first script (an async module script in its head, run as soon as it is loaded,
 * before main.js): starts the
 * cluster worker, which fetches, parses and indexes the devices while main.js (Leaflet, the layers
 * and controls: most of the page's script) is still loading and starting. At 100 000 devices that
 * is what the page waits for; started from main.js instead, the worker began a few hundred ms
 * later, and a fetch made on the page waited for main.js to let the page's thread take its answer. main.ts takes what
 * was started with mapBoot(), which starts it itself when this script did not run.
 */
import { ClusterClient } from './layers/cluster-client.js';
import { loadDevices, type DevicesLoad } from './layers/device-source.js';
import { clusteredIn } from './web-config.js';

export interface MapBoot {
  /** the cluster worker's client; null unclustered (`?cluster=0`) */
  clusters: ClusterClient | null;
  /** the first load of the devices, settled into a value (a failure is reported where it is awaited) */
  devices: Promise<{ load: DevicesLoad } | { err: Error }>;
}

/** where this script leaves the boot for main.js (two bundles: a global is their one shared place) */
const KEY = '__netatlasMapBoot';

function start(): MapBoot {
  const clusters = clusteredIn(location.search) ? new ClusterClient(new Worker('/assets/cluster-worker.js', { type: 'module' })) : null;
  return { clusters, devices: loadDevices(clusters).then((load) => ({ load }), (err: Error) => ({ err })) };
}

/** The boot this page's head started, or one started now. */
export function mapBoot(): MapBoot {
  const g = globalThis as { [KEY]?: MapBoot };
  g[KEY] ??= start();
  return g[KEY];
}

// run as the head's script (its own bundle): start now; bundled into main.js, main calls it
if (import.meta.url.endsWith('/map-boot.js')) mapBoot();
