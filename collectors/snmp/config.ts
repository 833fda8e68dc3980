/**
 * The `collectors.snmp` section of the config file. Strict: unknown keys are errors, so a typo
 * stops start-up with the key's path instead of being silently ignored.
 */
import { z } from 'zod';
import { DEFAULT_HEARTBEAT_S } from '../heartbeat.js';
import { MAX_HEARTBEAT_S } from '../../core/status-points.js';

/** A name pattern: `/regex/` or a glob with `*` and `?` (e.g. `ge-*`, `/^xe-0\/0\/\d+$/`). */
const pattern = z.string().min(1);

const interfaceFilter = z.object({
  /** only interfaces whose ifName (or ifDescr) matches one of these; empty: all */
  include: z.array(pattern).default([]),
  /** never these */
  exclude: z.array(pattern).default([]),
  /** skip interfaces an operator shut down (ifAdminStatus != up) */
  skipAdminDown: z.boolean().default(true),
}).strict();

const pollSettings = {
  /** per request, before a retry */
  timeoutMs: z.number().int().positive().max(60_000),
  retries: z.number().int().min(0).max(10),
  interfaces: interfaceFilter,
  /**
   * Interfaces whose oper status decides the device's status (e.g. its uplink): the device is down
   * when one of them is down. Empty: answering SNMP is enough to be up.
   */
  statusInterfaces: z.array(pattern),
};

const group = z.object({
  name: z.string().min(1),
  /** which devices: all conditions given must hold; ids are patterns */
  match: z.object({
    tech: z.enum(['fibre', 'wifi']).optional(),
    site: pattern.optional(),
    ids: z.array(pattern).optional(),
  }).strict(),
  /**
   * poll this group every N seconds: a multiple of the collector's intervalS (an inventory
   * device's own intervalS wins over it)
   */
  intervalS: z.number().int().positive().optional(),
  timeoutMs: pollSettings.timeoutMs.optional(),
  retries: pollSettings.retries.optional(),
  interfaces: interfaceFilter.optional(),
  statusInterfaces: pollSettings.statusInterfaces.optional(),
}).strict();

export const snmpConfigSchema = z.object({
  enabled: z.boolean().default(true),
  /** the poll cycle (a croner schedule): a divisor of a minute, or whole minutes dividing an hour */
  intervalS: z.number().int().positive().default(60),
  /**
   * seconds between collector_status heartbeats while the collector runs; at most half of
   * intervalS, so that a collector killed without a word is counted dead (2 heartbeats) within one
   * poll interval. Default: DEFAULT_HEARTBEAT_S, lowered to half of intervalS when that is shorter.
   */
  heartbeatS: z.number().int().positive().max(MAX_HEARTBEAT_S).optional(),
  timeoutMs: pollSettings.timeoutMs.default(2000),
  retries: pollSettings.retries.default(1),
  /** device polls in flight at once */
  concurrency: z.number().int().min(1).max(4096).default(64),
  /** GETBULK max-repetitions */
  maxRepetitions: z.number().int().min(1).max(200).default(10),
  /** read ENTITY-SENSOR-MIB dBm sensors (best effort: devices without them cost one request) */
  optical: z.boolean().default(true),
  /** used when a device's access block leaves them empty */
  defaults: z.object({
    community: z.string().min(1).optional(),
  }).strict().default({}),
  interfaces: interfaceFilter.default({ include: [], exclude: [], skipAdminDown: true }),
  statusInterfaces: pollSettings.statusInterfaces.default([]),
  groups: z.array(group).default([]),
}).strict().superRefine((cfg, ctx) => {
  cfg.groups.forEach((g, i) => {
    if (g.intervalS !== undefined && g.intervalS % cfg.intervalS !== 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['groups', i, 'intervalS'],
        message: `must be a multiple of intervalS (${cfg.intervalS})`,
      });
    }
  });
  if (cfg.heartbeatS !== undefined && cfg.heartbeatS > cfg.intervalS / 2) {
    ctx.addIssue({
      code: 'custom',
      path: ['heartbeatS'],
      message: `collectors.snmp.heartbeatS ${cfg.heartbeatS} must be at most half of collectors.snmp.intervalS (${cfg.intervalS} / 2 = ${cfg.intervalS / 2}), so that a stopped collector is noticed within one poll interval`,
    });
  }
}).transform((cfg) => ({ ...cfg, heartbeatS: cfg.heartbeatS ?? defaultHeartbeatS(cfg.intervalS) }));

/**
 * DEFAULT_HEARTBEAT_S, or half of intervalS when that is shorter (whole seconds; 1 s at least, so
 * an intervalS of 1 beats every second, the shortest heartbeat there is).
 */
export function defaultHeartbeatS(intervalS: number): number {
  return Math.max(1, Math.min(DEFAULT_HEARTBEAT_S, Math.floor(intervalS / 2)));
}

export type SnmpConfig = z.infer<typeof snmpConfigSchema>;
export type InterfaceFilter = z.infer<typeof interfaceFilter>;
export type GroupConfig = z.infer<typeof group>;
