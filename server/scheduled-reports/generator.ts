/**
 * Writes the scheduled reports to `<dataDir>/reports/` as JSON and CSV (io/atomic-write.ts:
 * a reader never sees half a report) and announces each to the configured notifiers. The weekly
 * SLA uses the API's uptime reader (so it matches /api/uptime for the same window); the DESI
 * report is the API's buildDesiReport with toCsv.
 */
import fs from 'node:fs';
import path from 'node:path';
import { rankByImpact, windowIncidents, type Incident, type DefaultIntervals } from '../status/index.js';
import { withClientImpact } from '../status/incident-impact.js';
import type { Span } from '../analytics/intervals.js';
import type { Period } from '../analytics/period.js';
import { toCsv } from '../analytics/desi.js';
import type { UptimeResult } from '../analytics/uptime.js';
import { buildDesiReport } from '../reports/desi-report.js';
import type { Device } from '../../core/device.js';
import type { Inventory } from '../inventory/inventory.js';
import { silentLogger, type Logger } from '../../core/log.js';
import { writeFileAtomicSync } from '../../io/atomic-write.js';
import type { ReportEvent } from '../notifiers/types.js';
import type { MetricStore } from '../store/metric-store.js';
import { buildSlaReport, slaCsv, type SlaReport } from './sla.js';
import type { Window } from './periods.js';

export type UptimeReader = (devices: readonly Device[], from: number, to: number, now: number) => Promise<Map<string, UptimeResult>>;

export interface ReportGeneratorDeps {
  store: MetricStore;
  inventory: () => Inventory;
  dataDir: string;
  intervals: DefaultIntervals;
  avgHouseholdSize: number;
  /** each device's uptime over a window: the reader /api/uptime uses */
  uptimes: UptimeReader;
  maintenance?: (device: Device, from: number, to: number) => Span[];
  worstDevices?: number;
  /** called with each report written (e.g. the dispatcher's enqueue) */
  announce?: (event: ReportEvent) => void;
  logger?: Logger;
}

export interface WrittenReport {
  name: string;
  files: string[];
  event: ReportEvent;
}

export function reportsDir(dataDir: string): string {
  return path.join(dataDir, 'reports');
}

export class ReportGenerator {
  private readonly log: Logger;
  constructor(private readonly deps: ReportGeneratorDeps) {
    this.log = (deps.logger ?? silentLogger).child({ component: 'reports' });
  }

  private write(name: string, json: unknown, csv: string): string[] {
    const dir = reportsDir(this.deps.dataDir);
    fs.mkdirSync(dir, { recursive: true });
    const files = [`${name}.csv`, `${name}.json`];
    writeFileAtomicSync(path.join(dir, files[0]!), csv);
    // the JSON last: the listing keys on it, so a listed report has both files
    writeFileAtomicSync(path.join(dir, files[1]!), JSON.stringify(json, null, 2));
    return files;
  }

  private async incidents(devices: readonly Device[], from: number, to: number, now: number): Promise<Incident[]> {
    // the same list as GET /api/incidents?sort=impact for the window (APs ranked by their clients too)
    const list = await windowIncidents(this.deps.store, { devices, from, to, now, intervals: this.deps.intervals, maintenance: this.deps.maintenance });
    return rankByImpact(await withClientImpact(this.deps.store, list));
  }

  async weeklySla(period: Window, now: number): Promise<{ report: SlaReport; written: WrittenReport }> {
    const inv = this.deps.inventory();
    const devices = inv.all();
    const byDevice = await this.deps.uptimes(devices, period.from, period.to, now);
    const incidents = await this.incidents(devices, period.from, period.to, now);
    const report = buildSlaReport({ period, now, areas: inv.areas, devices, byDevice, incidents, worst: this.deps.worstDevices ?? 10 });
    const name = `weekly-sla-${period.label}`;
    const region = report.groups[0]!;
    const summary = `uptime ${region.uptime === null ? 'unknown' : `${(100 * region.uptime).toFixed(3)} %`}, ${report.incidents.length} incidents, ${period.label}`;
    return { report, written: this.finish(name, 'weekly-sla', period, report, slaCsv(report), summary, now) };
  }

  async quarterlyDesi(period: Period, now: number): Promise<WrittenReport> {
    const report = await buildDesiReport({ store: this.deps.store, inventory: this.deps.inventory(), now, intervals: this.deps.intervals, avgHouseholdSize: this.deps.avgHouseholdSize, maintenance: this.deps.maintenance }, period);
    return this.finish(`quarterly-desi-${period.label}`, 'quarterly-desi', period, report, toCsv(report), `DESI connectivity indicators for ${period.label}`, now);
  }

  private finish(name: string, type: ReportEvent['report']['type'], period: Window, json: unknown, csv: string, summary: string, now: number): WrittenReport {
    const files = this.write(name, json, csv);
    const event: ReportEvent = {
      id: `report:${name}`, kind: 'report', at: now,
      report: { name, type, period: period.label, from: new Date(period.from).toISOString(), to: new Date(period.to).toISOString(), files: files.map((f) => `/api/reports/files/${f}`), summary },
    };
    this.log.info({ report: name, files }, 'report written');
    this.deps.announce?.(event);
    return { name, files, event };
  }
}
