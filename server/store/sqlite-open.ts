/**
 * Opens a SQLite file the one way netatlas opens them (the embedded store, the alert history, the
 * notification queue, the pruner): the folder made if missing, write-ahead log (readers never
 * wait for the writer), a busy timeout (a second process, e.g. the CLI or the pruner, waits for a
 * lock instead of failing at once), and the durability the caller chooses.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export interface SqliteOpenOptions {
  /**
   * FULL: a committed transaction survives a power cut (alerts, deliveries: losing one would
   * raise an alert again or drop a notification). NORMAL: the last transactions may be lost on a
   * power cut, never corrupted (the metric store: the pipeline's spool replays what it wrote).
   */
  synchronous: 'FULL' | 'NORMAL';
  /** how long a statement waits for another connection's lock; default 5000 ms */
  busyTimeoutMs?: number;
}

export function openSqlite(file: string, opts: SqliteOpenOptions): Database.Database {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${opts.synchronous}`);
    db.pragma(`busy_timeout = ${Math.trunc(opts.busyTimeoutMs ?? 5000)}`);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}
