/**
 * The messages between the map page and its cluster worker (cluster-worker.ts): the worker fetches
 * /api/map/devices/columns, parses it, gives the page its columns back as typed arrays and builds
 * the cluster index, then answers the page's queries.
 * Requests that expect an answer carry a `seq` the answer repeats.
 */
import type { Status } from '../api.js';
import type { Drawn } from './cluster-index.js';
import type { TableColumns } from './device-table.js';

export type ToWorker =
  /** the devices' answer: fetched by the worker from `url` */
  | { type: 'load'; url: string; pageOrigin: number }
  | { type: 'status'; i: number; status: Status }
  | { type: 'rebuild'; seq: number }
  | { type: 'query'; seq: number; box: [west: number, south: number, east: number, north: number]; zoom: number }
  | { type: 'expansion'; seq: number; id: number }
  | { type: 'reveal'; seq: number; i: number; lat: number; lon: number; fromZoom: number };

export type FromWorker =
  /** the columns, and when (ms since the page's time origin) the worker sent the request, had its
   *  first and last byte (Resource Timing; undefined when the entry is missing) and had them parsed */
  | { type: 'columns'; columns: TableColumns; timing: DevicesTiming }
  | { type: 'indexed'; seq?: number; generation: number; buildMs: number }
  | { type: 'items'; seq: number; generation: number; items: Drawn[] }
  | { type: 'zoom'; seq: number; zoom: number }
  /** a request failed (with its seq), or the load did (without) */
  | { type: 'error'; seq?: number; message: string };

export interface DevicesTiming { requestStart?: number; responseStart?: number; responseEnd?: number; parsed: number; encodedBytes?: number; decodedBytes?: number }
