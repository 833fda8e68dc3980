/**
 * Pruning of the files the service writes for operators, so the data dir does not fill without
 * bound (README "Failure behaviour"): scheduled report files past `retention.reportsDays` (by
 * modification time) and delivered or failed notifier deliveries, with their attempt log, past
 * `retention.deliveryLogDays` (pending deliveries are never pruned). The dead-letter file
 * (rejected.jsonl) is pruned by the write pipeline that appends to it (retention.rejectedDays).
 * Runs at start and every 24 h; each pass is one directory listing and two DELETE statements.
 */
import fs from 'node:fs';
import path from 'node:path';
import { openSqlite } from '../store/sqlite-open.js';
import type { Logger } from '../../core/log.js';

const DAY_MS = 86_400_000;

export interface RetentionDays {
  deliveryLogDays: number;
  reportsDays: number;
}

/** Deletes report files (not dotfiles: the scheduler's state) last modified before `before_ms`. */
export function pruneReports(dir: string, before_ms: number): number {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
  let removed = 0;
  for (const name of names) {
    if (name.startsWith('.')) continue;
    const file = path.join(dir, name);
    const st = fs.statSync(file, { throwIfNoEntry: false });
    if (!st?.isFile() || st.mtimeMs >= before_ms) continue;
    fs.rmSync(file, { force: true });
    removed++;
  }
  return removed;
}

/** Deletes finished deliveries and attempt-log rows older than `before_ms`; pending ones stay. */
export function pruneDeliveryLog(file: string, before_ms: number): { deliveries: number; attempts: number } {
  if (!fs.existsSync(file)) return { deliveries: 0, attempts: 0 };
  // opened like the queue itself, so a prune running beside the dispatcher waits for its lock
  const db = openSqlite(file, { synchronous: 'FULL' });
  try {
    const has = (table: string): boolean => db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined;
    const deliveries = has('deliveries')
      ? db.prepare("DELETE FROM deliveries WHERE status != 'pending' AND COALESCE(delivered_at, next_attempt_at, created_at) < ?").run(before_ms).changes
      : 0;
    const attempts = has('delivery_log') ? db.prepare('DELETE FROM delivery_log WHERE at < ?').run(before_ms).changes : 0;
    return { deliveries, attempts };
  } finally {
    db.close();
  }
}

/** Prunes now and every 24 h; returns stop(). Errors are logged, never thrown: pruning is housekeeping. */
export function startPruning(opts: { dataDir: string; retention: RetentionDays; log: Logger; now?: () => number }): () => void {
  const now = opts.now ?? Date.now;
  const pass = (): void => {
    try {
      const reports = pruneReports(path.join(opts.dataDir, 'reports'), now() - opts.retention.reportsDays * DAY_MS);
      const log = pruneDeliveryLog(path.join(opts.dataDir, 'notifications.sqlite'), now() - opts.retention.deliveryLogDays * DAY_MS);
      if (reports + log.deliveries + log.attempts > 0) opts.log.info({ reports, ...log }, 'pruned report files and notifier deliveries past their retention');
    } catch (err) {
      opts.log.warn({ err }, 'pruning report files or the notifier delivery log failed; retried in 24 h');
    }
  };
  pass();
  const timer = setInterval(pass, DAY_MS).unref();
  return () => clearInterval(timer);
}
