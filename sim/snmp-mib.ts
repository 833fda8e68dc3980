/**
 * The simulated device's MIB: system group, IF-MIB ifTable/ifXTable and (optionally) a pair of
 * ENTITY-SENSOR-MIB dBm sensors. Values that change (sysUpTime, counters) are computed from the
 * device state when a request reads them, in the provider handlers.
 */
import snmp from 'net-snmp';
import type { Mib, MibRequest, ProviderColumn } from 'net-snmp';
import type { SimDeviceState } from './snmp-device-state.js';

type Handler = (req: MibRequest) => void;

export interface SimMibOptions {
  hc: boolean;
  optical: boolean;
  /** wraps every handler (fault injection: slow answers) */
  wrap: (h: Handler) => Handler;
}

const T = snmp.ObjectType as Record<string, number>;
const RO = snmp.MaxAccess['read-only'] as number;
const NA = snmp.MaxAccess['not-accessible'] as number;

function u64(v: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(v);
  return b;
}

const col = (number: number, name: string, type: string, maxAccess = RO): ProviderColumn =>
  ({ number, name, type: T[type] as number, maxAccess });

/** Row index (last OID arc) and column (the arc before it) of a table instance OID. */
function cell(oid: string): { column: number; index: number } {
  const parts = oid.split('.');
  return { index: Number(parts[parts.length - 1]), column: Number(parts[parts.length - 2]) };
}

export function registerSimMib(mib: Mib, st: SimDeviceState, o: SimMibOptions): void {
  const scalar = (name: string, oid: string, type: string, value: unknown, handler?: Handler): void => {
    mib.registerProvider({ name, type: snmp.MibProviderType.Scalar, oid, scalarType: T[type] as number, maxAccess: RO, handler: o.wrap(handler ?? ((r) => r.done())) });
    mib.setScalarValue(name, value);
  };
  scalar('sysDescr', '1.3.6.1.2.1.1.1', 'OctetString', 'netatlas simulated access node');
  scalar('sysUpTime', '1.3.6.1.2.1.1.3', 'TimeTicks', 0, (r) => { r.instanceNode.value = st.uptime(); r.done(); });
  scalar('sysName', '1.3.6.1.2.1.1.5', 'OctetString', st.sysName);

  mib.registerProvider({
    name: 'ifTable', type: snmp.MibProviderType.Table, oid: '1.3.6.1.2.1.2.2.1', maxAccess: NA,
    tableColumns: [
      col(1, 'ifIndex', 'Integer'), col(2, 'ifDescr', 'OctetString'), col(3, 'ifType', 'Integer'),
      col(4, 'ifMtu', 'Integer'), col(5, 'ifSpeed', 'Gauge'), col(7, 'ifAdminStatus', 'Integer'),
      col(8, 'ifOperStatus', 'Integer'), col(10, 'ifInOctets', 'Counter'), col(13, 'ifInDiscards', 'Counter'),
      col(14, 'ifInErrors', 'Counter'), col(16, 'ifOutOctets', 'Counter'), col(19, 'ifOutDiscards', 'Counter'),
      col(20, 'ifOutErrors', 'Counter'),
    ],
    tableIndex: [{ columnName: 'ifIndex' }],
    handler: o.wrap((r) => {
      const { column, index } = cell(r.oid);
      const itf = st.interfaces[index - 1];
      if (itf) {
        if (column === 10) r.instanceNode.value = st.octets32(index).in;
        else if (column === 16) r.instanceNode.value = st.octets32(index).out;
        else if (column === 7) r.instanceNode.value = itf.adminUp ? 1 : 2;
        else if (column === 8) r.instanceNode.value = itf.operUp ? 1 : 2;
        else if (column === 14) r.instanceNode.value = itf.inErrors;
        else if (column === 20) r.instanceNode.value = itf.outErrors;
      }
      r.done();
    }),
  });
  mib.registerProvider({
    name: 'ifXTable', type: snmp.MibProviderType.Table, oid: '1.3.6.1.2.1.31.1.1.1', maxAccess: NA,
    tableColumns: [
      col(1, 'ifName', 'OctetString'),
      ...(o.hc ? [col(6, 'ifHCInOctets', 'Counter64'), col(10, 'ifHCOutOctets', 'Counter64')] : []),
      col(15, 'ifHighSpeed', 'Gauge'), col(18, 'ifAlias', 'OctetString'),
    ],
    tableIndex: [{ columnName: 'ifIndex', foreign: 'ifTable' } as { columnName: string }],
    handler: o.wrap((r) => {
      const { column, index } = cell(r.oid);
      if (st.interfaces[index - 1]) {
        if (column === 6) r.instanceNode.value = u64(st.octets(index).in);
        else if (column === 10) r.instanceNode.value = u64(st.octets(index).out);
      }
      r.done();
    }),
  });
  for (const itf of st.interfaces) {
    const o32 = st.octets32(itf.ifIndex);
    const o64 = st.octets(itf.ifIndex);
    mib.addTableRow('ifTable', [itf.ifIndex, itf.name, 6, 1500, Math.min(itf.speedMbps * 1e6, 2 ** 32 - 1),
      itf.adminUp ? 1 : 2, itf.operUp ? 1 : 2, o32.in, 0, 0, o32.out, 0, 0]);
    mib.addTableRow('ifXTable', [itf.ifIndex, itf.name, ...(o.hc ? [u64(o64.in), u64(o64.out)] : []), itf.speedMbps, itf.alias]);
  }

  if (o.optical) {
    mib.registerProvider({
      name: 'entPhysicalTable', type: snmp.MibProviderType.Table, oid: '1.3.6.1.2.1.47.1.1.1.1', maxAccess: NA,
      tableColumns: [col(1, 'entPhysicalIndex', 'Integer', NA), col(7, 'entPhysicalName', 'OctetString')],
      tableIndex: [{ columnName: 'entPhysicalIndex' }],
    });
    mib.registerProvider({
      name: 'entPhySensorTable', type: snmp.MibProviderType.Table, oid: '1.3.6.1.2.1.99.1.1.1', maxAccess: NA,
      tableColumns: [col(1, 'entPhySensorType', 'Integer'), col(2, 'entPhySensorScale', 'Integer'),
        col(3, 'entPhySensorPrecision', 'Integer'), col(4, 'entPhySensorValue', 'Integer')],
      tableIndex: [{ columnName: 'entPhysicalIndex', foreign: 'entPhysicalTable' } as { columnName: string }],
      handler: o.wrap((r) => r.done()),
    });
    const first = st.interfaces[0]?.name ?? 'if1';
    // rx -5.3 dBm, tx 2.1 dBm: dBm(14), units(9), precision 1
    mib.addTableRow('entPhysicalTable', [1001, `${first} Rx Power`]);
    mib.addTableRow('entPhysicalTable', [1002, `${first} Tx Power`]);
    mib.addTableRow('entPhySensorTable', [1001, 14, 9, 1, -53]);
    mib.addTableRow('entPhySensorTable', [1002, 14, 9, 1, 21]);
  }
}
