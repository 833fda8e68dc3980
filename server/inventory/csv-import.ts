/**
 * `netatlas import devices FILE.csv`: validates a CSV of devices row by row and produces the
 * inventory to write as YAML. Every bad row is reported with its line number (the header is
 * line 1), and nothing is produced unless every row is good.
 *
 * Header (any column order; unknown columns are an error; empty cells mean "not given"):
 *
 *   id,tech,site,lat,lon,snmp_host,snmp_port,snmp_version,snmp_community,snmp_user,snmp_level,
 *   snmp_auth_protocol,snmp_auth_key,snmp_priv_protocol,snmp_priv_key,mqtt_id,households_passed,
 *   access_tech,radius_m,interval_s,subs_total,subs_100mbps,subs_1gbps
 *
 * Required columns: id, tech, site, lat, lon. Fields follow the devices file (devices-schema.ts):
 * a fibre row needs snmp_host, snmp_version (2c or 3) and snmp_community (2c) or snmp_user and
 * snmp_level (3); a wifi row may give mqtt_id and radius_m. Quoting follows RFC 4180 (csv-parse).
 */
import { CsvError, parse, type Info } from 'csv-parse/sync';
import { stringify } from 'yaml';
import { deviceSchema, inventorySchema, type InventoryFile } from './devices-schema.js';
import { formatIssues } from './issues.js';

export const CSV_COLUMNS = [
  'id', 'tech', 'site', 'lat', 'lon', 'snmp_host', 'snmp_port', 'snmp_version', 'snmp_community',
  'snmp_user', 'snmp_level', 'snmp_auth_protocol', 'snmp_auth_key', 'snmp_priv_protocol',
  'snmp_priv_key', 'mqtt_id', 'households_passed', 'access_tech', 'radius_m', 'interval_s',
  'subs_total', 'subs_100mbps', 'subs_1gbps',
] as const;
type Column = (typeof CSV_COLUMNS)[number];
const REQUIRED: readonly Column[] = ['id', 'tech', 'site', 'lat', 'lon'];

export type CsvImportResult =
  | { ok: true; inventory: InventoryFile; yaml: string }
  | { ok: false; errors: string[] };

/** A record and the line it starts on (the header is line 1; quoted cells may span lines). */
export interface CsvRecord { line: number; cells: string[] }

/** A file that is not CSV (a quote not closed, text after a closing quote), with the line. */
export class CsvSyntaxError extends Error {
  constructor(readonly line: number, message: string) {
    super(message);
  }
}

const LINE_BREAK = /\r\n|\r|\n/g;

/**
 * RFC 4180 records (csv-parse), blank lines skipped, with the line each starts on. csv-parse's
 * own line counter counts a CRLF inside a quoted cell as two lines, so the lines are counted
 * here: a record starts one line after the previous one ended, plus the blank lines skipped.
 */
export function parseCsv(text: string): CsvRecord[] {
  let rows: { record: string[]; info: Info }[];
  try {
    // csv-parse's types give string[][] for every array output; with `info` each row is {record, info}
    rows = parse(text, {
      bom: true,
      relax_column_count: true, // a short row is reported with its line below, not as a parse error
      relax_quotes: true, // a quote inside an unquoted cell is a character, as people mean it
      skip_empty_lines: true,
      record_delimiter: ['\r\n', '\n', '\r'],
      info: true,
    }) as unknown as { record: string[]; info: Info }[];
  } catch (err) {
    if (err instanceof CsvError) throw new CsvSyntaxError(typeof err['lines'] === 'number' ? err['lines'] : 0, err.message);
    throw err;
  }
  const out: CsvRecord[] = [];
  let next = 1; // the line after the previous record
  let skipped = 0;
  for (const { record, info } of rows) {
    const line = next + (info.empty_lines - skipped);
    skipped = info.empty_lines;
    out.push({ line, cells: record });
    next = line + 1 + record.reduce((n, cell) => n + (cell.match(LINE_BREAK)?.length ?? 0), 0);
  }
  return out;
}

function num(v: string | undefined): number | string | undefined {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  // keep the text when it is not a number so that zod's message shows what was written
  return Number.isFinite(n) ? n : v;
}

