import type Database from 'better-sqlite3';
import type { Logger } from '../../core/log.js';
import type { FieldValue, Point } from '../../core/point.js';
import { StoreRejectedError } from '../../core/point-writer.js';
import { LAYOUT_VERSION, type PointsTable } from './sqlite-sql.js';

/**
 * Layout checks and the conversion of a database file of the first layout (tables `points` and
 * `points_long`: one row per point with its measurement, series key, tags JSON and fields JSON).
 *
 * The conversion copies the old rows in rowid order, 5000 at a time, through the store's own write
 * path, then drops the old tables and VACUUMs the file so the space comes back. Writes are
 * idempotent upserts, so a conversion interrupted (crash, full disk) simply starts again at the
 * next init and ends with the same content. A row the write path refuses (it never could have
 * been written by the old store, but a hand-edited file might hold one) is skipped and counted.
 */
const BATCH = 5000;
const OLD_TABLES: ReadonlyArray<readonly [string, PointsTable]> = [['points', 'raw_points'], ['points_long', 'long_points']];

/** Refuses a file written by a newer netatlas (a layout we do not know), naming the file. */
export function checkLayout(db: Database.Database, file: string): void {
  const hasMeta = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'store_meta'").get() !== undefined;
  const layout = hasMeta ? Number(db.prepare("SELECT value FROM store_meta WHERE key = 'layout'").pluck().get() ?? LAYOUT_VERSION) : LAYOUT_VERSION;
  if (layout > LAYOUT_VERSION) {
    throw new Error(`${file} has storage layout ${layout}, newer than this netatlas understands (${LAYOUT_VERSION}): run the newer version, or move the file away to start an empty store`);
  }
}

type OldRow = { rid: number; measurement: string; time: number; tags: string; fields: string };

export function migrateOldLayout(
  db: Database.Database, file: string, write: (points: readonly Point[], table: PointsTable) => void, log: Logger,
): void {
  db.prepare("INSERT INTO store_meta (key, value) VALUES ('layout', ?) ON CONFLICT (key) DO NOTHING").run(String(LAYOUT_VERSION));
  const present = OLD_TABLES.filter(([old]) => db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(old) !== undefined);
  if (present.length === 0) return;
  for (const [old] of present) {
    const cols = new Set((db.prepare(`PRAGMA table_info(${old})`).all() as { name: string }[]).map((c) => c.name));
    if (!['measurement', 'time', 'tags', 'fields'].every((c) => cols.has(c))) {
      throw new Error(`${file} has a table "${old}" of an unknown layout (columns ${[...cols].join(', ')}): move the file away (or delete it with its -wal and -shm files) to start an empty store`);
    }
  }
  const started = Date.now();
  log.warn({ file }, 'sqlite store: converting the old layout (one JSON row per point) to the compact one; this runs once');
  let copied = 0;
  let skipped = 0;
  for (const [old, table] of present) {
    const read = db.prepare(`SELECT rowid AS rid, measurement, time, tags, fields FROM ${old} WHERE rowid > ? ORDER BY rowid LIMIT ${BATCH}`);
    // bounded: every pass moves `after` past the rows it read, and stops on an empty page
    for (let after = 0; ;) {
      const rows = read.all(after) as OldRow[];
      if (rows.length === 0) break;
      after = rows[rows.length - 1]!.rid;
      const points: Point[] = [];
      for (const r of rows) {
        const p = toPoint(r);
        if (p) points.push(p); else skipped++;
      }
      skipped += writeSkippingRefused(points, table, write);
      copied += points.length;
      if (copied % 100_000 < BATCH) log.info({ file, copied }, 'sqlite store: converting');
    }
  }
  db.transaction(() => { for (const [old] of present) db.exec(`DROP TABLE ${old}`); })();
  db.exec('VACUUM'); // give the old tables' pages back to the file system
  log.warn({ file, copied, skipped, seconds: (Date.now() - started) / 1000 }, 'sqlite store: old layout converted');
}

function toPoint(r: OldRow): Point | null {
  try {
    const tags = JSON.parse(r.tags) as Record<string, string>;
    const fields = JSON.parse(r.fields) as Record<string, FieldValue>;
    return { measurement: r.measurement, tags, fields, time: Number(r.time) };
  } catch {
    return null;
  }
}

function writeSkippingRefused(points: Point[], table: PointsTable, write: (points: readonly Point[], table: PointsTable) => void): number {
  try {
    write(points, table);
    return 0;
  } catch (err) {
    if (!(err instanceof StoreRejectedError)) throw err;
  }
  let skipped = 0;
  for (const p of points) {
    try { write([p], table); } catch (err) {
      if (!(err instanceof StoreRejectedError)) throw err;
      skipped++;
    }
  }
  return skipped;
}
