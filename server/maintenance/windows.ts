/**
 * The maintenance windows in force: those of the config file (read-only) plus those added through
 * the API, which are persisted to `<dataDir>/maintenance.json` (written to a temp file, fsynced,
 * renamed, so a crash leaves the old or the new list, never half of one).
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Span } from '../analytics/intervals.js';
import { merge } from '../analytics/intervals.js';
import { silentLogger, type Logger } from '../../core/log.js';
import { writeFileAtomicSync } from '../../io/atomic-write.js';
import { cronOccurrences, parseCron, type CronSpec } from './cron.js';
import { maintenanceWindowSchema, type MaintenanceWindowInput } from './config.js';

export interface MaintenanceWindow extends MaintenanceWindowInput {
  id: string;
  source: 'config' | 'api';
}

/** What a window can target: a device is in a window aimed at it, its site or its area. */
export interface MaintenanceTarget {
  id: string;
  site: string;
  area: string;
}

const MINUTE = 60_000;
/** recurring-window ranges kept; a full cache is emptied (the ranges asked for move with the clock) */
const MAX_CACHED_RANGES = 1024;

export class MaintenanceWindows {
  private readonly file: string | undefined;
  private readonly log: Logger;
  private readonly fromConfig: MaintenanceWindow[];
  private api: MaintenanceWindow[] = [];
  private readonly crons = new Map<string, CronSpec>();
  private readonly recurring = new Map<string, Span[]>();

  constructor(opts: { configured?: readonly MaintenanceWindowInput[]; dataDir?: string; logger?: Logger }) {
    this.log = (opts.logger ?? silentLogger).child({ component: 'maintenance' });
    this.fromConfig = (opts.configured ?? []).map((w, i) => ({ ...w, id: w.id ?? `config-${i + 1}`, source: 'config' as const }));
    this.file = opts.dataDir === undefined ? undefined : path.join(opts.dataDir, 'maintenance.json');
    if (this.file && fs.existsSync(this.file)) this.api = this.readFile(this.file);
  }

  private readFile(file: string): MaintenanceWindow[] {
    const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    if (!Array.isArray(raw)) throw new Error(`${file}: expected a JSON array of maintenance windows`);
    return raw.map((item, i) => {
      const parsed = maintenanceWindowSchema.safeParse(item);
      if (!parsed.success || parsed.data.id === undefined) throw new Error(`${file}[${i}]: not a valid maintenance window`);
      return { ...parsed.data, id: parsed.data.id, source: 'api' as const };
    });
  }

  private persist(): void {
    if (!this.file) return;
    writeFileAtomicSync(this.file, JSON.stringify(this.api.map(({ source: _s, ...w }) => w), null, 2));
  }

  list(): MaintenanceWindow[] {
    return [...this.fromConfig, ...this.api];
  }

  get(id: string): MaintenanceWindow | undefined {
    return this.list().find((w) => w.id === id);
  }

  /** Adds a validated window (an id is made when absent). Throws when the id is taken. */
  add(input: MaintenanceWindowInput): MaintenanceWindow {
    const id = input.id ?? randomUUID();
    if (this.get(id)) throw new Error(`id: a maintenance window "${id}" already exists`);
    const w: MaintenanceWindow = { ...input, id, source: 'api' };
    this.api.push(w);
    this.persist();
    this.log.info({ window: w }, 'maintenance window added');
    return w;
  }

  /** Removes an API-made window; 'config' when the window comes from the config file. */
  remove(id: string): 'removed' | 'not_found' | 'config' {
    if (this.fromConfig.some((w) => w.id === id)) return 'config';
    const before = this.api.length;
    this.api = this.api.filter((w) => w.id !== id);
    if (this.api.length === before) return 'not_found';
    this.persist();
    this.log.info({ id }, 'maintenance window removed');
    return 'removed';
  }

  private cron(expr: string): CronSpec {
    let spec = this.crons.get(expr);
    if (!spec) this.crons.set(expr, (spec = parseCron(expr)));
    return spec;
  }

  /** The spans of one window overlapping [from, to). */
  windowSpans(w: MaintenanceWindowInput, from: number, to: number): Span[] {
    if (w.start !== undefined && w.end !== undefined) {
      const s = { start: Math.max(Date.parse(w.start), from), end: Math.min(Date.parse(w.end), to) };
      return s.end > s.start ? [s] : [];
    }
    if (w.cron === undefined || w.durationMin === undefined) return [];
    // An area's window is asked once per device of the area over the same range: the spans
    // depend only on the recurrence and the range, so they are kept (a bounded cache).
    const key = `${w.cron}|${w.durationMin}|${from}|${to}`;
    let spans = this.recurring.get(key);
    if (!spans) {
      const len = w.durationMin * MINUTE;
      const out: Span[] = [];
      // occurrences that started before `from` may still be running at `from`: starts in [from - len, to)
      for (const t of cronOccurrences(this.cron(w.cron), Math.floor((from - len) / MINUTE) * MINUTE - 1, to - 1)) {
        if (t + len > from) out.push({ start: Math.max(t, from), end: Math.min(t + len, to) });
      }
      spans = merge(out);
      if (this.recurring.size >= MAX_CACHED_RANGES) this.recurring.clear();
      this.recurring.set(key, spans);
    }
    return spans.map((s) => ({ ...s }));
  }

  static applies(w: MaintenanceWindowInput, target: MaintenanceTarget): boolean {
    return (w.device !== undefined && w.device === target.id) || (w.site !== undefined && w.site === target.site) || (w.area !== undefined && w.area === target.area);
  }

  /** Maintenance of one device in [from, to): the input `maintenance` of the uptime analytics. */
  spansFor(target: MaintenanceTarget, from: number, to: number): Span[] {
    const out: Span[] = [];
    for (const w of this.list()) if (MaintenanceWindows.applies(w, target)) out.push(...this.windowSpans(w, from, to));
    return merge(out);
  }

  isActive(target: MaintenanceTarget, at: number): boolean {
    return this.spansFor(target, at, at + 1).length > 0;
  }
}
