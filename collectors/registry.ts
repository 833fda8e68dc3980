/**
 * The one list of collectors: registry key (= folder name under collectors/) -> definition.
 * A test fails when a collector folder is missing here or its sample.yaml does not pass its
 * config schema (DESIGN.md conventions 1 and 2).
 */
import type { z } from 'zod';
import type { Collector } from './types.js';
import type { Logger } from '../server/log.js';
import type { Registry } from '../server/self-metrics.js';

export interface CollectorContext {
  log: Logger;
  metrics: Registry;
}

export interface CollectorDefinition<S extends z.ZodType = z.ZodType> {
  /** one line for README and --help */
  description: string;
  /** the schema of this collector's section under `collectors.<name>` in the config file */
  configSchema: S;
  create(config: z.infer<S>, ctx: CollectorContext): Collector | Promise<Collector>;
}

export const registry: Record<string, CollectorDefinition> = {
  // mqtt: added by collectors/mqtt
  // snmp: added by collectors/snmp
};
