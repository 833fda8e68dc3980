/**
 * Loads the map's devices: GET /api/map/devices/columns (the answer the page's head preloaded) into
 * the page's device table. Clustered, the answer's body goes unread to the cluster worker, which
 * parses it, hands the columns back and builds the index while this thread goes on; unclustered
 * (`?cluster=0`) the page parses it itself.
 */
import { api, type MapDeviceColumns } from '../api.js';
import type { ClusterClient } from './cluster-client.js';
import { DeviceTable } from './device-table.js';

/** a load of the devices: the page's table, and when the clusters of it can be asked */
export interface DevicesLoad { table: DeviceTable; indexed: Promise<void> }

export async function loadDevices(clusters: ClusterClient | null): Promise<DevicesLoad> {
  const res = await api.mapDeviceColumnsAnswer();
  if (!clusters) return { table: new DeviceTable((await res.json()) as MapDeviceColumns), indexed: Promise.resolve() };
  if (!res.body) throw new Error('the devices answer has no body');
  const { columns, indexed } = clusters.loadBody(res.body);
  return { table: new DeviceTable(await columns), indexed };
}
