/**
 * Keeps the StatusTracker's floors (per AP, the time up to which its status is known) in the data
 * dir across collector restarts, so that telemetry received after a restart never rewrites a
 * status an earlier run wrote for a later time. Saved every SAVE_EVERY_MS while running and on
 * stop: a crash forgets at most that much, and only for telemetry stamped in that last minute.
 */
import { readFileSync } from 'node:fs';
import { writeFileAtomicSync } from '../../io/atomic-write.js';
import path from 'node:path';
import type { Logger } from '../../core/log.js';
import type { StatusTracker } from './status-tracker.js';

export const SAVE_EVERY_MS = 60_000;

export class FloorFile {
  private readonly file: string;
  private timer: NodeJS.Timeout | undefined;

  constructor(dataDir: string, private readonly tracker: StatusTracker, private readonly log: Logger) {
    this.file = path.join(dataDir, 'mqtt-status-floors.json');
  }

  /** Gives the tracker what the last run saved (nothing on a first run or an unreadable file). */
  load(): void {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch {
      return; // first run
    }
    try {
      const parsed = JSON.parse(text) as unknown;
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      const floors = Object.fromEntries(Object.entries(parsed as Record<string, unknown>).filter((e): e is [string, number] => typeof e[1] === 'number'));
      this.tracker.restoreFloors(floors);
    } catch (err) {
      this.log.warn({ file: this.file, err: (err as Error).message }, 'ignoring an unreadable status floor file: telemetry after this restart is not checked against the last run');
    }
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.save(), SAVE_EVERY_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.save();
  }

  save(): void {
    try {
      writeFileAtomicSync(this.file, JSON.stringify(this.tracker.floors()));
    } catch (err) {
      this.log.warn({ file: this.file, err: (err as Error).message }, 'could not save the status floors');
    }
  }
}
