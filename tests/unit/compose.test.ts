/**
 * Docker does not run on our machines, so the compose file is checked as data: every NETATLAS_*
 * variable it sets must be a real config key (through server/config-env.ts's own mapping), the
 * whole environment must make a valid config, and every port must match the config defaults.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildConfigSchema, loadConfig } from '../../server/config.js';
import { readEnvOverrides, RESERVED_ENV } from '../../server/config-env.js';
import { httpSchema, mqttSchema } from '../../server/config-schema.js';

const root = new URL('../../', import.meta.url);
const read = (p: string): string => readFileSync(new URL(p, root), 'utf8');

interface Service {
  image?: string;
  build?: unknown;
  profiles?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  command?: string[];
}
const compose = parse(read('docker-compose.yml')) as { services: Record<string, Service>; volumes: Record<string, unknown> };
const services = compose.services;

/** `${VAR:?msg}` / `${VAR:-default}` / `${VAR}` as docker compose would substitute them from a .env. */
function substitute(value: string): string {
  return value.replace(/\$\{([A-Z0-9_]+)(?::?[-?][^}]*)?\}/g, (_m, name: string) => `test-${name.toLowerCase()}`);
}

function envOf(name: string): Record<string, string> {
  const env = services[name]?.environment ?? {};
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, substitute(String(v))]));
}

/** The container side of "host:container" or "ip:host:container". */
function containerPorts(name: string): number[] {
  return (services[name]?.ports ?? []).map((p) => Number(String(p).split(':').at(-1)));
}

const netatlasEnv = envOf('netatlas');
const config = loadConfig({ env: netatlasEnv });

