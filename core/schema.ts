/**
 * The InfluxDB schema of DESIGN.md, as data. Names follow Telegraf's SNMP input where it has a
 * convention, so existing Telegraf dashboards and queries work on netatlas data.
 *
 * Only the field *types* matter to the stores: InfluxDB keeps integers and floats apart (a field
 * written once as an integer rejects floats for the rest of its shard), so every numeric field
 * that Telegraf writes as an integer is listed here and written with the `i` suffix. A numeric
 * field not listed is a float.
 */
export interface MeasurementSchema {
  tags: readonly string[];
  integerFields: readonly string[];
  floatFields: readonly string[];
}

export const SCHEMA = {
  interface: {
    tags: ['agent_host', 'hostname', 'ifName', 'ifIndex', 'device', 'site', 'area', 'tech'],
    integerFields: [
      'ifOperStatus', 'ifAdminStatus', 'ifHCInOctets', 'ifHCOutOctets', 'ifInOctets', 'ifOutOctets',
      'ifInErrors', 'ifOutErrors', 'ifInDiscards', 'ifOutDiscards', 'ifHighSpeed', 'ifSpeed', 'ifMtu',
      'ifType', 'ifLastChange',
    ],
    floatFields: ['in_bps', 'out_bps'],
  },
  snmp: {
    tags: ['agent_host', 'hostname', 'device'],
    integerFields: ['uptime'],
    floatFields: [],
  },
  optical: {
    tags: ['device', 'ifName'],
    integerFields: [],
    floatFields: ['rx_dbm', 'tx_dbm'],
  },
  wifi_ap: {
    tags: ['device', 'site', 'area'],
    integerFields: ['clients', 'tx_bytes', 'rx_bytes', 'uptime_s'],
    floatFields: ['rssi_dbm', 'channel_util'],
  },
  device_status: {
    tags: ['device', 'site', 'area', 'tech', 'source'],
    // up: 1 evidence of life, 0 asserted down; unreadable: 1 when the device answered but could not
    // be read (written without `up`: unknown, never down); reason: a string field
    integerFields: ['up', 'unreadable'],
    floatFields: ['rtt_ms'],
  },
  // Not in Telegraf: a collector's own connection state, so that the time a collector could not see
  // its devices counts as unknown, never as down (DESIGN.md uptime definition).
  collector_status: {
    tags: ['collector', 'instance'],
    // heartbeat_s: the period of the collector's heartbeats (server/status/collector-liveness.ts)
    integerFields: ['connected', 'heartbeat_s'],
    floatFields: [],
  },
  // Not in Telegraf: hourly rollups of device_status (server/rollups.ts), in the long retention.
  // One point per device per hour at the hour's start; the seconds add up to 3600.
  device_status_hourly: {
    tags: ['device', 'site', 'area', 'tech'],
    integerFields: ['up_s', 'down_s', 'unknown_s', 'maintenance_s'],
    floatFields: [],
  },
  // Not in Telegraf: the same hourly seconds summed per area, site and technology (`by` names which,
  // `group` its value), with the member count and `members`, a string digest of their ids
  // (server/status/group-rollups.ts). In the long retention.
  device_status_group_hourly: {
    tags: ['by', 'group'],
    integerFields: ['up_s', 'down_s', 'unknown_s', 'maintenance_s', 'devices'],
    floatFields: [],
  },
} as const satisfies Record<string, MeasurementSchema>;

export type MeasurementName = keyof typeof SCHEMA;

const integerFieldSets = new Map<string, ReadonlySet<string>>(
  Object.entries(SCHEMA).map(([name, s]) => [name, new Set<string>(s.integerFields)]),
);

/** True when `field` of `measurement` is stored as an integer (InfluxDB `i` suffix). */
export function isIntegerField(measurement: string, field: string): boolean {
  return integerFieldSets.get(measurement)?.has(field) ?? false;
}
