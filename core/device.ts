/**
 * A device of the inventory (DESIGN.md "Inventory and areas"). The inventory file is validated
 * with the zod schema in server/inventory/ (issue: inventory and areas); this is the validated
 * shape that collectors and analytics share.
 */
export type Tech = 'fibre' | 'wifi';

export interface SnmpV2Access {
  host: string;
  port: number;
  version: '2c';
  community: string;
}

export interface SnmpV3Access {
  host: string;
  port: number;
  version: '3';
  user: string;
  level: 'noAuthNoPriv' | 'authNoPriv' | 'authPriv';
  authProtocol?: 'sha' | 'sha256' | 'sha512' | 'md5';
  authKey?: string;
  privProtocol?: 'aes' | 'aes256b' | 'aes256r' | 'des';
  privKey?: string;
}

export type SnmpAccess = SnmpV2Access | SnmpV3Access;

export interface Device {
  id: string;
  tech: Tech;
  site: string;
  location: { lat: number; lon: number };
  /** derived from location by point-in-polygon; '' when outside every area */
  area: string;
  snmp?: SnmpAccess;
  /** MQTT device id (the `<device>` of the topics); defaults to `id` */
  mqttId?: string;
  /** fibre access nodes: households passed */
  householdsPassed?: number;
  /** fibre access technology, for DESI VHCN/FTTP: FTTH/FTTB count as FTTP, DOCSIS 3.1 as VHCN only */
  accessTech?: 'ftth' | 'fttb' | 'docsis31' | 'other';
  /** wifi APs: coverage disc radius in metres (default 50) */
  radiusM?: number;
  /** expected telemetry/poll interval in seconds, for unknown-time detection */
  intervalS?: number;
  /** optional take-up figures for DESI 2a1-2a3 */
  subscriptions?: { total: number; atLeast100Mbps?: number; atLeast1Gbps?: number };
}
