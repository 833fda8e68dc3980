/**
 * The DESI report for a period, from the store and the inventory: shared by
 * `GET /api/reports/desi` and `netatlas report desi`, so both give the same numbers.
 */
import { coverage, type CoverageCache } from '../analytics/coverage.js';
import { desiReport, type DesiReport } from '../analytics/desi.js';
import type { Period } from '../analytics/period.js';
import type { Span } from '../analytics/intervals.js';
import type { Device } from '../../core/device.js';
import type { Inventory } from '../inventory/inventory.js';
import type { MetricStore } from '../store/metric-store.js';
import { deviceUptimes } from '../status/device-uptimes.js';
import type { DefaultIntervals } from '../status/index.js';

export interface DesiContext {
  store: MetricStore;
  inventory: Inventory;
  now: number;
  intervals: DefaultIntervals;
  avgHouseholdSize: number;
  cache?: CoverageCache | undefined;
  /** maintenance windows per device, excluded from network availability like unknown time */
  maintenance?: ((device: Device, from: number, to: number) => Span[]) | undefined;
}

export async function buildDesiReport(ctx: DesiContext, period: Period): Promise<DesiReport> {
  const devices = ctx.inventory.all();
  const u = await deviceUptimes(ctx.store, { devices, from: period.from, to: period.to, now: ctx.now, intervals: ctx.intervals, maintenance: ctx.maintenance });
  const cov = coverage(ctx.inventory.areas, devices, { ...(ctx.cache ? { cache: ctx.cache } : {}), density: ctx.inventory.density });
  return desiReport({
    period, areas: ctx.inventory.areas, devices, uptimeByDevice: u.byDevice, coverage: cov,
    avgHouseholdSize: ctx.avgHouseholdSize, now: ctx.now,
  });
}