/** One CSV row as a device document for deviceSchema. */
function rowToDevice(get: (c: Column) => string | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: get('id'), tech: get('tech'), site: get('site'),
    location: { lat: num(get('lat')), lon: num(get('lon')) },
  };
  if (get('snmp_host') !== undefined || get('snmp_version') !== undefined) {
    const snmp: Record<string, unknown> = { host: get('snmp_host'), version: get('snmp_version') };
    const optional: [Column, string, boolean][] = [
      ['snmp_port', 'port', true], ['snmp_community', 'community', false], ['snmp_user', 'user', false],
      ['snmp_level', 'level', false], ['snmp_auth_protocol', 'authProtocol', false], ['snmp_auth_key', 'authKey', false],
      ['snmp_priv_protocol', 'privProtocol', false], ['snmp_priv_key', 'privKey', false],
    ];
    for (const [col, key, numeric] of optional) {
      const v = get(col);
      if (v !== undefined) snmp[key] = numeric ? num(v) : v;
    }
    out['snmp'] = snmp;
  }
  const simple: [Column, string, boolean][] = [
    ['mqtt_id', 'mqttId', false], ['households_passed', 'householdsPassed', true], ['access_tech', 'accessTech', false],
    ['radius_m', 'radiusM', true], ['interval_s', 'intervalS', true],
  ];
  for (const [col, key, numeric] of simple) {
    const v = get(col);
    if (v !== undefined) out[key] = numeric ? num(v) : v;
  }
  if (get('subs_total') !== undefined || get('subs_100mbps') !== undefined || get('subs_1gbps') !== undefined) {
    const subs: Record<string, unknown> = { total: num(get('subs_total')) };
    if (get('subs_100mbps') !== undefined) subs['atLeast100Mbps'] = num(get('subs_100mbps'));
    if (get('subs_1gbps') !== undefined) subs['atLeast1Gbps'] = num(get('subs_1gbps'));
    out['subscriptions'] = subs;
  }
  return out;
}

/** Validates a devices CSV; on success returns the inventory and its YAML text. */
export function importDevicesCsv(text: string): CsvImportResult {
  let records: CsvRecord[];
  try {
    records = parseCsv(text);
  } catch (err) {
    if (err instanceof CsvSyntaxError) return { ok: false, errors: [`line ${err.line}: not valid CSV: ${err.message}`] };
    throw err;
  }
  const header = records.shift();
  if (!header) return { ok: false, errors: ['line 1: empty file: expected a header row'] };
  const names = header.cells.map((c) => c.trim());
  const errors: string[] = [];
  const unknown = names.filter((n) => !(CSV_COLUMNS as readonly string[]).includes(n));
  if (unknown.length > 0) errors.push(`line ${header.line}: unknown column(s) ${unknown.join(', ')}; known: ${CSV_COLUMNS.join(',')}`);
  const missing = REQUIRED.filter((r) => !names.includes(r));
  if (missing.length > 0) errors.push(`line ${header.line}: missing required column(s) ${missing.join(', ')}`);
  const dup = names.filter((n, i) => names.indexOf(n) !== i);
  if (dup.length > 0) errors.push(`line ${header.line}: duplicate column(s) ${dup.join(', ')}`);
  if (errors.length > 0) return { ok: false, errors };

  const devices: unknown[] = [];
  const lineOf: number[] = [];
  for (const rec of records) {
    if (rec.cells.length !== names.length) {
      errors.push(`line ${rec.line}: ${rec.cells.length} cells, the header has ${names.length}`);
      continue;
    }
    const get = (c: Column): string | undefined => {
      const i = names.indexOf(c);
      const v = i < 0 ? undefined : rec.cells[i]!.trim();
      return v === '' ? undefined : v;
    };
    const doc = rowToDevice(get);
    const r = deviceSchema.safeParse(doc);
    if (!r.success) {
      errors.push(...formatIssues(r.error).map((e) => `line ${rec.line}: ${e}`));
      continue;
    }
    devices.push(doc);
    lineOf.push(rec.line);
  }
  if (errors.length > 0) return { ok: false, errors };

  // rows are valid one by one; the file-level rules (unique ids, unique MQTT ids) remain
  const whole = inventorySchema.safeParse({ devices });
  if (!whole.success) {
    return {
      ok: false,
      errors: whole.error.issues.map((issue) => {
        const [, index, ...rest] = issue.path;
        return `line ${lineOf[index as number] ?? '?'}: ${rest.map(String).join('.')}: ${issue.message.replace(/devices\[(\d+)\]/, (_m, i: string) => `line ${lineOf[Number(i)] ?? '?'}`)}`;
      }),
    };
  }
  const inventory = whole.data;
  return { ok: true, inventory, yaml: stringify(inventory) };
}
