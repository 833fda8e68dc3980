/** Registry entry for the SNMP collector (registry key `snmp`). */
import type { CollectorDefinition } from '../registry.js';
import { snmpConfigSchema } from './config.js';
import { SnmpCollector } from './collector.js';
import { defaultClientId } from '../mqtt/config.js';

export const snmpDefinition: CollectorDefinition<typeof snmpConfigSchema> = {
  description: 'Polls devices with SNMP access (v2c/v3): reachability, uptime, IF-MIB interfaces with rates, optical levels',
  configSchema: snmpConfigSchema,
  create(config, ctx) {
    return new SnmpCollector(config, { inventory: ctx.inventory, metrics: ctx.metrics, log: ctx.log, instance: defaultClientId(ctx.dataDir) });
  },
};

export { SnmpCollector, snmpConfigSchema };
/** start-up checks and the schedule's intervals, for server/main.ts and server/status's DefaultIntervals */
export { checkInventoryIntervals, snmpIntervalOf } from './schedule.js';
export type { SnmpConfig } from './config.js';
