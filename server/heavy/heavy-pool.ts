/**
 * The API's heavy reads off its event loop (issue 14 item 2): long-window uptime, incidents and
 * the APs' client impact run in worker threads (heavy-worker.ts), pooled by piscina, so an
 * expensive request never holds the thread that answers /api/health, the map and the event
 * streams. Routes reach it through ApiDeps.heavy (server/api/live-reads.ts); without a pool
 * (tests that build ApiDeps themselves) the same tasks run in the API's thread.
 */
import { Piscina } from 'piscina';
import type { Device } from '../../core/device.js';
import type { Point } from '../../core/point.js';
import { StoreRejectedError, StoreUnavailableError } from '../../core/point-writer.js';
import type { StoreConfig } from '../store/create-store.js';
import type { DeviceUptimes } from '../status/device-uptimes.js';
import type { GroupedUptimes, UptimeGroupTag } from '../status/group-uptimes.js';
import type { DefaultIntervals, Incident } from '../status/index.js';
import type { MaintenanceWindowInput } from '../maintenance/config.js';
import type { HeavyAnswer, HeavyResults, HeavyTask, WindowTask } from './heavy-tasks.js';
import { DeviceSharer, type DeviceRef } from './shared-devices.js';
import type { HeavyWorkerInput } from './heavy-worker.js';

/** A window over some devices, as the routes ask it. */
export interface HeavyWindow {
  devices: readonly Device[];
  from: number;
  to: number;
  now: number;
  intervals: DefaultIntervals;
}

/** What the routes ask of the pool (ApiDeps.heavy). */
export interface HeavyReads {
  /** deviceUptimes (server/status/device-uptimes.ts) */
  uptimes(w: HeavyWindow): Promise<DeviceUptimes>;
  /** groupedUptimes (server/status/group-uptimes.ts): undefined when the caller must group per device */
  groupedUptimes(w: HeavyWindow & { tag: UptimeGroupTag }): Promise<GroupedUptimes | undefined>;
  /** windowIncidents (server/status/reader.ts); `firstN`: only the first N by start are needed */
  incidents(w: HeavyWindow & { firstN?: number | undefined }): Promise<Incident[]>;
  /** withClientImpact (server/status/incident-impact.ts) */
  clientImpact(incidents: Incident[]): Promise<Incident[]>;
  /** computeRollups (server/rollups.ts) of the whole hours in [from, to) */
  rollups(w: Omit<HeavyWindow, 'now'>): Promise<Point[]>;
}

export interface HeavyPoolOptions {
  /** the store config the API's own store was opened with: each worker opens its own connection */
  store: Omit<StoreConfig, 'logger'>;
  /** threads at most: the heavy gate's concurrency (http.limits.heavyConcurrency) */
  threads: number;
  logLevel: string;
  /** the maintenance windows in force (MaintenanceWindows.list()); none when absent */
  maintenanceWindows?: (() => readonly MaintenanceWindowInput[]) | undefined;
  /** how much lower the workers' priority is than the API thread's (Linux nice); default 10 */
  nice?: number;
  /**
   * the current inventory's devices (the same array until it changes): tasks over them carry
   * indices into a shared copy instead of the devices (shared-devices.ts); without it, the devices
   */
  inventory?: (() => readonly Device[]) | undefined;
}

export class HeavyPool implements HeavyReads {
  private readonly pool: Piscina<HeavyTask, HeavyAnswer>;
  private readonly sharer: DeviceSharer | undefined;

  constructor(private readonly o: HeavyPoolOptions) {
    this.sharer = o.inventory ? new DeviceSharer(o.inventory) : undefined;
    const workerData: HeavyWorkerInput = { store: o.store, logLevel: o.logLevel, nice: o.nice ?? 10 };
    this.pool = new Piscina<HeavyTask, HeavyAnswer>({
      filename: new URL('./heavy-worker.ts', import.meta.url).href,
      // module hooks are per thread: each worker loads tsx's loader before the TypeScript entry
      execArgv: ['--import', import.meta.resolve('tsx')],
      workerData,
      // started with the service, not by the first heavy request: loading a worker (tsx, the
      // store, the status rules) costs a second of CPU that would compete with the API right then
      minThreads: o.threads,
      maxThreads: o.threads,
    });
  }

  /**
   * Builds the shared copy of the current inventory now (shared-devices.ts), rather than in the
   * first heavy request after a change: called at start and whenever the inventory changes.
   */
  prepareInventory(): void {
    this.sharer?.prepare();
  }

  private async run<K extends HeavyTask['kind']>(task: HeavyTask & { kind: K }): Promise<HeavyResults[K]> {
    const answer = await this.pool.run(task);
    if (answer.ok) return answer.value as HeavyResults[K];
    // the API maps store errors by name (server/errors.ts): give them their class back
    const Cls = answer.name === 'StoreUnavailableError' ? StoreUnavailableError : answer.name === 'StoreRejectedError' ? StoreRejectedError : Error;
    throw new Cls(`heavy read (${task.kind}): ${answer.message}`);
  }

  private ref(devices: readonly Device[]): DeviceRef {
    return this.sharer ? this.sharer.ref(devices) : { devices };
  }

  private window(w: HeavyWindow): WindowTask {
    return { devices: this.ref(w.devices), from: w.from, to: w.to, now: w.now, intervals: w.intervals, maintenance: this.o.maintenanceWindows?.() ?? [] };
  }

  uptimes(w: HeavyWindow): Promise<DeviceUptimes> {
    return this.run({ kind: 'uptimes', ...this.window(w) });
  }

  groupedUptimes(w: HeavyWindow & { tag: UptimeGroupTag }): Promise<GroupedUptimes | undefined> {
    return this.run({ kind: 'group-uptimes', ...this.window(w), tag: w.tag });
  }

  incidents(w: HeavyWindow & { firstN?: number | undefined }): Promise<Incident[]> {
    return this.run({ kind: 'incidents', ...this.window(w), firstN: w.firstN });
  }

  clientImpact(incidents: Incident[]): Promise<Incident[]> {
    return this.run({ kind: 'client-impact', incidents });
  }

  rollups(w: Omit<HeavyWindow, 'now'>): Promise<Point[]> {
    return this.run({ kind: 'rollups', devices: this.ref(w.devices), from: w.from, to: w.to, intervals: w.intervals, maintenance: this.o.maintenanceWindows?.() ?? [] });
  }

  /** threads started so far (for tests and health) */
  get threads(): number {
    return this.pool.threads.length;
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }
}
