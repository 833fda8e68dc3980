/**
 * The compose file's `scale` profile (#19 item 4), checked as data like compose.test.ts: one api
 * process and two collector processes, each environment a valid config of its role, the
 * collectors with distinct hostnames, data volumes, MQTT client ids and loopback ports.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../server/config.js';
import { shardingOn } from '../../server/config-cluster.js';

interface Service { profiles?: string[]; hostname?: string; environment?: Record<string, string>; ports?: string[]; volumes?: string[] }
const compose = parse(readFileSync(new URL('../../docker-compose.yml', import.meta.url), 'utf8')) as { services: Record<string, Service>; volumes: Record<string, unknown> };
const substitute = (v: string): string => v.replace(/\$\{([A-Z0-9_]+)(?::?[-?][^}]*)?\}/g, (_m, name: string) => `test-${name.toLowerCase()}`);
const envOf = (name: string): Record<string, string> => Object.fromEntries(Object.entries(compose.services[name]?.environment ?? {}).map(([k, v]) => [k, substitute(String(v))]));

describe('docker compose profile scale', () => {
  const names = ['netatlas-api', 'netatlas-collector-1', 'netatlas-collector-2'];

  it('has one api and two collector processes, only in the profile', () => {
    for (const n of names) expect({ n, profiles: compose.services[n]?.profiles }).toEqual({ n, profiles: ['scale'] });
    expect(names.map((n) => loadConfig({ env: envOf(n) }).role)).toEqual(['api', 'collector', 'collector']);
  });

  it('gives each a valid config on the same store and broker; the collectors shard and share one MQTT group', () => {
    const configs = names.map((n) => loadConfig({ env: envOf(n) }));
    for (const c of configs) {
      expect(c.store.influx?.url).toBe('http://influxdb:8086');
      expect(c.mqtt.url).toBe('mqtt://mosquitto:1883');
      expect(c.simulator.enabled).toBe(false);
    }
    expect(configs.map((c) => shardingOn(c))).toEqual([false, true, true]);
    expect(configs.slice(1).map((c) => c.mqtt.sharedGroup)).toEqual(['netatlas', 'netatlas']);
  });

  it('keeps the collectors apart: hostnames, data volumes, MQTT client ids and host ports', () => {
    const [a, b] = ['netatlas-collector-1', 'netatlas-collector-2'].map((n) => compose.services[n]!);
    expect(a!.hostname).not.toBe(b!.hostname);
    expect(a!.volumes![0]).not.toBe(b!.volumes![0]);
    expect(a!.environment!['NETATLAS_COLLECTORS_MQTT_CLIENT_ID']).not.toBe(b!.environment!['NETATLAS_COLLECTORS_MQTT_CLIENT_ID']);
    expect([...a!.ports!, ...b!.ports!, ...compose.services['netatlas-api']!.ports!]).toEqual(['127.0.0.1:8081:8080', '127.0.0.1:8082:8080', '127.0.0.1:8080:8080']);
    for (const v of ['netatlas-api-data', 'netatlas-collector-1-data', 'netatlas-collector-2-data']) expect(Object.keys(compose.volumes)).toContain(v);
  });
});
