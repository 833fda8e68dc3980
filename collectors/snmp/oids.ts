/**
 * Numeric OIDs the collector reads, with a small built-in name map: no MIB files are installed on
 * our machines, and loading MIB modules at run time would make the collector depend on them.
 */
export const SYS_UPTIME = '1.3.6.1.2.1.1.3';
export const SYS_NAME = '1.3.6.1.2.1.1.5';

export const IF_TABLE_ENTRY = '1.3.6.1.2.1.2.2.1';
export const IF_X_TABLE_ENTRY = '1.3.6.1.2.1.31.1.1.1';
export const ENT_SENSOR_ENTRY = '1.3.6.1.2.1.99.1.1.1';
export const ENT_PHYSICAL_NAME = '1.3.6.1.2.1.47.1.1.1.1.7';
/** entAliasMappingIdentifier: entPhysicalIndex.logicalIndex -> OID such as ifIndex.N */
export const ENT_ALIAS_MAPPING_ID = '1.3.6.1.2.1.47.1.3.2.1.2';
export const IF_INDEX = '1.3.6.1.2.1.2.2.1.1';

/** An interface column: where it lives and the field it becomes (Telegraf's name). */
export interface IfColumn {
  oid: string;
  name: IfColumnName;
}

export type IfColumnName =
  | 'ifDescr' | 'ifType' | 'ifMtu' | 'ifSpeed' | 'ifAdminStatus' | 'ifOperStatus' | 'ifInOctets'
  | 'ifInDiscards' | 'ifInErrors' | 'ifOutOctets' | 'ifOutDiscards' | 'ifOutErrors'
  | 'ifName' | 'ifHCInOctets' | 'ifHCOutOctets' | 'ifHighSpeed' | 'ifAlias';

const ifTable = (n: number): string => `${IF_TABLE_ENTRY}.${n}`;
const ifXTable = (n: number): string => `${IF_X_TABLE_ENTRY}.${n}`;

/** The columns fetched per poll: only these, not the whole tables. */
export const IF_COLUMNS: readonly IfColumn[] = [
  { oid: ifTable(2), name: 'ifDescr' },
  { oid: ifTable(3), name: 'ifType' },
  { oid: ifTable(5), name: 'ifSpeed' },
  { oid: ifTable(7), name: 'ifAdminStatus' },
  { oid: ifTable(8), name: 'ifOperStatus' },
  { oid: ifTable(10), name: 'ifInOctets' },
  { oid: ifTable(13), name: 'ifInDiscards' },
  { oid: ifTable(14), name: 'ifInErrors' },
  { oid: ifTable(16), name: 'ifOutOctets' },
  { oid: ifTable(19), name: 'ifOutDiscards' },
  { oid: ifTable(20), name: 'ifOutErrors' },
  { oid: ifXTable(1), name: 'ifName' },
  { oid: ifXTable(6), name: 'ifHCInOctets' },
  { oid: ifXTable(10), name: 'ifHCOutOctets' },
  { oid: ifXTable(15), name: 'ifHighSpeed' },
  { oid: ifXTable(18), name: 'ifAlias' },
];

/** ENTITY-SENSOR-MIB entPhySensorEntry columns */
export const SENSOR_COLUMNS = {
  type: `${ENT_SENSOR_ENTRY}.1`,
  scale: `${ENT_SENSOR_ENTRY}.2`,
  precision: `${ENT_SENSOR_ENTRY}.3`,
  value: `${ENT_SENSOR_ENTRY}.4`,
} as const;

/** EntitySensorDataType dBm(14) */
export const SENSOR_TYPE_DBM = 14;
/** EntitySensorDataScale units(9): each step is a factor 1000 */
export const SENSOR_SCALE_UNITS = 9;

/** Names for OIDs in logs and errors, so an operator reads `ifHCInOctets.3` not digits. */
const NAMES: ReadonlyMap<string, string> = new Map<string, string>([
  [SYS_UPTIME, 'sysUpTime'],
  [SYS_NAME, 'sysName'],
  ...IF_COLUMNS.map((c): [string, string] => [c.oid, c.name]),
  [SENSOR_COLUMNS.type, 'entPhySensorType'],
  [SENSOR_COLUMNS.scale, 'entPhySensorScale'],
  [SENSOR_COLUMNS.precision, 'entPhySensorPrecision'],
  [SENSOR_COLUMNS.value, 'entPhySensorValue'],
  [ENT_PHYSICAL_NAME, 'entPhysicalName'],
  [ENT_ALIAS_MAPPING_ID, 'entAliasMappingIdentifier'],
]);

/** `1.3.6.1.2.1.31.1.1.1.6.3` -> `ifHCInOctets.3`; unknown OIDs come back unchanged. */
export function oidName(oid: string): string {
  let prefix = oid;
  while (prefix.includes('.')) {
    const name = NAMES.get(prefix);
    if (name) return oid === prefix ? name : `${name}${oid.slice(prefix.length)}`;
    prefix = prefix.slice(0, prefix.lastIndexOf('.'));
  }
  return oid;
}

/** True when `oid` lies strictly under `base` (a column's instances). */
export function isUnder(base: string, oid: string): boolean {
  return oid.length > base.length + 1 && oid.startsWith(base) && oid[base.length] === '.';
}
