/**
 * Alert history and evaluator state, persisted in `<dataDir>/alerts.sqlite`: open alerts and the
 * recent resolved ones for GET /api/alerts, and the state machines (so a restart neither forgets
 * an open alert nor raises it again).
 */
import path from 'node:path';
import type Database from 'better-sqlite3';
import { openSqlite } from '../store/sqlite-open.js';
import type { Alert, AlertEvent } from './types.js';

export class AlertHistory {
  private readonly db: Database.Database;

  constructor(opts: { dataDir?: string; path?: string }) {
    const file = opts.path ?? path.join(opts.dataDir ?? './data', 'alerts.sqlite');
    this.db = openSqlite(file, { synchronous: 'FULL' });
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS alerts (id TEXT PRIMARY KEY, fired_at INTEGER NOT NULL, resolved_at INTEGER, json TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS alerts_open ON alerts (resolved_at);
      CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, json TEXT NOT NULL);`);
  }

  /** Applies events, refreshes the open alerts and saves the evaluator state in one transaction; trims old resolved alerts. */
  commit(events: readonly AlertEvent[], open: readonly Alert[], state: Record<string, unknown>, keepResolved: number): void {
    const upsert = this.db.prepare('INSERT INTO alerts (id, fired_at, resolved_at, json) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET resolved_at = excluded.resolved_at, json = excluded.json');
    const save = this.db.prepare('INSERT INTO state (key, json) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET json = excluded.json');
    this.db.transaction(() => {
      for (const e of events) upsert.run(e.alert.id, e.alert.firedAt, e.alert.resolvedAt, JSON.stringify(e.alert));
      // open alerts change after they fired (an area alert gains members): keep the stored copy current
      for (const a of open) upsert.run(a.id, a.firedAt, a.resolvedAt, JSON.stringify(a));
      for (const [key, value] of Object.entries(state)) save.run(key, JSON.stringify(value));
      this.db.prepare('DELETE FROM alerts WHERE resolved_at IS NOT NULL AND id NOT IN (SELECT id FROM alerts WHERE resolved_at IS NOT NULL ORDER BY resolved_at DESC LIMIT ?)').run(keepResolved);
    })();
  }

  loadState<T>(key: string): T | undefined {
    const row = this.db.prepare('SELECT json FROM state WHERE key = ?').get(key) as { json: string } | undefined;
    return row ? (JSON.parse(row.json) as T) : undefined;
  }

  open(): Alert[] {
    return (this.db.prepare('SELECT json FROM alerts WHERE resolved_at IS NULL ORDER BY fired_at DESC').all() as { json: string }[]).map((r) => JSON.parse(r.json) as Alert);
  }

  recent(limit: number, since = 0): Alert[] {
    return (this.db.prepare('SELECT json FROM alerts WHERE resolved_at IS NOT NULL AND resolved_at >= ? ORDER BY resolved_at DESC LIMIT ?').all(since, limit) as { json: string }[]).map((r) => JSON.parse(r.json) as Alert);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
