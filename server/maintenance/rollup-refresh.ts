/**
 * Keeps the hourly rollups in step with the maintenance windows. A rollup carries the
 * maintenance_s of its hour as the windows stood when it was computed, and the job only
 * recomputes the last hours; so a window added or removed through the API for past hours would
 * leave /api/uptime over long windows (read from rollups) different from the raw computation.
 * After each change, the hours the window overlaps are rolled up again for the devices it covers,
 * through the rollup job's own code (server/rollups.ts).
 *
 * Bounded: only hours that already hold rollups (an hour without them is computed from raw
 * samples anyway, or by the job later), within the long retention, and not older than the raw
 * retention: a rollup outlives its raw samples, and recomputing an hour whose samples are gone
 * would turn its up/down time into unknown. Rolled-up hours stay rolled-up, so the API's cache
 * of "hours that have rollups" (server/api/device-uptimes.ts) stays true as it is.
 */
import type { Span } from '../analytics/intervals.js';
import { HOUR_MS } from '../status/device-uptimes.js';
import type { DefaultIntervals } from '../status/index.js';
import type { Device } from '../../core/device.js';
import { silentLogger, type Logger } from '../../core/log.js';
import { recomputeRollups, rolledHours } from '../rollups.js';
import type { MetricStore } from '../store/metric-store.js';
import type { MaintenanceWindowInput } from './config.js';
import { MaintenanceWindows } from './windows.js';

const DAY_MS = 24 * HOUR_MS;
export const DEFAULT_LONG_RETENTION_MS = 1825 * DAY_MS;

export interface RollupRefreshOptions {
  store: MetricStore;
  windows: MaintenanceWindows;
  devices: () => readonly Device[];
  intervals: DefaultIntervals;
  now?: () => number;
  /** how long rollups are kept; default 1825 days. 0 = forever */
  longRetentionMs?: number;
  /** how long raw samples are kept (InfluxDB `raw` policy); undefined or 0 = forever (SQLite) */
  rawRetentionMs?: number | undefined;
  log?: Logger;
}

export interface RollupRefresh {
  /** whole hours rolled up again */
  hours: number;
  /** rollup points written */
  points: number;
  /** devices the window covers */
  devices: number;
}

export class MaintenanceRollupRefresher {
  private readonly log: Logger;
  private readonly now: () => number;

  constructor(private readonly opts: RollupRefreshOptions) {
    this.log = (opts.log ?? silentLogger).child({ component: 'maintenance-rollups' });
    this.now = opts.now ?? Date.now;
  }

  /** The oldest hour that may be recomputed: inside both retentions. */
  private horizon(lastWhole: number): number {
    const long = this.opts.longRetentionMs ?? DEFAULT_LONG_RETENTION_MS;
    let from = long > 0 ? lastWhole - long : 0;
    const raw = this.opts.rawRetentionMs ?? 0;
    // one hour of margin: an hour's state starts from the last sample before it
    if (raw > 0) from = Math.max(from, Math.ceil((this.now() - raw) / HOUR_MS) * HOUR_MS + HOUR_MS);
    return from;
  }

  /**
   * Roll up again the past hours `w` overlaps, for the devices it covers, with the windows as
   * they stand now (call after the window was added, or after it was removed).
   */
  async refresh(w: MaintenanceWindowInput): Promise<RollupRefresh> {
    const lastWhole = Math.floor(this.now() / HOUR_MS) * HOUR_MS;
    let from = this.horizon(lastWhole), to = lastWhole;
    if (w.start !== undefined && w.end !== undefined) {
      from = Math.max(from, Math.floor(Date.parse(w.start) / HOUR_MS) * HOUR_MS);
      to = Math.min(to, Math.ceil(Date.parse(w.end) / HOUR_MS) * HOUR_MS);
    }
    const devices = this.opts.devices().filter((d) => MaintenanceWindows.applies(w, d));
    if (devices.length === 0 || to <= from) return { hours: 0, points: 0, devices: devices.length };
    const started = Date.now();
    const hours: Span[] = [];
    // a recurring window's occurrences are looked for only where rollups exist
    for (const rolled of await rolledHours(this.opts.store, from, to)) {
      for (const s of this.opts.windows.windowSpans(w, rolled.start, rolled.end)) {
        hours.push({ start: Math.floor(s.start / HOUR_MS) * HOUR_MS, end: Math.min(rolled.end, Math.ceil(s.end / HOUR_MS) * HOUR_MS) });
      }
    }
    const runs = await recomputeRollups(this.opts.store, devices, hours, this.opts.intervals, (d, f, t) => this.opts.windows.spansFor(d, f, t));
    const out = { hours: runs.reduce((n, r) => n + r.hours, 0), points: runs.reduce((n, r) => n + r.points, 0), devices: devices.length };
    this.log.info({ ...out, ms: Date.now() - started }, 'rollups recomputed after a maintenance change');
    return out;
  }
}
