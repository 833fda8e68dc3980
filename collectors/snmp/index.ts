/** Registry entry for the SNMP collector (registry key `snmp`). */
import type { CollectorDefinition } from '../registry.js';
import { snmpConfigSchema } from './config.js';
import { defaultClientId } from '../mqtt/config.js';
import { checkInventoryIntervals } from './schedule.js';

export const snmpDefinition: CollectorDefinition<typeof snmpConfigSchema> = {
  description: 'Polls devices with SNMP access (v2c/v3): reachability, uptime, IF-MIB interfaces with rates, optical levels',
  configSchema: snmpConfigSchema,
  create(config, ctx) {
    // Start-up refuses an inventory interval the schedule cannot honour, before any poll (main.ts
    // may call checkInventoryIntervals earlier, with the config check; this is the last line).
    const errors = checkInventoryIntervals(config, ctx.inventory.all());
    if (errors.length) {
      const shown = errors.slice(0, 10).join('\n  ') + (errors.length > 10 ? `\n  … and ${errors.length - 10} more` : '');
      throw new Error(`SNMP collector: ${errors.length} inventory device interval(s) it cannot schedule:\n  ${shown}`);
    }
    // the collector (and net-snmp) is loaded when one is made, not with the schema (as mqtt's)
    return import('./collector.js').then(({ SnmpCollector }) =>
      new SnmpCollector(config, { inventory: ctx.inventory, metrics: ctx.metrics, intervalSOf: ctx.intervalSOf, log: ctx.log, instance: defaultClientId(ctx.dataDir) }));
  },
};

export { snmpConfigSchema };
/** start-up checks and the schedule's intervals, for server/main.ts and server/status's DefaultIntervals */
export { checkInventoryIntervals, snmpIntervalOf } from './schedule.js';
export type { SnmpConfig } from './config.js';
