import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { CollectorDefinition } from '../../collectors/registry.js';
import { ConfigError, DEFAULT_AVERAGE_HOUSEHOLD_SIZE, loadConfig } from '../../server/config.js';

const dir = mkdtempSync(path.join(tmpdir(), 'netatlas-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function writeConfig(text: string, ext = 'yaml'): string {
  const file = path.join(dir, `config-${++n}.${ext}`);
  writeFileSync(file, text);
  return file;
}

function issuesOf(fn: () => unknown): readonly string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.issues;
    throw err;
  }
  throw new Error('expected a ConfigError, got a valid configuration');
}

/** A stand-in registry entry shaped like the SNMP collector's config, for the dynamic section. */
const snmpLike: CollectorDefinition = {
  description: 'test collector',
  configSchema: z.strictObject({
    intervalS: z.number().int().positive().default(60),
    devices: z.array(z.strictObject({ host: z.string(), community: z.string() })).default([]),
  }),
  create: () => {
    throw new Error('not used by config tests');
  },
};

describe('loadConfig', () => {
  it('gives the documented defaults with no file and an empty environment, simulator on', () => {
    const config = loadConfig({ env: {}, cwd: '/srv/netatlas' });
    // the request limits' documented defaults (README, http.limits)
    expect(config.http).toEqual({ port: 8080, host: '127.0.0.1', cors: [], auth: {}, limits: { readsPerMinute: 600, eventStreams: 500, eventStreamsPerClient: 20, heavyConcurrency: 2, heavyQueueMs: 10_000, heavyQueueLength: 20 } });
    expect(config.dataDir).toBe('/srv/netatlas/data');
    expect(config.log.level).toBe('info');
    expect(config.store.influx).toBeUndefined();
    expect(config.pipeline).toEqual({ batchSize: 5000, flushIntervalMs: 1000, maxQueuePoints: 100_000, maxSpoolBytes: 1024 ** 3, minFreeBytes: 512 * 1024 ** 2 });
    expect(config.retention).toEqual({ rejectedDays: 30, deliveryLogDays: 90, reportsDays: 400 });
    expect(config.mqtt).toEqual({ embeddedPort: 1883, topicPrefix: 'netatlas' });
    expect(config.inventory).toEqual({});
    expect(config.households.averageSize).toBe(DEFAULT_AVERAGE_HOUSEHOLD_SIZE);
    expect(config.simulator.enabled).toBe(true);
    expect(config.collectors).toEqual({});
  });

  it('turns the simulator off by default when a config file is given, even an empty one', () => {
    const config = loadConfig({ file: writeConfig(''), env: {} });
    expect(config.simulator.enabled).toBe(false);
    expect(config.http.port).toBe(8080);
  });

  it('returns a deeply frozen object', () => {
    const config = loadConfig({ env: {} });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.http.cors)).toBe(true);
    expect(() => {
      (config.pipeline as { batchSize: number }).batchSize = 1;
    }).toThrow(TypeError);
  });

  it('reads a full YAML file, fills the influx defaults and resolves paths against the file folder', () => {
    const file = writeConfig(`
http:
  port: 9090
  host: 0.0.0.0
  cors: [https://map.example.org]
  auth: { readToken: r-token, adminToken: a-token }
dataDir: ./state
log: { level: debug }
store:
  influx: { url: http://127.0.0.1:8086, database: city, username: writer, password: secret }
pipeline: { batchSize: 1000, flushIntervalMs: 500, maxQueuePoints: 20000 }
mqtt:
  url: mqtts://broker.example.org:8883
  topicPrefix: city/net
  clientId: netatlas-1
  sharedGroup: collectors
  ca: certs/ca.pem
inventory: { devicesFile: devices.yaml, areasFile: /data/areas.geojson }
households: { averageSize: 2.3 }
simulator: { enabled: true }
`);
    const config = loadConfig({ file, env: {} });
    expect(config.http).toEqual({
      port: 9090, host: '0.0.0.0', cors: ['https://map.example.org'], auth: { readToken: 'r-token', adminToken: 'a-token' },
      limits: { readsPerMinute: 600, eventStreams: 500, eventStreamsPerClient: 20, heavyConcurrency: 2, heavyQueueMs: 10_000, heavyQueueLength: 20 },
    });
    expect(config.dataDir).toBe(path.join(dir, 'state'));
    expect(config.log.level).toBe('debug');
    expect(config.store.influx).toEqual({
      url: 'http://127.0.0.1:8086', database: 'city', username: 'writer', password: 'secret',
      rawRetention: '90d', longRetention: '1825d', timeoutMs: 10_000,
    });
    expect(config.pipeline).toEqual({ batchSize: 1000, flushIntervalMs: 500, maxQueuePoints: 20_000, maxSpoolBytes: 1024 ** 3, minFreeBytes: 512 * 1024 ** 2 });
    expect(config.mqtt.url).toBe('mqtts://broker.example.org:8883');
    expect(config.mqtt.topicPrefix).toBe('city/net');
    expect(config.mqtt.ca).toBe(path.join(dir, 'certs/ca.pem'));
    expect(config.inventory).toEqual({ devicesFile: path.join(dir, 'devices.yaml'), areasFile: '/data/areas.geojson' });
    expect(config.households.averageSize).toBe(2.3);
    expect(config.simulator.enabled).toBe(true);
  });

  it('reads a JSON file as well', () => {
    const config = loadConfig({ file: writeConfig('{"http": {"port": 8181}}', 'json'), env: {} });
    expect(config.http.port).toBe(8181);
  });

  it('applies environment overrides, coercing numbers, booleans and lists to the schema types', () => {
    const config = loadConfig({
      env: {
        NETATLAS_PORT: '9191',
        NETATLAS_DATA_DIR: '/var/lib/netatlas',
        NETATLAS_STORE_INFLUX_URL: 'http://127.0.0.1:8086',
        NETATLAS_STORE_INFLUX_TIMEOUT_MS: '2500',
        NETATLAS_PIPELINE_BATCH_SIZE: '250',
        NETATLAS_SIMULATOR_ENABLED: 'false',
        NETATLAS_HTTP_CORS: '["https://a.example.org","https://b.example.org"]',
        NETATLAS_MQTT_EMBEDDED_PORT: '0',
        NETATLAS_HOUSEHOLDS_AVERAGE_SIZE: '2.07',
        NETATLAS_LOG_LEVEL: 'warn',
        NETATLAS_TEST_INFLUX_URL: 'ignored by the config',
        NETATLAS_CONFIG: '',
        PATH: '/usr/bin',
      },
    });
    expect(config.http.port).toBe(9191);
    expect(config.dataDir).toBe('/var/lib/netatlas');
    expect(config.store.influx).toMatchObject({ url: 'http://127.0.0.1:8086', database: 'netatlas', timeoutMs: 2500 });
    expect(config.pipeline.batchSize).toBe(250);
    expect(config.simulator.enabled).toBe(false);
    expect(config.http.cors).toEqual(['https://a.example.org', 'https://b.example.org']);
    expect(config.mqtt.embeddedPort).toBe(0);
    expect(config.households.averageSize).toBe(2.07);
    expect(config.log.level).toBe('warn');
  });

  it('lets the environment win over the file, and NETATLAS_HTTP_PORT over NETATLAS_PORT', () => {
    const file = writeConfig('http: { port: 7000 }\npipeline: { batchSize: 10 }\n');
    const config = loadConfig({ file, env: { NETATLAS_PORT: '7100', NETATLAS_HTTP_PORT: '7200', NETATLAS_PIPELINE_BATCH_SIZE: '20' } });
    expect(config.http.port).toBe(7200);
    expect(config.pipeline.batchSize).toBe(20);
  });

  it('reads the file named by NETATLAS_CONFIG when no file is passed', () => {
    const file = writeConfig('http: { port: 7300 }\n');
    expect(loadConfig({ env: { NETATLAS_CONFIG: file } }).http.port).toBe(7300);
  });

  it('names an unknown key with its full path', () => {
    const file = writeConfig('http:\n  port: 8080\n  prot: 8081\nsimulater: {}\n');
    expect(issuesOf(() => loadConfig({ file, env: {} }))).toEqual(['http.prot: unknown key', 'simulater: unknown key']);
  });

  it('names an environment variable that matches no key instead of ignoring it', () => {
    expect(issuesOf(() => loadConfig({ env: { NETATLAS_PIPELINE_BATCHSIZE: '10' } }))).toEqual([
      'NETATLAS_PIPELINE_BATCHSIZE: matches no configuration key (NETATLAS_<SECTION>_<KEY>, e.g. NETATLAS_PIPELINE_BATCH_SIZE)',
    ]);
  });

  it('says which variable a badly typed value came from', () => {
    expect(issuesOf(() => loadConfig({ env: { NETATLAS_PIPELINE_FLUSH_INTERVAL_MS: 'soon' } }))).toEqual([
      'pipeline.flushIntervalMs: expected number, received string (from NETATLAS_PIPELINE_FLUSH_INTERVAL_MS)',
    ]);
  });

  it('reports all three mistakes of a file at once, one line each naming its field', () => {
    const file = writeConfig(`
http: { port: 80800 }
store:
  influx: { url: not-a-url }
pipeline: { batchSize: many }
`);
    expect(issuesOf(() => loadConfig({ file, env: {} }))).toEqual([
      'http.port: Too big: expected number to be <=65535',
      'store.influx.url: Invalid URL',
      'pipeline.batchSize: expected number, received string',
    ]);
  });

  it('checks cross-field rules with the path of the field to change', () => {
    const file = writeConfig('pipeline: { batchSize: 5000, maxQueuePoints: 100 }\n');
    expect(issuesOf(() => loadConfig({ file, env: {} }))).toEqual(['pipeline.maxQueuePoints: must be at least batchSize (5000)']);
  });

  it('names a missing file and a file that is not YAML', () => {
    const missing = path.join(dir, 'absent.yaml');
    expect(issuesOf(() => loadConfig({ file: missing, env: {} }))).toEqual([`${missing}: cannot read the file (ENOENT)`]);
    const bad = writeConfig('http: [unclosed\n');
    const lines = issuesOf(() => loadConfig({ file: bad, env: {} }));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^${bad}: not valid YAML or JSON: `));
  });

  it('validates each registry collector section with its own schema, naming nested array paths', () => {
    const file = writeConfig(`
collectors:
  snmp:
    devices:
      - { host: 10.0.0.1, community: public }
      - { host: 10.0.0.2, community: public }
      - { host: 10.0.0.3, community: public }
      - { host: 10.0.0.4 }
`);
    const collectors = { snmp: snmpLike };
    expect(issuesOf(() => loadConfig({ file, env: {}, collectors }))).toEqual(['collectors.snmp.devices[3].community: required']);
    const good = loadConfig({ file: writeConfig('collectors:\n  snmp: {}\n'), env: { NETATLAS_COLLECTORS_SNMP_INTERVAL_S: '30' }, collectors });
    expect(good.collectors['snmp']).toEqual({ intervalS: 30, devices: [] });
    expect(issuesOf(() => loadConfig({ file: writeConfig('collectors:\n  smnp: {}\n'), env: {}, collectors }))).toEqual([
      'collectors.smnp: unknown key',
    ]);
  });
});
