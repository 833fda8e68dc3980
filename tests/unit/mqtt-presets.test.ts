/**
 * MQTT presets: the sample configuration of each preset passes the schema, and the collectd
 * preset's topics and payload reading behave as collectd's MQTT plugin publishes.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { mqttConfigSchema } from '../../collectors/mqtt/config.js';
import { createPreset } from '../../collectors/mqtt/presets.js';

const sample = (file: string): unknown => (parse(readFileSync(new URL(`../../collectors/mqtt/${file}`, import.meta.url), 'utf8')) as { mqtt: unknown }).mqtt;
const NOW = 1_780_315_200_000; // 2026-06-01T12:00:00Z

describe('MQTT presets', () => {
  it('has a sample configuration per preset that passes the schema', () => {
    expect(mqttConfigSchema.parse(sample('sample.yaml')).preset).toBe('netatlas');
    const c = mqttConfigSchema.parse(sample('sample-collectd.yaml'));
    expect([c.preset, c.collectdPrefix]).toEqual(['collectd', 'collectd']);
  });

  it('refuses an unknown preset, naming the path', () => {
    const r = mqttConfigSchema.safeParse({ preset: 'ubiquiti' });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.path).toEqual(['preset']);
  });

  it('collectd: subscribes to the four iwinfo types and takes the host level as the AP', () => {
    const p = createPreset(mqttConfigSchema.parse({ preset: 'collectd', sharedGroup: 'g' }));
    expect(p.router.subscriptions()).toEqual(['stations', 'signal_power', 'signal_noise', 'bitrate'].map((t) => ({ filter: `$share/g/collectd/+/+/${t}`, qos: 1 })));
    expect(p.router.match('collectd/OpenWrt-lobby/iwinfo-wlan0/stations')).toEqual({ kind: 'telemetry', device: 'OpenWrt-lobby' });
    expect(p.router.match('collectd/OpenWrt-lobby/iwinfo-/stations')).toBeUndefined();
    expect(p.router.match('collectd/OpenWrt-lobby/interface-wlan0/bitrate')).toBeUndefined();
    expect(p.router.match('other/OpenWrt-lobby/iwinfo-wlan0/stations')).toBeUndefined();
  });

  it('collectd: reads "<epoch>:<value>" with or without the NUL collectd adds', () => {
    const p = createPreset(mqttConfigSchema.parse({ preset: 'collectd' }));
    const topic = 'collectd/ap/iwinfo-wlan0/signal_power';
    // 1780315190.25 s = NOW − 9.75 s
    expect(p.parseTelemetry(topic, Buffer.from('1780315190.250:-61.5\0'), NOW)).toEqual({ ok: true, value: { time: NOW - 9750, fields: { rssi_dbm: -61.5 } } });
    expect(p.parseTelemetry(topic, Buffer.from('1780315190.250:-61.5\n'), NOW)).toMatchObject({ ok: true });
    expect(p.parseTelemetry(topic, Buffer.from('1780315190.250:-61.5:3'), NOW)).toMatchObject({ ok: false, reason: 'not_collectd' });
    expect(p.parseTelemetry(topic, Buffer.from('N:-61'), NOW)).toMatchObject({ ok: false, reason: 'not_collectd' });
    expect(p.parseTelemetry(topic, Buffer.from('1780315190.250:U'), NOW)).toMatchObject({ ok: false, reason: 'no_value' });
    // 8 days + 1 s old
    expect(p.parseTelemetry(topic, Buffer.from(`${(NOW / 1000 - 8 * 86400 - 1).toFixed(3)}:-61`), NOW)).toMatchObject({ ok: false, reason: 'too_old' });
  });

  it('collectd: a radio not heard for more than 2 intervals drops out of the clients sum', () => {
    const p = createPreset(mqttConfigSchema.parse({ preset: 'collectd', expectedIntervalS: 60 }));
    const at = (s: number): Buffer => Buffer.from(`${(NOW / 1000 + s).toFixed(3)}:`);
    const stations = (ifname: string, s: number, n: number) => p.parseTelemetry(`collectd/ap/iwinfo-${ifname}/stations`, Buffer.concat([at(s), Buffer.from(String(n))]), NOW + 1_000_000);
    expect(stations('wlan0', 0, 4)).toMatchObject({ value: { fields: { clients: 4 } } });
    expect(stations('wlan1', 60, 2)).toMatchObject({ value: { fields: { clients: 6 } } }); // 4 + 2
    expect(stations('wlan1', 121, 3)).toMatchObject({ value: { fields: { clients: 3 } } }); // wlan0 121 s old > 120 s
  });
});
