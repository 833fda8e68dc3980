/** `role` and `cluster.*` (server/config-cluster.ts, part of the config schema): defaults, overrides, refusals naming the key. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.js';
import { shardingOn } from '../../server/config-cluster.js';

const broker = { NETATLAS_MQTT_URL: 'mqtt://127.0.0.1:1883', NETATLAS_SIMULATOR_ENABLED: 'false' };

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig({ env });
    return [];
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return [...err.issues];
  }
}

describe('role and cluster config', () => {
  it('defaults: role all, no sharding, keepalive 10 s', () => {
    const c = loadConfig({ env: {} });
    expect(c.role).toBe('all');
    expect(c.cluster).toEqual({ keepaliveS: 10 });
    expect(shardingOn(c)).toBe(false);
  });

  it('role collector with a broker shards by default; role api never does', () => {
    expect(shardingOn(loadConfig({ env: { ...broker, NETATLAS_ROLE: 'collector' } }))).toBe(true);
    expect(shardingOn(loadConfig({ env: { ...broker, NETATLAS_ROLE: 'collector', NETATLAS_CLUSTER_SHARDING: 'false' } }))).toBe(false);
    expect(shardingOn(loadConfig({ env: { ...broker, NETATLAS_ROLE: 'api' } }))).toBe(false);
    expect(loadConfig({ env: { ...broker, NETATLAS_ROLE: 'api', NETATLAS_CLUSTER_KEEPALIVE_S: '2' } }).cluster.keepaliveS).toBe(2);
  });

  it('refuses an unknown role, naming the key and its variable', () => {
    expect(problems({ NETATLAS_ROLE: 'poller' })).toEqual(['role: must be one of all, collector, api (from NETATLAS_ROLE)']);
  });

  it('refuses a collector process without a shared broker, and the simulator outside role all', () => {
    const p = problems({ NETATLAS_ROLE: 'collector' });
    expect(p.some((l) => l.startsWith('mqtt.url: required when role is collector'))).toBe(true);
    // no config file: the simulator defaults to on, which a collector process may not run
    expect(p.some((l) => l.startsWith('simulator.enabled: must be false when role is collector'))).toBe(true);
    expect(problems({ ...broker, NETATLAS_ROLE: 'api', NETATLAS_CLUSTER_SHARDING: 'true' })).toEqual(['cluster.sharding: an api process runs no collectors: set it on the collector processes (from NETATLAS_CLUSTER_SHARDING)']);
    expect(problems({ ...broker, NETATLAS_CLUSTER_KEEPALIVE_S: '0' }).some((l) => l.startsWith('cluster.keepaliveS:'))).toBe(true);
  });
});
