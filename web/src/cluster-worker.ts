/**
 * The map's cluster worker: fetches and parses the devices' columns and builds their cluster
 * index off the page's thread, from the moment the page's head script starts it. At 100 000 devices the parse and the index are most of the page's work after the
 * answer came (about a second on a loaded 2-core machine); here they run while the page's own
 * thread starts Leaflet and its controls, and the page stays responsive. Built by web/build.ts into
 * /assets/cluster-worker.js; the protocol is layers/cluster-protocol.ts.
 */
import { MAP_DEVICE_COLUMNS_URL, readJson } from './api.js';
import { ClusterIndex, DEVICE_CLUSTERS } from './layers/cluster-index.js';
import { DeviceTable, type TableColumns } from './layers/device-table.js';
import type { DevicesTiming, FromWorker, ToWorker } from './layers/cluster-protocol.js';

interface WorkerScope {
  onmessage: ((e: MessageEvent<ToWorker>) => void) | null;
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
}
const scope = self as unknown as WorkerScope;

// The devices are asked for the moment the worker starts, before the page's first message comes:
// the page's head script started it, and every ms before the request is a ms of the page's wait.
let early: Promise<Response> | null = fetch(MAP_DEVICE_COLUMNS_URL);
// a failure is the load's to report, when it takes this answer
early.catch(() => undefined);

let table: DeviceTable | null = null;
let index: ClusterIndex | null = null;
let generation = 0;

function built(): ClusterIndex {
  if (!index) throw new Error('the cluster index is not built yet');
  return index;
}

function build(t: DeviceTable, seq?: number): void {
  index = new ClusterIndex(t, DEVICE_CLUSTERS);
  generation++;
  scope.postMessage({ type: 'indexed', ...(seq !== undefined ? { seq } : {}), generation, buildMs: index.buildMs });
}

async function handle(m: ToWorker): Promise<void> {
  switch (m.type) {
    case 'load': {
      const res = await (early && m.url === MAP_DEVICE_COLUMNS_URL ? early : fetch(m.url));
      early = null;
      table = new DeviceTable(await readJson<TableColumns>(m.url, res));
      // the page's copy first, so that it sets up its table while the index is built
      const { columns, buffers } = table.transferable();
      scope.postMessage({ type: 'columns', columns, timing: timingOf(res.url, m.pageOrigin) }, buffers);
      build(table);
      return;
    }
    case 'status':
      table?.setStatus(m.i, m.status);
      return;
    case 'rebuild':
      if (!table) throw new Error('no devices loaded');
      build(table, m.seq);
      return;
    case 'query':
      scope.postMessage({ type: 'items', seq: m.seq, generation, items: built().query(...m.box, m.zoom) });
      return;
    case 'expansion':
      scope.postMessage({ type: 'zoom', seq: m.seq, zoom: built().expansionZoom(m.id) });
      return;
    case 'reveal':
      scope.postMessage({ type: 'zoom', seq: m.seq, zoom: built().revealZoom(m.i, m.lat, m.lon, m.fromZoom) });
  }
}

/** The request's Resource Timing and the time now, on the page's timeline (ms since `pageOrigin`). */
function timingOf(url: string, pageOrigin: number): DevicesTiming {
  const shift = performance.timeOrigin - pageOrigin;
  const e = performance.getEntriesByName(url).find((x): x is PerformanceResourceTiming => x instanceof PerformanceResourceTiming);
  const on = (t: number | undefined): number | undefined => (t ? t + shift : undefined);
  return { requestStart: on(e?.requestStart), responseStart: on(e?.responseStart), responseEnd: on(e?.responseEnd), parsed: performance.now() + shift, encodedBytes: e?.encodedBodySize, decodedBytes: e?.decodedBodySize };
}

scope.onmessage = (e) => {
  const m = e.data;
  handle(m).catch((err: Error) => scope.postMessage({ type: 'error', ...('seq' in m ? { seq: m.seq } : {}), message: err.message }));
};
