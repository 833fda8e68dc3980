import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { mqttConfigSchema, defaultClientId } from '../../collectors/mqtt/config.js';
import { registry } from '../../collectors/registry.js';
import { MqttCollector } from '../../collectors/mqtt/collector.js';
import { collectorContext, inventoryOf } from '../helpers/mqtt-fixtures.js';
import { ConfigError, parseConfig } from '../../server/config.js';

describe('the mqtt collector config', () => {
  it('accepts its sample.yaml', () => {
    const doc = parse(readFileSync(new URL('../../collectors/mqtt/sample.yaml', import.meta.url), 'utf8')) as { mqtt: unknown };
    const config = mqttConfigSchema.parse(doc.mqtt);
    expect(config.url).toBe('mqtt://127.0.0.1:1883');
    expect(config.telemetryTopic).toBe('{prefix}/{device}/telemetry');
  });

  it('is registered under the key mqtt with this schema', () => {
    expect(registry['mqtt']?.configSchema).toBe(mqttConfigSchema);
  });

  it('gives a working default from an empty section', () => {
    const config = mqttConfigSchema.parse({});
    expect(config.url).toBeUndefined();
    expect(config.topicPrefix).toBe('netatlas/wifi');
    expect(config.fields.clients).toBe('clients');
  });

  it('names the path of a bad key', () => {
    const result = mqttConfigSchema.safeParse({ fields: { clients: '__proto__' }, telemetryTopic: 'a/b' });
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toContain('fields.clients');
    expect(paths).toContain('telemetryTopic');
  });

  it('rejects unknown keys', () => {
    const result = mqttConfigSchema.safeParse({ brokerUrl: 'mqtt://x' });
    expect(result.success).toBe(false);
  });

  it('derives a client id that is stable for one data dir and differs between two', () => {
    expect(defaultClientId('/var/lib/netatlas', 'box')).toBe(defaultClientId('/var/lib/netatlas', 'box'));
    expect(defaultClientId('/var/lib/netatlas', 'box')).not.toBe(defaultClientId('/var/lib/netatlas-2', 'box'));
    expect(defaultClientId('/x', 'box')).toMatch(/^netatlas-box-[0-9a-f]{12}$/);
  });
});

describe('the mqtt collector heartbeat period', () => {
  const heartbeatIssues = (mqtt: Record<string, unknown>): readonly string[] => {
    try {
      parseConfig({ collectors: { mqtt } }, { env: {}, fromFile: true });
      return [];
    } catch (err) {
      if (err instanceof ConfigError) return err.issues;
      throw err;
    }
  };

  it('defaults to 10 s, or half of expectedIntervalS when that is less', () => {
    expect(mqttConfigSchema.parse({}).heartbeatS).toBe(10);
    // expectedIntervalS 10: 10 / 2 = 5 s; expectedIntervalS 3: floor(3 / 2) = 1 s
    expect(mqttConfigSchema.parse({ expectedIntervalS: 10 }).heartbeatS).toBe(5);
    expect(mqttConfigSchema.parse({ expectedIntervalS: 3 }).heartbeatS).toBe(1);
    expect(mqttConfigSchema.parse({ expectedIntervalS: 600, heartbeatS: 60 }).heartbeatS).toBe(60);
  });

  it('refuses a heartbeat longer than half of expectedIntervalS, naming collectors.mqtt.heartbeatS', () => {
    // expectedIntervalS 60: at most 60 / 2 = 30 s
    expect(heartbeatIssues({ heartbeatS: 30 })).toEqual([]);
    expect(heartbeatIssues({ heartbeatS: 31 })).toEqual(['collectors.mqtt.heartbeatS: 31 s is more than half of expectedIntervalS (60 s): at most 30']);
    expect(heartbeatIssues({ expectedIntervalS: 1 })).toEqual([
      'collectors.mqtt.heartbeatS: heartbeats are whole seconds, at most half of expectedIntervalS (1 s): expectedIntervalS must be at least 2',
    ]);
  });

  it('refuses a heartbeat that is not a positive whole number of seconds, or above MAX_HEARTBEAT_S (60)', () => {
    for (const bad of [0, -1, 1.5]) expect(heartbeatIssues({ heartbeatS: bad })[0]).toMatch(/^collectors\.mqtt\.heartbeatS: /);
    expect(heartbeatIssues({ expectedIntervalS: 600, heartbeatS: 61 })[0]).toMatch(/^collectors\.mqtt\.heartbeatS: .*60/);
  });
});

describe('the mqtt collector TLS settings', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'netatlas-mqtt-tls-'));
  const ca = path.join(dir, 'ca.pem');
  writeFileSync(ca, '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n');
  const missing = path.join(dir, 'missing.pem');
  const issues = (section: unknown): string[] => {
    const result = mqttConfigSchema.safeParse(section);
    return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('accepts TLS files that exist with an mqtts:// url', () => {
    expect(issues({ url: 'mqtts://broker.example:8883', tls: { caFile: ca } })).toEqual([]);
  });

  it('refuses a TLS file that does not exist, naming the key and the path', () => {
    expect(issues({ url: 'mqtts://broker.example:8883', tls: { caFile: missing } })).toEqual([`tls.caFile: cannot read ${missing} (ENOENT)`]);
    expect(issues({ url: 'mqtts://broker.example:8883', tls: { certFile: dir, keyFile: ca } })).toEqual([`tls.certFile: ${dir} is not a file`]);
  });

  it('refuses TLS files with a plain mqtt:// url, which would silently connect without TLS', () => {
    expect(issues({ url: 'mqtt://broker.example:1883', tls: { caFile: ca } })).toEqual(['tls: TLS files are used only with an mqtts://, ssl://, tls:// or wss:// url']);
  });

  it('refuses a client certificate without its key', () => {
    expect(issues({ url: 'mqtts://broker.example:8883', tls: { certFile: ca } })).toEqual(['tls: certFile and keyFile go together (client certificate and its key)']);
  });

  it('fails creating the collector, naming the key, when a TLS file disappeared after the config was checked', () => {
    const config = mqttConfigSchema.parse({ url: 'mqtts://broker.example:8883', tls: { caFile: ca } });
    const gone = { ...config, tls: { ...config.tls!, caFile: missing } };
    expect(() => new MqttCollector({ config: gone, ctx: collectorContext(inventoryOf([])) })).toThrow(`collectors.mqtt.tls.caFile: cannot read ${missing} (ENOENT)`);
  });
});
