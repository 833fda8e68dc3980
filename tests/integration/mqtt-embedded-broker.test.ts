/**
 * The embedded broker (aedes): on its preferred port, or the next free one when that is taken
 * (logged), so two instances run side by side; an error naming the range when none is free.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmbeddedBroker } from '../../server/broker/embedded-broker.js';
import { captureLogger } from '../helpers/snmp-fixtures.js';
import { connectClient } from '../helpers/mqtt-fixtures.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Holds a loopback TCP port (any free one) for the test. */
async function holdPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(0, '127.0.0.1', resolve); });
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  return (server.address() as net.AddressInfo).port;
}

describe('the embedded MQTT broker', () => {
  it('takes the next free port when its preferred port is taken, says so in the log, and carries messages', async () => {
    const taken = await holdPort();
    const cap = captureLogger();
    const broker = await startEmbeddedBroker({ port: taken, log: cap.log });
    cleanups.push(() => broker.close());
    expect(broker.port).toBeGreaterThan(taken);
    expect(broker.url).toBe(`mqtt://127.0.0.1:${broker.port}`);
    const moved = cap.lines().find((l) => l['msg'] === 'embedded MQTT broker: preferred port taken, using the next free one');
    expect(moved).toMatchObject({ level: 40, preferredPort: taken, port: broker.port });

    const sub = await connectClient(broker.url, { protocolVersion: 4 });
    cleanups.push(() => sub.endAsync());
    const pub = await connectClient(broker.url, { protocolVersion: 4 });
    cleanups.push(() => pub.endAsync());
    await sub.subscribeAsync('netatlas/wifi/+/status', { qos: 1 });
    const received = new Promise<string>((resolve) => sub.once('message', (topic, payload) => resolve(`${topic} ${payload.toString()}`)));
    await pub.publishAsync('netatlas/wifi/ap-1/status', 'online', { qos: 1 });
    expect(await received).toBe('netatlas/wifi/ap-1/status online');
  });

  it('fails with the port range it tried when none of it is free', async () => {
    const taken = await holdPort();
    await expect(startEmbeddedBroker({ port: taken, maxPortAttempts: 1 })).rejects.toThrow(`embedded MQTT broker: no free port in ${taken}..${taken} on 127.0.0.1`);
  });
});
