import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DeliveryQueue } from '../../server/notifiers/delivery-queue.js';
import { pruneDeliveryLog, pruneReports } from '../../server/retention/prune.js';
import { DeadLetterFile } from '../../collectors/pipeline/dead-letter.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 1, 12);
let dir: string;
beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netatlas-prune-')); });
afterEach(() => { fs.rmSync(dir, { recursive: true, force: true }); });

describe('retention pruning (issue 14)', () => {
  it('deletes report files modified before the cut-off and keeps newer ones and the scheduler state', () => {
    const reports = path.join(dir, 'reports');
    fs.mkdirSync(reports);
    const files: Array<[string, number]> = [['weekly-sla-2025-W01.csv', 401], ['weekly-sla-2025-W01.json', 401], ['weekly-sla-2026-W40.json', 60], ['.last-tick', 900]];
    for (const [name, ageDays] of files) {
      fs.writeFileSync(path.join(reports, name), 'x');
      const t = (NOW - ageDays * DAY) / 1000;
      fs.utimesSync(path.join(reports, name), t, t);
    }
    // 400 days: the two 401-day-old files go, the 60-day one and the dotfile stay
    expect(pruneReports(reports, NOW - 400 * DAY)).toBe(2);
    expect(fs.readdirSync(reports).sort()).toEqual(['.last-tick', 'weekly-sla-2026-W40.json']);
    expect(pruneReports(path.join(dir, 'missing'), NOW)).toBe(0);
  });

  it('deletes finished deliveries and attempts past the cut-off, never pending ones', () => {
    const file = path.join(dir, 'notifications.sqlite');
    new DeliveryQueue({ path: file }).close();
    const db = new Database(file);
    const old = NOW - 100 * DAY;
    const recent = NOW - 10 * DAY;
    const ins = db.prepare('INSERT INTO deliveries (event_id, notifier, payload, created_at, next_attempt_at, status, delivered_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
    ins.run('e1', 'hook', '{}', old, old, 'delivered', old);
    ins.run('e2', 'hook', '{}', old, old, 'failed', null);
    ins.run('e3', 'hook', '{}', old, old, 'pending', null); // old but still pending: kept
    ins.run('e4', 'hook', '{}', recent, recent, 'delivered', recent);
    const log = db.prepare('INSERT INTO delivery_log (event_id, notifier, attempt, at, ok, duration_ms) VALUES (?, ?, ?, ?, ?, ?)');
    log.run('e1', 'hook', 1, old, 1, 5);
    log.run('e2', 'hook', 1, old, 0, 5);
    log.run('e4', 'hook', 1, recent, 1, 5);
    db.close();
    // 90 days: e1 and e2 (100 days, finished) and their 2 attempts go
    expect(pruneDeliveryLog(file, NOW - 90 * DAY)).toEqual({ deliveries: 2, attempts: 2 });
    const after = new Database(file, { readonly: true });
    expect((after.prepare('SELECT event_id FROM deliveries ORDER BY event_id').all() as Array<{ event_id: string }>).map((r) => r.event_id)).toEqual(['e3', 'e4']);
    after.close();
    expect(pruneDeliveryLog(path.join(dir, 'none.sqlite'), NOW)).toEqual({ deliveries: 0, attempts: 0 });
  });

  it('prunes rejected.jsonl lines older than the retention and keeps the rest', async () => {
    const dl = new DeadLetterFile(dir);
    const p = (seq: number) => ({ measurement: 'm', tags: {}, fields: { seq }, time: seq });
    await dl.append([p(1), p(2)], 'old', NOW - 40 * DAY);
    await dl.append([p(3)], 'new', NOW - 5 * DAY);
    fs.appendFileSync(dl.file, 'not json\n');
    // 30 days: the 2 old lines and the unreadable one go
    expect(await dl.prune(NOW - 30 * DAY)).toBe(3);
    const lines = fs.readFileSync(dl.file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { reason: string });
    expect(lines.map((l) => l.reason)).toEqual(['new']);
    expect(await dl.count()).toBe(1);
  });
});
