/**
 * Child process for the end-to-end scenarios (not a test itself): one life of the real MQTT
 * collector, writing to a SQLite file and an InfluxDB database shared with the test. Loads everything first and
 * prints READY; on the stdin line `start` starts the collector and prints STARTED once it is
 * subscribed; on `stop` stops it cleanly, prints STOPPED and exits. The test may SIGKILL it.
 *
 * usage: tsx mqtt-collector-child.ts '<json: {url, topicPrefix, clientId, expectedIntervalS, heartbeatS, devices, stores}>'
 */
import readline from 'node:readline';
import mqtt from 'mqtt';
import { MqttCollector } from '../../../collectors/mqtt/collector.js';
import { mqttConfigSchema } from '../../../collectors/mqtt/config.js';
import { openE2eStores, type E2eStoreSpec } from './e2e-stores.js';
import type { Device } from '../../../core/device.js';
import { collectorContext, inventoryOf } from '../../helpers/mqtt-fixtures.js';

interface ChildArgs {
  url: string;
  topicPrefix: string;
  clientId: string;
  expectedIntervalS: number;
  heartbeatS: number;
  devices: Device[];
  stores: E2eStoreSpec;
}

const arg = process.argv[2];
if (!arg) throw new Error('usage: mqtt-collector-child.ts <json>');
const a = JSON.parse(arg) as ChildArgs;
const stores = await openE2eStores(a.stores);
const config = mqttConfigSchema.parse({
  url: a.url, topicPrefix: a.topicPrefix, clientId: a.clientId, expectedIntervalS: a.expectedIntervalS, heartbeatS: a.heartbeatS,
  // reconnect quickly after a cut network: the gap measured is the cut, plus at most 200 ms
  reconnectMinMs: 50, reconnectMaxMs: 200, keepaliveS: 5,
});
const collector = new MqttCollector({ config, ctx: collectorContext(inventoryOf(a.devices)) });
// warm up: a first connection to the broker (and a first store write path) loads and compiles what
// a connect needs, so that `start` at its scripted instant costs a connect, not a module load
const warm = await mqtt.connectAsync(a.url, { protocolVersion: 5, reconnectPeriod: 0, clientId: `${a.clientId}-warmup-${process.pid}` });
await warm.subscribeAsync(`${a.topicPrefix}/warmup`, { qos: 1 });
await warm.endAsync();
await stores.sqlite.statusSamples({ from: 0, to: 1 });
await stores.influx.statusSamples({ from: 0, to: 1 });
process.stdout.write('READY\n');
for await (const line of readline.createInterface({ input: process.stdin })) {
  if (line === 'start') {
    await collector.start(stores.sink);
    process.stdout.write('STARTED\n');
  } else if (line === 'stop') {
    await collector.stop();
    await stores.close();
    process.stdout.write('STOPPED\n');
    process.exit(0);
  }
}
