import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { mqttConfigSchema, defaultClientId } from '../../collectors/mqtt/config.js';
import { registry } from '../../collectors/registry.js';

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
