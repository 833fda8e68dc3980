/**
 * openSqlite: the one way netatlas opens a SQLite file (store, alert history, delivery queue, pruner).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqlite } from '../../server/store/sqlite-open.js';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true }); });
const tmp = (): string => { const d = fs.mkdtempSync(path.join(os.tmpdir(), 'netatlas-sqlite-open-')); dirs.push(d); return d; };

describe('openSqlite', () => {
  it('makes the missing folder and opens in WAL with FULL sync and a 5 s busy timeout by default', () => {
    const file = path.join(tmp(), 'a', 'b', 'alerts.sqlite');
    const db = openSqlite(file, { synchronous: 'FULL' });
    try {
      expect(fs.existsSync(file)).toBe(true);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      // SQLite reports synchronous as a number: 0 OFF, 1 NORMAL, 2 FULL
      expect(db.pragma('synchronous', { simple: true })).toBe(2);
      expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    } finally {
      db.close();
    }
  });

  it("takes NORMAL sync and the caller's busy timeout (whole milliseconds)", () => {
    const db = openSqlite(path.join(tmp(), 'metrics.sqlite'), { synchronous: 'NORMAL', busyTimeoutMs: 250.7 });
    try {
      expect(db.pragma('synchronous', { simple: true })).toBe(1);
      expect(db.pragma('busy_timeout', { simple: true })).toBe(250);
    } finally {
      db.close();
    }
  });

  it("lets a second connection wait for the first one's write lock instead of failing at once", () => {
    const file = path.join(tmp(), 'q.sqlite');
    const a = openSqlite(file, { synchronous: 'FULL' });
    const b = openSqlite(file, { synchronous: 'FULL', busyTimeoutMs: 200 });
    try {
      a.exec('CREATE TABLE t (x INTEGER)');
      a.exec('BEGIN IMMEDIATE');
      const t0 = performance.now();
      expect(() => b.exec('INSERT INTO t VALUES (1)')).toThrow(/locked|busy/i);
      // it waited for its 200 ms timeout before giving up (not an immediate SQLITE_BUSY)
      expect(performance.now() - t0).toBeGreaterThanOrEqual(150);
      a.exec('COMMIT');
      b.exec('INSERT INTO t VALUES (1)');
      expect(a.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 1 });
    } finally {
      b.close();
      a.close();
    }
  });
});
