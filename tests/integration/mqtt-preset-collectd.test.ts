/**
 * The `collectd` preset through the real Mosquitto: messages published as OpenWrt's collectd MQTT
 * plugin publishes its iwinfo plugin's values (topic `<Prefix>/<host>/iwinfo-<ifname>/<type>`,
 * payload format_values' `"%.3f:%.15g"` plus the C string's NUL byte) are stored as the AP's
 * clients and signal; a bad collectd payload is counted per reason.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MqttCollector } from '../../collectors/mqtt/collector.js';
import { requireMosquitto } from '../helpers/services.js';
import { RecordingSink } from '../helpers/snmp-fixtures.js';
import { collectorContext, connectClient, inventoryOf, metricValue, publishAll, testConfig, waitFor, wifiAp } from '../helpers/mqtt-fixtures.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** C's printf %.15g for the values iwinfo gives (JS prints them the same below 1e15), nan for NaN. */
const g15 = (v: number): string => (Number.isNaN(v) ? 'nan' : String(Number(v.toPrecision(15))));
/** collectd's format_values for a one-gauge type, published with strlen + 1 bytes (the NUL). */
const collectdPayload = (timeS: number, value: number | string): Buffer =>
  Buffer.from(`${timeS.toFixed(3)}:${typeof value === 'number' ? g15(value) : value}\0`);

describe('the collectd preset (OpenWrt collectd + iwinfo + MQTT plugins)', () => {
  it('stores clients (summed over the radios) and signal of an AP known by its collectd host name', async () => {
    const url = await requireMosquitto();
    const ap = wifiAp('ap-lobby', { mqttId: 'OpenWrt-lobby' });
    const ctx = collectorContext(inventoryOf([ap]));
    const base = testConfig({ url, protocolVersion: 5 });
    const prefix = `collectd-test/${base.clientId}`;
    const config = testConfig({ url, protocolVersion: 5, preset: 'collectd', collectdPrefix: prefix, clientId: base.clientId });
    const collector = new MqttCollector({ config, ctx });
    const sink = new RecordingSink();
    await collector.start(sink);
    cleanups.push(() => collector.stop());
    const pub = await connectClient(url, { protocolVersion: 5 });
    cleanups.push(() => pub.endAsync());

    const t = Math.floor(Date.now() / 1000) - 20;
    const topic = (ifname: string, type: string, host = 'OpenWrt-lobby'): string => `${prefix}/${host}/iwinfo-${ifname}/${type}`;
    await publishAll(pub, [
      { topic: topic('wlan0', 'stations'), payload: collectdPayload(t, 5) },
      { topic: topic('wlan1', 'stations'), payload: collectdPayload(t + 0.004, 3) },
      { topic: topic('wlan0', 'signal_power'), payload: collectdPayload(t, -61) },
      { topic: topic('wlan0', 'signal_noise'), payload: collectdPayload(t, -95) },
      // iwinfo's bit rate: kbit/s × 1000 in the plugin, so bits per second
      { topic: topic('wlan0', 'bitrate'), payload: collectdPayload(t, 130000000) },
      // bad payloads, one per reason
      { topic: topic('wlan0', 'stations'), payload: Buffer.from('{"stations":5}') },
      { topic: topic('wlan0', 'signal_power'), payload: collectdPayload(t, Number.NaN) },
      { topic: topic('wlan0', 'stations'), payload: collectdPayload(t, 'many') },
      { topic: topic('wlan0', 'signal_power'), payload: collectdPayload(t, 99) },
      { topic: topic('wlan0', 'stations'), payload: collectdPayload(t + 3600, 4) },
      { topic: topic('wlan0', 'stations'), payload: Buffer.from([0xff, 0xfe, 0x3a, 0x35]) },
      // not an iwinfo plugin under the same types, and an AP not in the inventory
      { topic: `${prefix}/OpenWrt-lobby/wireless-wlan0/bitrate`, payload: collectdPayload(t, 1) },
      { topic: topic('wlan0', 'stations', 'OpenWrt-unknown'), payload: collectdPayload(t, 1) },
    ], 1);
    await publishAll(pub, [{ topic: topic('wlan0', 'stations'), payload: collectdPayload(t + 10, 6) }]);
    await waitFor('the last stations message', () => sink.of('wifi_ap').length === 6);

    const points = sink.of('wifi_ap');
    expect(points.map((p) => [p.time, p.fields])).toEqual([
      [t * 1000, { clients: 5 }],
      // wlan0 5 + wlan1 3 = 8, at wlan1's time rounded to the ms (t s + 4 ms)
      [t * 1000 + 4, { clients: 8 }],
      [t * 1000, { rssi_dbm: -61 }],
      [t * 1000, { noise_dbm: -95 }],
      [t * 1000, { bitrate_bps: 130000000 }],
      // wlan0 now 6 + wlan1 still 3 (heard 10 s ago, within 2 × 60 s) = 9
      [(t + 10) * 1000, { clients: 9 }],
    ]);
    expect(new Set(points.map((p) => p.tags['device']))).toEqual(new Set(['ap-lobby']));
    // only interface counts: no field or tag holds anything per client (no MAC addresses)
    for (const p of points) {
      expect(Object.keys(p.fields).every((k) => ['clients', 'rssi_dbm', 'noise_dbm', 'bitrate_bps'].includes(k))).toBe(true);
      expect(Object.keys(p.tags).sort()).toEqual(['area', 'device', 'site']);
    }
    // telemetry is evidence of life: the AP is up from its first reading
    expect(sink.of('device_status').some((p) => p.tags['device'] === 'ap-lobby' && p.fields['up'] === 1)).toBe(true);

    const rejected = async (reason: string): Promise<number> => metricValue(ctx.metrics, 'netatlas_mqtt_rejected_total', { reason });
    expect(await rejected('not_collectd')).toBe(2); // the JSON payload and the invalid UTF-8 bytes
    expect(await rejected('no_value')).toBe(1); // nan
    expect(await rejected('wrong_type')).toBe(1); // "many"
    expect(await rejected('out_of_range')).toBe(1); // +99 dBm
    expect(await rejected('future_timestamp')).toBe(1); // an hour ahead
    expect(await rejected('unknown_topic')).toBe(1); // wireless-wlan0, not iwinfo-
    expect(await rejected('unknown_device')).toBe(1); // OpenWrt-unknown
  });
});
