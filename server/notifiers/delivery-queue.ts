/**
 * The persisted delivery queue and delivery log (SQLite, `<dataDir>/notifications.sqlite`, WAL,
 * synchronous=FULL so an acknowledged enqueue survives a power cut).
 *
 * One row per (event id, notifier): enqueueing the same event again is a no-op, and a row marked
 * delivered is never handed out again, so the sender never re-sends a delivered event. The one
 * window left is a crash after the receiver answered 2xx and before the row was marked: the
 * event is then sent again with the same `Idempotency-Key`, which the receiver dedupes on.
 */
import path from 'node:path';
import type Database from 'better-sqlite3';
import { openSqlite } from '../store/sqlite-open.js';
import type { NotificationEvent } from './types.js';

export interface PendingDelivery {
  eventId: string;
  notifier: string;
  event: NotificationEvent;
  createdAt: number;
  attempts: number;
  nextAttemptAt: number;
}

export interface DeliveryLogEntry {
  eventId: string;
  notifier: string;
  attempt: number;
  at: number;
  ok: boolean;
  status: number | null;
  error: string | null;
  durationMs: number;
}

export interface QueueCounts { pending: number; delivered: number; failed: number }

const SCHEMA = `
CREATE TABLE IF NOT EXISTS deliveries (
  event_id TEXT NOT NULL, notifier TEXT NOT NULL, payload TEXT NOT NULL,
  created_at INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending', last_error TEXT, delivered_at INTEGER,
  PRIMARY KEY (event_id, notifier));
CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries (status, next_attempt_at);
CREATE INDEX IF NOT EXISTS deliveries_lane ON deliveries (notifier, status, created_at);
CREATE TABLE IF NOT EXISTS delivery_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL, notifier TEXT NOT NULL, attempt INTEGER NOT NULL,
  at INTEGER NOT NULL, ok INTEGER NOT NULL, status INTEGER, error TEXT, duration_ms INTEGER NOT NULL);
`;

export class DeliveryQueue {
  private readonly db: Database.Database;

  constructor(opts: { dataDir?: string; path?: string }) {
    const file = opts.path ?? path.join(opts.dataDir ?? './data', 'notifications.sqlite');
    this.db = openSqlite(file, { synchronous: 'FULL' });
    this.db.exec(SCHEMA);
  }

  /** Queues the event for each notifier; returns how many rows were new. */
  enqueue(event: NotificationEvent, notifiers: readonly string[], now: number): number {
    const insert = this.db.prepare('INSERT OR IGNORE INTO deliveries (event_id, notifier, payload, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?)');
    const payload = JSON.stringify(event);
    return this.db.transaction(() => notifiers.reduce((n, name) => n + insert.run(event.id, name, payload, now, now).changes, 0))();
  }

  /**
   * Pending deliveries, oldest first (the dispatcher keeps each receiver's events in this order);
   * with `notifier`, only that receiver's (its lane: a backlog of one never hides another's).
   */
  pending(limit = 100, notifier?: string): PendingDelivery[] {
    const sql = "SELECT event_id, notifier, payload, created_at, attempts, next_attempt_at FROM deliveries WHERE status = 'pending'"
      + (notifier === undefined ? '' : ' AND notifier = ?') + ' ORDER BY created_at, rowid LIMIT ?';
    const rows = (notifier === undefined ? this.db.prepare(sql).all(limit) : this.db.prepare(sql).all(notifier, limit)) as { event_id: string; notifier: string; payload: string; created_at: number; attempts: number; next_attempt_at: number }[];
    return rows.map((r) => ({ eventId: r.event_id, notifier: r.notifier, event: JSON.parse(r.payload) as NotificationEvent, createdAt: r.created_at, attempts: r.attempts, nextAttemptAt: r.next_attempt_at }));
  }

  /**
   * Each receiver's head: its oldest pending delivery's next attempt time. A receiver's later
   * deliveries wait behind its head, so the head alone says when the receiver has work (a later
   * row that is "due" but blocked must not wake the dispatcher again and again).
   */
  heads(): { notifier: string; nextAttemptAt: number }[] {
    return (this.db.prepare(`SELECT notifier, next_attempt_at FROM (
        SELECT notifier, next_attempt_at, ROW_NUMBER() OVER (PARTITION BY notifier ORDER BY created_at, rowid) AS rn
        FROM deliveries WHERE status = 'pending') WHERE rn = 1 ORDER BY notifier`).all() as { notifier: string; next_attempt_at: number }[])
      .map((r) => ({ notifier: r.notifier, nextAttemptAt: r.next_attempt_at }));
  }

  /** Earliest next attempt of a pending delivery, or null when nothing is pending. */
  nextDueAt(): number | null {
    const row = this.db.prepare("SELECT MIN(next_attempt_at) AS t FROM deliveries WHERE status = 'pending'").get() as { t: number | null };
    return row.t;
  }

  /** Records one attempt and its outcome in one transaction. */
  record(d: PendingDelivery, entry: Omit<DeliveryLogEntry, 'eventId' | 'notifier' | 'attempt'>, next: { status: 'delivered' | 'pending' | 'failed'; nextAttemptAt?: number }): void {
    const attempt = d.attempts + 1;
    this.db.transaction(() => {
      this.db.prepare('INSERT INTO delivery_log (event_id, notifier, attempt, at, ok, status, error, duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(d.eventId, d.notifier, attempt, entry.at, entry.ok ? 1 : 0, entry.status, entry.error, entry.durationMs);
      this.db.prepare("UPDATE deliveries SET attempts = ?, status = ?, next_attempt_at = ?, last_error = ?, delivered_at = ? WHERE event_id = ? AND notifier = ? AND status = 'pending'")
        .run(attempt, next.status, next.nextAttemptAt ?? entry.at, entry.error, next.status === 'delivered' ? entry.at : null, d.eventId, d.notifier);
    })();
  }

  log(limit = 200, eventId?: string): DeliveryLogEntry[] {
    const rows = (eventId === undefined
      ? this.db.prepare('SELECT * FROM delivery_log ORDER BY id DESC LIMIT ?').all(limit)
      : this.db.prepare('SELECT * FROM delivery_log WHERE event_id = ? ORDER BY id DESC LIMIT ?').all(eventId, limit)) as { event_id: string; notifier: string; attempt: number; at: number; ok: number; status: number | null; error: string | null; duration_ms: number }[];
    return rows.map((r) => ({ eventId: r.event_id, notifier: r.notifier, attempt: r.attempt, at: r.at, ok: r.ok === 1, status: r.status, error: r.error, durationMs: r.duration_ms }));
  }

  counts(): QueueCounts {
    const out: QueueCounts = { pending: 0, delivered: 0, failed: 0 };
    for (const r of this.db.prepare('SELECT status, COUNT(*) AS n FROM deliveries GROUP BY status').all() as { status: keyof QueueCounts; n: number }[]) out[r.status] = r.n;
    return out;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
