/**
 * One poll of one device: system scalars and interface columns in as few GETBULKs as possible,
 * then optical sensors (best effort). Returns raw readings; the collector turns them into points.
 */
import snmp from 'net-snmp';
import type { Varbind } from 'net-snmp';
import {
  ENT_ALIAS_MAPPING_ID, ENT_PHYSICAL_NAME, IF_COLUMNS, IF_INDEX, SENSOR_COLUMNS, SENSOR_SCALE_UNITS,
  SENSOR_TYPE_DBM, SYS_NAME, SYS_UPTIME, type IfColumnName,
} from './oids.js';
import { asNumber, decodeValue, type SnmpValue } from './decode.js';
import { SnmpPollError, type DeviceSession } from './session.js';
import { walkColumns } from './walk.js';

export interface IfRow {
  ifIndex: string;
  /** ifName, else ifDescr, else `if<index>` */
  name: string;
  values: Partial<Record<IfColumnName, SnmpValue>>;
}

export interface OpticalReading {
  ifName: string;
  direction: 'rx' | 'tx';
  dbm: number;
}

export interface PollReading {
  /** epoch ms when the first answer came */
  time: number;
  rttMs: number;
  /** hundredths of a second */
  uptime: number | undefined;
  sysName: string;
  interfaces: IfRow[];
  optical: OpticalReading[];
  requests: number;
  /** the device answered, but a later request of the poll failed: interface data is incomplete */
  incomplete?: SnmpPollError;
  /**
   * the device answered, but its MIB view hides what we poll (sysUpTime, or every interface):
   * unreadable, not up (kind `view`)
   */
  unreadable?: SnmpPollError;
}

export interface PollOptions {
  maxRepetitions: number;
  /** max-repetitions of the interface walk when it differs (the collector sizes it to the table) */
  interfaceRepetitions?: number;
  optical: boolean;
  signal: AbortSignal;
  onOpticalError?: (err: unknown) => void;
}

/** Polls; throws SnmpPollError when the device never answered usefully, or the signal's reason. */
export async function pollDevice(s: DeviceSession, opts: PollOptions): Promise<PollReading> {
  let answered = 0;
  let firstAnswerAt = 0;
  let firstRttMs = 0;
  const bulk = async (oids: string[], nonRep: number, maxRep: number): Promise<Array<Varbind | Varbind[]>> => {
    const t0 = performance.now();
    const r = await s.getBulk(oids, nonRep, maxRep, opts.signal);
    if (answered++ === 0) { firstAnswerAt = Date.now(); firstRttMs = performance.now() - t0; }
    return r;
  };

  let walk;
  try {
    walk = await walkColumns(bulk, IF_COLUMNS.map((c) => c.oid), opts.interfaceRepetitions ?? opts.maxRepetitions,
      { scalars: [SYS_UPTIME, SYS_NAME], agent: s.agent });
  } catch (err) {
    if (answered === 0 || !(err instanceof SnmpPollError)) throw err;
    return { time: firstAnswerAt, rttMs: firstRttMs, uptime: undefined, sysName: '', interfaces: [], optical: [], requests: answered, incomplete: err };
  }

  let uptime: number | undefined;
  let sysName = '';
  for (const vb of walk.scalars) {
    const v = decodeValue(vb);
    if (vb.oid === `${SYS_UPTIME}.0`) uptime = asNumber(v);
    else if (vb.oid === `${SYS_NAME}.0` && typeof v === 'string') sysName = v;
  }

  const rows = new Map<string, IfRow>();
  for (const col of IF_COLUMNS) {
    for (const [index, vb] of walk.columns.get(col.oid) ?? []) {
      const v = decodeValue(vb);
      if (v === undefined) continue;
      let row = rows.get(index);
      if (!row) { row = { ifIndex: index, name: '', values: {} }; rows.set(index, row); }
      row.values[col.name] = v;
    }
  }
  for (const row of rows.values()) {
    const n = row.values.ifName, d = row.values.ifDescr;
    row.name = (typeof n === 'string' && n) || (typeof d === 'string' && d) || `if${row.ifIndex}`;
  }
  const interfaces = [...rows.values()].sort((a, b) => Number(a.ifIndex) - Number(b.ifIndex));
  const hidden = viewProblem(walk.scalars[0], uptime, interfaces.length);
  if (hidden) {
    const unreadable = new SnmpPollError('view', hidden, s.agent);
    return { time: firstAnswerAt, rttMs: firstRttMs, uptime, sysName, interfaces, optical: [], requests: answered, unreadable };
  }

  let optical: OpticalReading[] = [];
  if (opts.optical) {
    try {
      optical = await readOptical(s, bulk, interfaces, opts);
    } catch (err) {
      if (opts.signal.aborted) throw opts.signal.reason;
      opts.onOpticalError?.(err);
    }
  }
  return { time: firstAnswerAt, rttMs: firstRttMs, uptime, sysName, interfaces, optical, requests: answered };
}

