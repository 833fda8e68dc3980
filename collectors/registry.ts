/**
 * The one list of collectors: registry key (= folder name under collectors/) -> definition.
 * A test fails when a collector folder is missing here or its sample.yaml does not pass its
 * config schema (DESIGN.md conventions 1 and 2).
 */
import type { z } from 'zod';
import type { Collector } from './types.js';
import type { Logger } from '../core/log.js';
import type { Registry } from '../core/self-metrics.js';
import type { InventoryView } from '../core/inventory-view.js';
import type { EffectiveIntervalOf } from '../core/intervals.js';
import { mqttCollector } from './mqtt/index.js';
import { snmpDefinition } from './snmp/index.js';

export interface CollectorContext {
  log: Logger;
  metrics: Registry;
  inventory: InventoryView;
  /** where a collector may keep small state files (e.g. last counters) */
  dataDir: string;
  /**
   * a device's effective interval: server/status/intervals.ts's intervalSOf, passed in by the
   * composition root, so that polls and down restatements keep the interval status measures in
   */
  intervalSOf: EffectiveIntervalOf;
}

export interface CollectorDefinition<S extends z.ZodType = z.ZodType> {
  /** one line for README and --help */
  description: string;
  /** the schema of this collector's section under `collectors.<name>` in the config file */
  configSchema: S;
  create(config: z.infer<S>, ctx: CollectorContext): Collector | Promise<Collector>;
}

export const registry: Record<string, CollectorDefinition> = {
  mqtt: mqttCollector,
  snmp: snmpDefinition as CollectorDefinition,
};
