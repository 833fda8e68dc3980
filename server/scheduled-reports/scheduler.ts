/**
 * Runs the report schedules. A croner job wakes the scheduler every minute; the scheduler itself
 * decides what is due from the clock it is given (`tick(now)`), matching each schedule's cron
 * expression against the minutes since the previous tick. So a test drives it by calling tick with
 * the times it wants, and a service that was down across a scheduled minute runs that report
 * once at its next tick. The last tick is saved in `<dataDir>/reports/.last-tick`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { silentLogger, type Logger } from '../../core/log.js';
import { writeFileAtomicSync } from '../../io/atomic-write.js';
import { cronOccurrences, parseCron, scheduleCron, type CronSpec } from '../maintenance/cron.js';
import type { ReportsConfig } from './config.js';
import { reportsDir, type ReportGenerator, type WrittenReport } from './generator.js';
import { previousQuarter, previousWeek } from './periods.js';

/** A service down longer than this does not catch up on missed runs. */
const MAX_CATCH_UP_MS = 7 * 86_400_000;

interface Schedule {
  kind: 'weeklySla' | 'quarterlyDesi';
  spec: CronSpec;
}

export interface ReportSchedulerOptions {
  generator: ReportGenerator;
  config: ReportsConfig;
  dataDir: string;
  now?: () => number;
  logger?: Logger;
}

export class ReportScheduler {
  private readonly schedules: Schedule[] = [];
  private readonly now: () => number;
  private readonly log: Logger;
  private readonly stateFile: string;
  private lastTick: number | null;
  private task: CronSpec | undefined;
  private running: Promise<WrittenReport[]> | undefined;

  constructor(private readonly opts: ReportSchedulerOptions) {
    this.now = opts.now ?? Date.now;
    this.log = (opts.logger ?? silentLogger).child({ component: 'report-scheduler' });
    if (opts.config.weeklySla.enabled) this.schedules.push({ kind: 'weeklySla', spec: parseCron(opts.config.weeklySla.cron) });
    if (opts.config.quarterlyDesi.enabled) this.schedules.push({ kind: 'quarterlyDesi', spec: parseCron(opts.config.quarterlyDesi.cron) });
    this.stateFile = path.join(reportsDir(opts.dataDir), '.last-tick');
    const saved = fs.existsSync(this.stateFile) ? Number(fs.readFileSync(this.stateFile, 'utf8')) : NaN;
    this.lastTick = Number.isFinite(saved) ? saved : null;
  }

  /** Runs every schedule due in (previous tick, now]; the first tick ever only sets the mark. */
  tick(now: number = this.now()): Promise<WrittenReport[]> {
    this.running = (this.running ?? Promise.resolve([])).then(() => this.step(now), () => this.step(now));
    return this.running;
  }

  private async step(now: number): Promise<WrittenReport[]> {
    const written: WrittenReport[] = [];
    const after = this.lastTick === null ? now : Math.max(this.lastTick, now - MAX_CATCH_UP_MS);
    for (const s of this.schedules) {
      const due = cronOccurrences(s.spec, after, now);
      // several missed occurrences of one schedule: the latest covers the newest period
      const at = due[due.length - 1];
      if (at === undefined) continue;
      try {
        written.push(await this.run(s.kind, at, now));
      } catch (err) {
        this.log.error({ err, schedule: s.kind }, 'scheduled report failed');
      }
    }
    this.lastTick = now;
    fs.mkdirSync(path.dirname(this.stateFile), { recursive: true });
    writeFileAtomicSync(this.stateFile, String(now));
    return written;
  }

  /** Generates one report for the period before `firedAt` (also used by tests and an admin run). */
  async run(kind: Schedule['kind'], firedAt: number, now: number = firedAt): Promise<WrittenReport> {
    if (kind === 'weeklySla') return (await this.opts.generator.weeklySla(previousWeek(firedAt), now)).written;
    return this.opts.generator.quarterlyDesi(previousQuarter(firedAt), now);
  }

  start(): void {
    if (this.task || this.schedules.length === 0) return;
    void this.tick();
    this.task = scheduleCron('* * * * *', () => this.tick(), (err) => this.log.error({ err }, 'report tick failed'));
  }

  async stop(): Promise<void> {
    this.task?.stop();
    this.task = undefined;
    await this.running?.catch(() => undefined);
  }
}
