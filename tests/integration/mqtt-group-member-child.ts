/**
 * One member of a shared MQTT group in a process of its own, so that a test can SIGKILL it:
 * an MqttCollector writing to its own SQLite store (durable before the PUBACK, collectors/mqtt
 * ack-gate). Args: brokerUrl dataDir clientId group topicPrefix apCount. Prints `ready` once subscribed.
 */
import path from 'node:path';
import { mkdirSync } from 'node:fs';
import { MqttCollector } from '../../collectors/mqtt/collector.js';
import { SqliteStore } from '../../server/store/sqlite-store.js';
import { collectorContext, inventoryOf, testConfig, wifiAp } from '../helpers/mqtt-fixtures.js';

const [url, dataDir, clientId, group, topicPrefix, apCount] = process.argv.slice(2) as [string, string, string, string, string, string];
mkdirSync(dataDir, { recursive: true });
const inventory = inventoryOf(Array.from({ length: Number(apCount) }, (_, i) => wifiAp(`ap-${i}`)));
const store = new SqliteStore({ path: path.join(dataDir, 'metrics.sqlite') });
await store.init();
const collector = new MqttCollector({
  // a persistent session under a stable id: what the broker holds for it survives a SIGKILL
  config: testConfig({ url, sharedGroup: group, topicPrefix, clientId, protocolVersion: 5, sessionExpiryS: 3600 }),
  ctx: { ...collectorContext(inventory), dataDir },
});
await collector.start(store);
process.stdout.write('ready\n');
process.on('SIGTERM', () => { void collector.stop().then(() => store.close()).then(() => process.exit(0)); });
