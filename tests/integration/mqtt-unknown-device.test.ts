/**
 * Messages for devices that are not in the inventory, through the real Mosquitto: counted as
 * `unknown_device`, logged once per device (rate-limited past a bound), never stored as a device.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MqttCollector } from '../../collectors/mqtt/collector.js';
import { requireMosquitto } from '../helpers/services.js';
import { captureLogger, RecordingSink } from '../helpers/snmp-fixtures.js';
import { collectorContext, connectClient, inventoryOf, metricValue, publishAll, testConfig, waitFor, wifiAp } from '../helpers/mqtt-fixtures.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const telemetry = JSON.stringify({ clients: 3, rssi_dbm: -60, channel_util: 0.2, tx_bytes: 10, rx_bytes: 20, uptime_s: 100 });
const UNKNOWN_LINE = 'mqtt message from a device not in the inventory (logged once per device)';

async function started(maxUnknownDevicesLogged?: number) {
  const url = await requireMosquitto();
  const cap = captureLogger();
  const ctx = { ...collectorContext(inventoryOf([wifiAp('ap-1')])), log: cap.log };
  const config = testConfig({ url, protocolVersion: 5 });
  const collector = new MqttCollector({ config, ctx, ...(maxUnknownDevicesLogged === undefined ? {} : { maxUnknownDevicesLogged }) });
  const sink = new RecordingSink();
  await collector.start(sink);
  cleanups.push(() => collector.stop());
  const publisher = await connectClient(url, { protocolVersion: 5 });
  cleanups.push(() => publisher.endAsync());
  const topic = (device: string, kind = 'telemetry') => `${config.topicPrefix}/${device}/${kind}`;
  return { cap, ctx, sink, publisher, topic };
}

describe('messages from devices not in the inventory', () => {
  it('are counted as unknown_device, logged once per device with the topic, and never stored', async () => {
    const { cap, ctx, sink, publisher, topic } = await started();
    await publishAll(publisher, [
      { topic: topic('ghost-1'), payload: telemetry },
      { topic: topic('ghost-1'), payload: telemetry },
      { topic: topic('ghost-1'), payload: telemetry },
      { topic: topic('ghost-2'), payload: telemetry },
      { topic: topic('ghost-2'), payload: telemetry },
      { topic: topic('ghost-1', 'status'), payload: 'offline' },
    ], 1);
    // one publisher, QoS 1: the known AP's message arrives after the six before it
    await publishAll(publisher, [{ topic: topic('ap-1'), payload: telemetry }]);
    await waitFor('the known AP\'s telemetry', () => sink.of('wifi_ap').length === 1);

    expect(await metricValue(ctx.metrics, 'netatlas_mqtt_rejected_total', { reason: 'unknown_device' })).toBe(6);
    const lines = cap.lines().filter((l) => l['msg'] === UNKNOWN_LINE);
    expect(lines.map((l) => [l['device'], l['topic'], l['level']])).toEqual([
      ['ghost-1', topic('ghost-1'), 40],
      ['ghost-2', topic('ghost-2'), 40],
    ]);
    const devicePoints = sink.points.filter((p) => p.measurement === 'wifi_ap' || p.measurement === 'device_status');
    expect(new Set(devicePoints.map((p) => p.tags['device']))).toEqual(new Set(['ap-1']));
  });

  it('stop being logged one by one past the bound, so a flood of made-up ids cannot grow memory or the log', async () => {
    const { cap, ctx, sink, publisher, topic } = await started(2);
    await publishAll(publisher, Array.from({ length: 50 }, (_, i) => ({ topic: topic(`made-up-${i}`), payload: telemetry })), 1);
    await publishAll(publisher, [{ topic: topic('ap-1'), payload: telemetry }]);
    await waitFor('the known AP\'s telemetry', () => sink.of('wifi_ap').length === 1);

    expect(await metricValue(ctx.metrics, 'netatlas_mqtt_rejected_total', { reason: 'unknown_device' })).toBe(50);
    expect(cap.lines().filter((l) => l['msg'] === UNKNOWN_LINE).map((l) => l['device'])).toEqual(['made-up-0', 'made-up-1']);
    // then at most one line per 10 s window for all the others together
    expect(cap.lines().filter((l) => String(l['msg']).includes('too many unknown devices'))).toHaveLength(1);
  });
});
