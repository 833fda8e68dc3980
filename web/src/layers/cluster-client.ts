/**
 * The page's side of the cluster worker (cluster-worker.ts): has it fetch the devices, gets the
 * columns back, and asks it for the clusters of a view, a cluster's expansion zoom, the zoom that
 * reveals a device, and rebuilds after status changes. Every answer is a promise; a worker that
 * fails rejects what waits on it with the worker's message.
 */
import type { Status } from '../api.js';
import type { Drawn } from './cluster-index.js';
import type { DevicesTiming, FromWorker, ToWorker } from './cluster-protocol.js';
import type { TableColumns } from './device-table.js';

/** The clusters the devices layer draws, wherever they are computed. */
export interface Clusters {
  /** ms the last index build took (the layer spaces rebuilds by it) */
  readonly buildMs: number;
  /** the clusters and single devices in [west, south, east, north] at `zoom`, and the index generation they come from */
  query(west: number, south: number, east: number, north: number, zoom: number): Promise<{ generation: number; items: Drawn[] }>;
  expansionZoom(clusterId: number): Promise<number>;
  revealZoom(i: number, lat: number, lon: number, fromZoom: number): Promise<number>;
  /** tells the index a device's status (counted from its next build) */
  setStatus(i: number, status: Status): void;
  rebuild(): Promise<void>;
}

interface Waiting { resolve(m: FromWorker): void; reject(err: Error): void }

export class ClusterClient implements Clusters {
  buildMs = 0;
  private seq = 0;
  private readonly waiting = new Map<number, Waiting>();
  /** the load in progress: its columns, then its index */
  private loading: { columns: Waiting; indexed: Waiting } | null = null;

  constructor(private readonly worker: Worker) {
    worker.onmessage = (e: MessageEvent<FromWorker>) => this.received(e.data);
    worker.onerror = (e: ErrorEvent) => this.failAll(new Error(`cluster worker: ${e.message || 'failed to start'}`));
  }

  /** Has the worker fetch the devices from `url`; resolves with the columns, then (indexed) once clusters can be asked. */
  load(url: string): { columns: Promise<{ columns: TableColumns; timing: DevicesTiming }>; indexed: Promise<void> } {
    this.loading?.columns.reject(new Error('replaced by a newer load'));
    this.loading?.indexed.reject(new Error('replaced by a newer load'));
    let columns!: Waiting, indexed!: Waiting;
    const c = new Promise<FromWorker>((resolve, reject) => { columns = { resolve, reject }; });
    const i = new Promise<FromWorker>((resolve, reject) => { indexed = { resolve, reject }; });
    this.loading = { columns, indexed };
    this.send({ type: 'load', url, pageOrigin: performance.timeOrigin });
    const out = {
      columns: c.then((m) => (m.type === 'columns' ? { columns: m.columns, timing: m.timing } : Promise.reject(new Error(`cluster worker: ${m.type} instead of columns`)))),
      indexed: i.then(() => undefined),
    };
    // handled where they are awaited; a caller that stopped at a failed columns never awaits the index
    out.columns.catch(() => undefined);
    out.indexed.catch(() => undefined);
    return out;
  }

  async query(west: number, south: number, east: number, north: number, zoom: number): Promise<{ generation: number; items: Drawn[] }> {
    const m = await this.ask((seq) => ({ type: 'query', seq, box: [west, south, east, north], zoom }));
    return m.type === 'items' ? { generation: m.generation, items: m.items } : { generation: 0, items: [] };
  }

  async expansionZoom(clusterId: number): Promise<number> {
    return this.zoomOf(await this.ask((seq) => ({ type: 'expansion', seq, id: clusterId })));
  }

  async revealZoom(i: number, lat: number, lon: number, fromZoom: number): Promise<number> {
    return this.zoomOf(await this.ask((seq) => ({ type: 'reveal', seq, i, lat, lon, fromZoom })));
  }

  setStatus(i: number, status: Status): void {
    this.send({ type: 'status', i, status });
  }

  async rebuild(): Promise<void> {
    await this.ask((seq) => ({ type: 'rebuild', seq }));
  }

  private zoomOf(m: FromWorker): number {
    if (m.type !== 'zoom') throw new Error(`cluster worker: ${m.type} instead of a zoom`);
    return m.zoom;
  }

  private ask(request: (seq: number) => ToWorker): Promise<FromWorker> {
    const seq = ++this.seq;
    return new Promise<FromWorker>((resolve, reject) => {
      this.waiting.set(seq, { resolve, reject });
      this.send(request(seq));
    });
  }

  private send(m: ToWorker, transfer: Transferable[] = []): void {
    this.worker.postMessage(m, transfer);
  }

  private received(m: FromWorker): void {
    if (m.type === 'indexed') this.buildMs = m.buildMs;
    const seq = 'seq' in m ? m.seq : undefined;
    if (seq !== undefined) {
      const w = this.waiting.get(seq);
      this.waiting.delete(seq);
      if (m.type === 'error') w?.reject(new Error(`cluster worker: ${m.message}`));
      else w?.resolve(m);
      return;
    }
    // the load's messages carry no seq
    const load = this.loading;
    if (!load) return;
    if (m.type === 'error') { this.loading = null; const err = new Error(`cluster worker: ${m.message}`); load.columns.reject(err); load.indexed.reject(err); }
    else if (m.type === 'columns') load.columns.resolve(m);
    else if (m.type === 'indexed') { this.loading = null; load.indexed.resolve(m); }
  }

  private failAll(err: Error): void {
    for (const w of this.waiting.values()) w.reject(err);
    this.waiting.clear();
    this.loading?.columns.reject(err);
    this.loading?.indexed.reject(err);
    this.loading = null;
  }
}
