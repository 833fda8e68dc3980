/**
 * The process role and the collector cluster (README "One region, many machines"). The schema is
 * part of the config module's (config-schema.ts); the rule that joins them to other sections
 * (a collector process needs an external broker) is `roleProblems`, run by the config schema.
 */
import { z } from 'zod';

/** all: one process does everything (the default); collector: collectors and pipeline only; api: no collectors */
export const ROLES = ['all', 'collector', 'api'] as const;
export type Role = (typeof ROLES)[number];

export const roleSchema = z.enum(ROLES, { message: `must be one of ${ROLES.join(', ')}` });

export const clusterSchema = z.strictObject({
  /**
   * split the SNMP devices among the live collector processes (membership on the broker,
   * rendezvous hashing); default: on for role `collector`, off otherwise
   */
  sharding: z.boolean().optional(),
  /**
   * MQTT keepalive of the membership connection: the broker announces a dead member 1.5 keepalives
   * after its last packet, so its devices are polled again within one interval plus that
   */
  keepaliveS: z.number().int().min(1).max(300).default(10),
});

export type ClusterConfig = z.output<typeof clusterSchema>;

/** Problems with `role` that need other sections, as [path, message] pairs. */
export function roleProblems(c: { role: Role; mqtt: { url?: string | undefined }; cluster: ClusterConfig; simulator: { enabled: boolean } }): [string[], string][] {
  const out: [string[], string][] = [];
  const sharded = c.cluster.sharding ?? c.role === 'collector';
  if (c.role === 'collector' && c.mqtt.url === undefined) {
    out.push([['mqtt', 'url'], 'required when role is collector: collector processes meet on a shared broker (an embedded one would be private to each process)']);
  } else if (sharded && c.mqtt.url === undefined) {
    out.push([['mqtt', 'url'], 'required when cluster.sharding is on: the members meet on a shared broker']);
  }
  if (c.role !== 'all' && c.simulator.enabled) {
    // each process would simulate a network of its own; `netatlas simulate` serves them all
    out.push([['simulator', 'enabled'], `must be false when role is ${c.role}: run \`netatlas simulate\` against the shared broker instead`]);
  }
  if (c.role === 'api' && c.cluster.sharding === true) {
    out.push([['cluster', 'sharding'], 'an api process runs no collectors: set it on the collector processes']);
  }
  return out;
}

/** Whether this process shards its SNMP devices with other collector processes. */
export function shardingOn(c: { role: Role; cluster: ClusterConfig }): boolean {
  return c.role !== 'api' && (c.cluster.sharding ?? c.role === 'collector');
}
