/**
 * Loads the map's devices: GET /api/map/devices/columns into the page's device table. Clustered,
 * the cluster worker fetches and parses it, hands the columns back and builds the index while this
 * thread goes on; unclustered (`?cluster=0`) the page fetches and parses it itself.
 */
import { api, MAP_DEVICE_COLUMNS_URL } from '../api.js';
import type { ClusterClient } from './cluster-client.js';
import { DeviceTable } from './device-table.js';

/** a load of the devices: the page's table, and when the clusters of it can be asked */
export interface DevicesLoad { table: DeviceTable; indexed: Promise<void> }

export async function loadDevices(clusters: ClusterClient | null): Promise<DevicesLoad> {
  if (!clusters) return { table: new DeviceTable(await api.mapDeviceColumns()), indexed: Promise.resolve() };
  const { columns, indexed } = clusters.load(MAP_DEVICE_COLUMNS_URL);
  const { columns: c, timing } = await columns;
  const table = new DeviceTable(c);
  // marks that split the page's part for the bench (map-national): the worker's request (its
  // Resource Timing is the worker's, not the page's), the columns parsed there and handed back
  // here, the index built
  const at = (name: string, t: number | undefined): void => { if (t !== undefined) performance.mark(`netatlas:devices-${name}`, { startTime: t }); };
  at('request', timing.requestStart);
  at('first-byte', timing.responseStart);
  at('last-byte', timing.responseEnd);
  at('parsed-in-worker', timing.parsed);
  if (timing.encodedBytes !== undefined) document.documentElement.dataset['devicesBytes'] = `${timing.encodedBytes} ${timing.decodedBytes ?? 0}`;
  performance.mark('netatlas:devices-columns');
  return { table, indexed: indexed.then(() => { performance.mark('netatlas:devices-indexed'); }) };
}