const VARBIND_ERRORS: Readonly<Record<number, string>> = {
  [snmp.ObjectType['NoSuchObject'] as number]: 'noSuchObject',
  [snmp.ObjectType['NoSuchInstance'] as number]: 'noSuchInstance',
  [snmp.ObjectType['EndOfMibView'] as number]: 'endOfMibView',
};

/**
 * Why an agent that answered cannot be read, or undefined: sysUpTime.0 not given (a varbind error,
 * or GETNEXT skipped past it to the next object the view lets through), or no interface at all
 * although sysUpTime answers (every device has one; an empty ifTable is a view hiding it).
 */
function viewProblem(upVb: Varbind | undefined, uptime: number | undefined, interfaces: number): string | undefined {
  if (uptime === undefined) {
    const why = !upVb ? 'no varbind' : snmp.isVarbindError(upVb) ? (VARBIND_ERRORS[upVb.type] ?? 'varbind error') : `the next readable object is ${upVb.oid}`;
    return `sysUpTime.0 not readable (${why}): the agent answers but its MIB view hides the system group`;
  }
  if (interfaces === 0) return 'ifTable empty although the agent answers sysUpTime: its MIB view hides the interfaces';
  return undefined;
}

type Bulk = (oids: string[], nonRep: number, maxRep: number) => Promise<Array<Varbind | Varbind[]>>;

/** ENTITY-SENSOR-MIB dBm sensors, named after their interface where the entity maps to one. */
async function readOptical(s: DeviceSession, bulk: Bulk, interfaces: IfRow[], opts: PollOptions): Promise<OpticalReading[]> {
  const cols = [SENSOR_COLUMNS.type, SENSOR_COLUMNS.scale, SENSOR_COLUMNS.precision, SENSOR_COLUMNS.value];
  const w = await walkColumns(bulk, cols, opts.maxRepetitions, { agent: s.agent });
  const col = (c: string, i: string): number | undefined => {
    const vb = w.columns.get(c)?.get(i);
    return vb ? asNumber(decodeValue(vb)) : undefined;
  };
  const dbm = [...(w.columns.get(SENSOR_COLUMNS.type)?.keys() ?? [])].filter((i) => col(SENSOR_COLUMNS.type, i) === SENSOR_TYPE_DBM);
  if (dbm.length === 0) return [];

  const names = new Map<string, string>();
  for (let i = 0; i < dbm.length; i += 20) {
    const chunk = dbm.slice(i, i + 20);
    const vbs = await s.get(chunk.map((idx) => `${ENT_PHYSICAL_NAME}.${idx}`), opts.signal);
    vbs.forEach((vb, j) => { const v = decodeValue(vb); if (typeof v === 'string') names.set(chunk[j] as string, v); });
  }
  const alias = await walkColumns(bulk, [ENT_ALIAS_MAPPING_ID], opts.maxRepetitions, { agent: s.agent });
  const ifNameByEntity = new Map<string, string>();
  const ifNameByIndex = new Map(interfaces.map((r) => [r.ifIndex, r.name]));
  for (const [index, vb] of alias.columns.get(ENT_ALIAS_MAPPING_ID) ?? []) {
    const target = decodeValue(vb);
    const ent = index.split('.')[0] as string;
    if (typeof target === 'string' && target.startsWith(`${IF_INDEX}.`)) {
      const name = ifNameByIndex.get(target.slice(IF_INDEX.length + 1));
      if (name) ifNameByEntity.set(ent, name);
    }
  }

  const out: OpticalReading[] = [];
  for (const idx of dbm) {
    const raw = col(SENSOR_COLUMNS.value, idx);
    if (raw === undefined) continue;
    const scale = col(SENSOR_COLUMNS.scale, idx) ?? SENSOR_SCALE_UNITS;
    const precision = col(SENSOR_COLUMNS.precision, idx) ?? 0;
    const value = raw * 10 ** (3 * (scale - SENSOR_SCALE_UNITS)) / 10 ** precision;
    const name = names.get(idx) ?? '';
    const direction = /\b(rx|receive|input)/i.test(name) ? 'rx' : /\b(tx|transmit|output)/i.test(name) ? 'tx' : undefined;
    if (!direction) continue;
    const ifName = ifNameByEntity.get(idx)
      ?? (name.replace(/[\s_-]*(rx|tx|receive|transmit|input|output)\b.*$/i, '').trim() || `ent${idx}`);
    out.push({ ifName, direction, dbm: Math.round(value * 1000) / 1000 });
  }
  return out;
}
