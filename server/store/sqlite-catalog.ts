import type Database from 'better-sqlite3';
import { SCHEMA } from '../../core/schema.js';

/**
 * The embedded store's catalogue: series (measurement + tag set -> id) and per-measurement field
 * ids, cached in memory. Several connections may write to one file (another process, a worker):
 * the cache only ever adds rows it read from the database, `refresh()` picks up series others
 * created (ids only grow), and a field id the cache lacks is read again before it is trusted.
 * Allocation runs inside the caller's write transaction (IMMEDIATE: we hold the write lock, so
 * what we read is current); after a failed transaction the caller calls `reset()`, so no id of a
 * rolled-back row survives in memory.
 */
export interface SeriesInfo {
  id: number;
  measurement: string;
  /** validate-point.ts seriesKey */
  key: string;
  /** the device tag, '' when absent */
  device: string;
  tags: Record<string, string>;
}

type SeriesRowDb = { id: number; measurement: string; key: string };

export class Catalog {
  private byId = new Map<number, SeriesInfo>();
  private byKey = new Map<string, number>();
  private byMeasurement = new Map<string, SeriesInfo[]>();
  private maxId = 0;
  private fieldIds = new Map<string, Map<string, number>>();
  private fieldNames = new Map<string, string[]>();
  private readonly st: Record<'newer' | 'insertSeries' | 'fields' | 'insertField', Database.Statement>;

  constructor(db: Database.Database) {
    this.st = {
      newer: db.prepare('SELECT id, measurement, key FROM series WHERE id > ? ORDER BY id'),
      insertSeries: db.prepare('INSERT INTO series (measurement, key) VALUES (?, ?)'),
      fields: db.prepare('SELECT id, name FROM field_keys WHERE measurement = ? ORDER BY id'),
      insertField: db.prepare('INSERT INTO field_keys (measurement, id, name) VALUES (?, ?, ?)'),
    };
  }

  reset(): void {
    this.byId = new Map();
    this.byKey = new Map();
    this.byMeasurement = new Map();
    this.maxId = 0;
    this.fieldIds = new Map();
    this.fieldNames = new Map();
  }

  /** Reads series created since the last refresh (by us or another connection). */
  refresh(): void {
    for (const r of this.st.newer.all(this.maxId) as SeriesRowDb[]) this.add(r);
  }

  private add(r: SeriesRowDb): SeriesInfo {
    const known = this.byId.get(r.id);
    if (known) return known;
    const tags = Object.fromEntries(JSON.parse(r.key) as [string, string][]);
    const info: SeriesInfo = { ...r, device: tags['device'] ?? '', tags };
    this.byId.set(r.id, info);
    this.byKey.set(`${r.measurement}\n${r.key}`, r.id);
    let list = this.byMeasurement.get(r.measurement);
    if (!list) { list = []; this.byMeasurement.set(r.measurement, list); }
    list.push(info);
    this.maxId = Math.max(this.maxId, r.id);
    return info;
  }

  /**
   * The series' id, created when new. Call inside an IMMEDIATE write transaction: holding the
   * write lock, a refresh sees every series any connection committed, so the one insert below
   * can never duplicate a key (which is why the table needs no UNIQUE index).
   */
  seriesId(measurement: string, key: string): number {
    const k = `${measurement}\n${key}`;
    const cached = this.byKey.get(k);
    if (cached !== undefined) return cached;
    this.refresh();
    const found = this.byKey.get(k);
    if (found !== undefined) return found;
    const id = Number(this.st.insertSeries.run(measurement, key).lastInsertRowid);
    this.add({ id, measurement, key });
    return id;
  }

  /** Series of a measurement whose tags match `where` ('' matches a missing tag, as in InfluxDB); refreshes first. */
  matching(measurement: string, where: Readonly<Record<string, string>> | undefined): SeriesInfo[] {
    this.refresh();
    const conds = Object.entries(where ?? {});
    return this.seriesOf(measurement).filter((s) => conds.every(([k, v]) => (s.tags[k] ?? '') === v));
  }

  /** Series of a measurement (call refresh() first). */
  seriesOf(measurement: string): readonly SeriesInfo[] {
    return this.byMeasurement.get(measurement) ?? [];
  }

  /** Every known series id (call refresh() first). */
  allIds(): number[] {
    return [...this.byId.keys()];
  }

  series(id: number): SeriesInfo | undefined {
    return this.byId.get(id);
  }

  private loadFields(measurement: string): Map<string, number> {
    const ids = new Map<string, number>();
    const names: string[] = [];
    for (const r of this.st.fields.all(measurement) as { id: number; name: string }[]) {
      ids.set(r.name, r.id);
      names[r.id] = r.name;
    }
    this.fieldIds.set(measurement, ids);
    this.fieldNames.set(measurement, names);
    return ids;
  }

  /** The field's id, allocated when new. Call inside a write transaction. */
  fieldId(measurement: string, name: string): number {
    const id = this.fieldIds.get(measurement)?.get(name);
    if (id !== undefined) return id;
    let ids = this.loadFields(measurement);
    if (ids.size === 0) {
      // a measurement's first field: the schema's fields take the small ids (one-byte headers)
      const s = (SCHEMA as Record<string, { integerFields: readonly string[]; floatFields: readonly string[] } | undefined>)[measurement];
      const seed = s ? [...s.integerFields, ...s.floatFields] : [];
      seed.forEach((n, i) => this.st.insertField.run(measurement, i, n));
      ids = this.loadFields(measurement);
    }
    const found = ids.get(name);
    if (found !== undefined) return found;
    this.st.insertField.run(measurement, ids.size, name);
    return this.loadFields(measurement).get(name) as number;
  }

  /** The field's id if the measurement has such a field (reads the database on a miss). */
  knownFieldId(measurement: string, name: string): number | undefined {
    return this.fieldIds.get(measurement)?.get(name) ?? this.loadFields(measurement).get(name);
  }

  /** The name of a field id; read again when another connection added it after our cache. */
  fieldName(measurement: string, id: number): string {
    const name = this.fieldNames.get(measurement)?.[id];
    if (name !== undefined) return name;
    this.loadFields(measurement);
    const again = this.fieldNames.get(measurement)?.[id];
    if (again === undefined) throw new Error(`field id ${id} of ${JSON.stringify(measurement)} is not in field_keys`);
    return again;
  }
}