describe('docker-compose.yml', () => {
  it('runs influxdb 1.8 with a volume, mosquitto 2, netatlas built here, and grafana only in a profile', () => {
    expect(services['influxdb']?.image).toBe('influxdb:1.8');
    expect(services['influxdb']?.volumes?.some((v) => v.endsWith(':/var/lib/influxdb'))).toBe(true);
    expect(services['mosquitto']?.image).toBe('eclipse-mosquitto:2');
    expect(services['netatlas']?.build).toBe('.');
    expect(services['grafana']?.profiles).toEqual(['grafana']);
  });

  it('sets only NETATLAS_ variables that are real config keys, in every service', () => {
    const schema = buildConfigSchema();
    const checked: string[] = [];
    for (const name of Object.keys(services)) {
      const env = Object.fromEntries(Object.entries(envOf(name)).filter(([k]) => k.startsWith('NETATLAS_')));
      const result = readEnvOverrides(schema, env);
      expect(result.errors, `service ${name}`).toEqual([]);
      const mapped = new Set(result.overrides.map((o) => o.variable));
      for (const variable of Object.keys(env)) {
        expect(mapped.has(variable) || RESERVED_ENV.has(variable), `${name}: ${variable}`).toBe(true);
        checked.push(variable);
      }
    }
    expect(checked.length).toBeGreaterThanOrEqual(15);
  });

  it("gives netatlas a valid production config: InfluxDB and Mosquitto with passwords, no simulator", () => {
    expect(config.simulator.enabled).toBe(false);
    expect(config.store.influx?.url).toBe('http://influxdb:8086');
    expect(config.store.influx?.password).toBe('test-influxdb_netatlas_password');
    expect(config.mqtt.url).toBe('mqtt://mosquitto:1883');
    expect(config.mqtt.username).toBe('netatlas');
    expect(config.dataDir).toBe('/data');
    expect(config.http.host).toBe('0.0.0.0');
    expect((config.collectors['mqtt'] as { clientId?: string }).clientId).toBe('netatlas-compose');
  });

  it('publishes the ports the config uses by default: HTTP 8080, MQTT 1883, InfluxDB 8086', () => {
    const httpDefault = httpSchema.parse({}).port;
    const mqttDefault = mqttSchema.parse({}).embeddedPort;
    expect(containerPorts('netatlas')).toEqual([httpDefault]);
    expect(config.http.port).toBe(httpDefault);
    // plain MQTT (the config's default port) and MQTT over TLS (8883) for the APs
    expect(containerPorts('mosquitto')).toEqual([mqttDefault, 8883]);
    expect(Number(new URL(config.mqtt.url!).port)).toBe(mqttDefault);
    expect(containerPorts('influxdb')).toEqual([Number(new URL(config.store.influx!.url).port)]);
    expect(containerPorts('influxdb')).toEqual([8086]);
    expect(read('Dockerfile')).toMatch(new RegExp(`^EXPOSE ${httpDefault}$`, 'm'));
    expect(read('deploy/mosquitto/mosquitto.conf')).toMatch(new RegExp(`^listener ${mqttDefault}$`, 'm'));
  });

  it('names every variable the compose file requires in deploy/env.example', () => {
    const required = [...new Set([...read('docker-compose.yml').matchAll(/\$\{([A-Z0-9_]+):\?/g)].map((m) => m[1]!))].sort();
    const documented = read('deploy/env.example').split('\n').map((l) => /^([A-Z0-9_]+)=/.exec(l)?.[1]).filter((v) => v !== undefined).sort();
    // InfluxDB admin and netatlas, Mosquitto netatlas, Grafana admin (APs have their own passwords, not one from .env)
    expect(required.length).toBeGreaterThanOrEqual(4);
    expect(documented).toEqual(required);
  });

  it('publishes plain MQTT on the host\'s loopback only and TLS on 8883, with the certificate paths of the shipped config', () => {
    expect(services['mosquitto']?.ports).toEqual(['127.0.0.1:1883:1883', '8883:8883']);
    const conf = read('deploy/mosquitto/mosquitto.conf');
    expect(conf).toMatch(/^listener 8883\ncertfile \/mosquitto\/certs\/server\.crt\nkeyfile \/mosquitto\/certs\/server\.key$/m);
    expect(services['mosquitto']?.volumes).toContain('./deploy/mosquitto/certs:/mosquitto/certs:ro');
    expect(services['mosquitto']?.volumes).toContain('./deploy/mosquitto/credentials:/mosquitto/credentials:ro');
  });

  it('gives every AP its own identity: no shared AP user, an ACL pattern on the login, the APs\' password entries appended', () => {
    const acl = read('deploy/mosquitto/acl');
    expect(acl).toMatch(/^pattern write netatlas\/wifi\/%u\/telemetry$/m);
    expect(acl).toMatch(/^pattern write netatlas\/wifi\/%u\/status$/m);
    expect(acl).not.toMatch(/^user ap$/m);
    const script = (services['mosquitto']?.command ?? []).join(' ');
    expect(script).toContain('cat /mosquitto/credentials/ap-passwd >> /mosquitto/data/passwd');
    expect(read('deploy/env.example')).not.toContain('MQTT_AP_PASSWORD');
  });

  it('keeps what the collector has not acknowledged: no queue limit, persistence on, $SYS published', () => {
    const conf = read('deploy/mosquitto/mosquitto.conf');
    for (const line of ['max_queued_messages 0', 'max_queued_bytes 0', 'persistence true', 'sys_interval 10']) expect(conf).toMatch(new RegExp(`^${line.replace('$', '\\$')}$`, 'm'));
  });

  it('makes Mosquitto require a password, written from the environment', () => {
    const conf = read('deploy/mosquitto/mosquitto.conf');
    expect(conf).toMatch(/^allow_anonymous false$/m);
    expect(conf).toMatch(/^password_file \/mosquitto\/data\/passwd$/m);
    const script = (services['mosquitto']?.command ?? []).join(' ');
    expect(script).toContain(`mosquitto_passwd -c -b /mosquitto/data/passwd ${config.mqtt.username}`);
    expect(services['mosquitto']?.volumes).toContain('./deploy/mosquitto/mosquitto.conf:/mosquitto/config/mosquitto.conf:ro');
  });

  it('builds netatlas in several stages and runs it as a non-root user', () => {
    const dockerfile = read('Dockerfile');
    expect(dockerfile.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2);
    const users = [...dockerfile.matchAll(/^USER (\S+)$/gm)].map((m) => m[1]);
    expect(users.at(-1)).toBe('node');
    expect(dockerfile).toMatch(/^CMD \["node", "bin\/netatlas.js", "start"\]$/m);
  });

  it("provisions Grafana with netatlas' InfluxDB database at the compose service's address", () => {
    const ds = parse(read('deploy/grafana/provisioning/datasources/influxdb.yaml')) as { datasources: { type: string; url: string; user: string; jsonData: { dbName: string } }[] };
    const influx = ds.datasources[0]!;
    expect(influx.type).toBe('influxdb');
    expect(influx.url).toBe(config.store.influx!.url);
    expect(influx.user).toBe(config.store.influx!.username);
    expect(influx.jsonData.dbName).toBe(config.store.influx!.database);
    expect(services['grafana']?.volumes).toContain('./deploy/grafana/provisioning:/etc/grafana/provisioning:ro');
  });
});
