/**
 * The PUBACK gate wraps mqtt.js's private packet writer (`_sendPacket`). These tests pin what it
 * relies on in the installed mqtt.js and what it does with a writer that records packets; the
 * integration tests (mqtt-session) prove the whole chain against real brokers.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { AckGate } from '../../collectors/mqtt/ack-gate.js';

interface Packet { cmd: string; messageId?: number }

/** A stand-in client whose packet writer records what would go on the wire (fake for a pure unit). */
function recordingClient(): { client: MqttClient; sent: Packet[] } {
  const sent: Packet[] = [];
  const target = {
    _sendPacket(packet: Packet, cb?: () => void) {
      sent.push(packet);
      cb?.();
    },
  };
  return { client: target as unknown as MqttClient, sent };
}

function deferred(): { promise: Promise<void>; resolve: () => void; reject: (e: Error) => void } {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
}

/** Lets the gate's promise chain run. */
const settle = () => new Promise<void>((r) => setImmediate(r));

const clients: MqttClient[] = [];
afterEach(() => {
  for (const c of clients.splice(0)) c.removeAllListeners();
});

describe('the PUBACK gate', () => {
  it('finds the packet writer it wraps in the installed mqtt.js, and mqtt.js sends PUBACKs through it', () => {
    const client = mqtt.connect('mqtt://127.0.0.1:1', { manualConnect: true, reconnectPeriod: 0 });
    clients.push(client);
    expect(new AckGate(() => {}).install(client)).toBe(true);
    // the QoS 1 handler writes its PUBACK with _sendPacket: if a new mqtt.js stops doing so, the
    // gate would hold nothing, so this pins it (see collectors/mqtt/README.md, "PUBACK gate")
    const require = createRequire(import.meta.url);
    const handler = readFileSync(path.join(path.dirname(require.resolve('mqtt')), 'lib/handlers/publish.js'), 'utf8');
    expect(handler).toMatch(/_sendPacket'?\]?\(\{ cmd: 'puback'/);
  });

  it('reports that it cannot install on a client without that writer, so the collector falls back', () => {
    expect(new AckGate(() => {}).install({} as unknown as MqttClient)).toBe(false);
  });

  it('lets other packets through at once and sends a held PUBACK only when its points are durable', async () => {
    const { client, sent } = recordingClient();
    const gate = new AckGate(() => {});
    gate.install(client);
    const send = (client as unknown as { _sendPacket(p: Packet, cb?: () => void): void })._sendPacket.bind(client);
    const durable = deferred();
    gate.hold(7, durable.promise);
    let done = 0;
    send({ cmd: 'puback', messageId: 7 }, () => done++);
    send({ cmd: 'pingreq' });
    send({ cmd: 'puback', messageId: 8 }); // QoS 1 message not held (e.g. unknown device): straight out
    await settle();
    expect(done).toBe(1); // mqtt.js may go on with the next packet
    expect(gate.held()).toBe(1);
    expect(sent).toEqual([{ cmd: 'pingreq' }, { cmd: 'puback', messageId: 8 }]);
    durable.resolve();
    await settle();
    expect(sent.at(-1)).toEqual({ cmd: 'puback', messageId: 7 });
    expect(gate.held()).toBe(0);
  });

  it('sends held PUBACKs in arrival order even when later messages become durable first', async () => {
    const { client, sent } = recordingClient();
    const gate = new AckGate(() => {});
    gate.install(client);
    const send = (client as unknown as { _sendPacket(p: Packet): void })._sendPacket.bind(client);
    const [a, b] = [deferred(), deferred()];
    gate.hold(1, a.promise);
    gate.hold(2, b.promise);
    send({ cmd: 'puback', messageId: 1 });
    send({ cmd: 'puback', messageId: 2 });
    b.resolve();
    await settle();
    expect(sent).toEqual([]);
    a.resolve();
    await settle();
    expect(sent.map((p) => p.messageId)).toEqual([1, 2]);
  });

  it('drops the PUBACKs of a closed connection, and on a failed write reports once and acknowledges nothing after it', async () => {
    const { client, sent } = recordingClient();
    const failures: string[] = [];
    const gate = new AckGate((err) => failures.push(err.message));
    gate.install(client);
    const send = (client as unknown as { _sendPacket(p: Packet): void })._sendPacket.bind(client);

    const old = deferred();
    gate.hold(1, old.promise);
    send({ cmd: 'puback', messageId: 1 });
    gate.connectionClosed();
    old.resolve();
    await settle();
    expect(sent).toEqual([]);

    const [bad, after] = [deferred(), deferred()];
    gate.hold(2, bad.promise);
    gate.hold(3, after.promise);
    send({ cmd: 'puback', messageId: 2 });
    send({ cmd: 'puback', messageId: 3 });
    bad.reject(new Error('store down'));
    after.resolve();
    await settle();
    expect(failures).toEqual(['store down']);
    expect(sent).toEqual([]);
    expect(gate.held()).toBe(0);
  });

  it('acknowledges messages that share one write together, in arrival order around a message of another write', async () => {
    const { client, sent } = recordingClient();
    const gate = new AckGate(() => {});
    gate.install(client);
    const send = (client as unknown as { _sendPacket(p: Packet): void })._sendPacket.bind(client);
    const [first, second] = [deferred(), deferred()];
    // messages 1-3 and 5 rode in the first write, 4 in the second (a restated point, say)
    for (const [id, d] of [[1, first], [2, first], [3, first], [4, second], [5, first]] as const) {
      gate.hold(id, d.promise);
      send({ cmd: 'puback', messageId: id });
    }
    expect(gate.held()).toBe(5);
    first.resolve();
    await settle();
    // 5 waits behind 4: PUBACKs leave in arrival order
    expect(sent.map((p) => p.messageId)).toEqual([1, 2, 3]);
    expect(gate.held()).toBe(2);
    second.resolve();
    await settle();
    expect(sent.map((p) => p.messageId)).toEqual([1, 2, 3, 4, 5]);
    expect(gate.held()).toBe(0);
  });

  it('writes the PUBACKs released together as one buffer of 4-byte packets, and any other PUBACK through mqtt.js in order', async () => {
    // a client whose stream records the bytes, next to its packet writer
    const log: Array<string | Packet> = [];
    const stream = { destroyed: false, writable: true, write(b: Buffer) { log.push(b.toString('hex')); return true; } };
    const client = { stream, _sendPacket(p: Packet) { log.push(p); } } as unknown as MqttClient;
    const gate = new AckGate(() => {});
    gate.install(client);
    const send = (client as unknown as { _sendPacket(p: Packet & { reasonCode?: number }): void })._sendPacket.bind(client);
    const durable = deferred();
    for (const id of [1, 258, 9, 65535]) gate.hold(id, durable.promise);
    send({ cmd: 'puback', messageId: 1, reasonCode: 0 });
    send({ cmd: 'puback', messageId: 258 });
    // a reason code other than success (0x10: no matching subscribers) needs mqtt.js's encoding
    send({ cmd: 'puback', messageId: 9, reasonCode: 0x10 });
    send({ cmd: 'puback', messageId: 65535 });
    durable.resolve();
    await settle();
    // MQTT 3.1.1 3.4 and MQTT 5 3.4.2.1: 0x40, remaining length 2, packet identifier big-endian
    expect(log).toEqual(['400200014002' + '0102', { cmd: 'puback', messageId: 9, reasonCode: 0x10 }, '4002ffff']);
    expect(gate.held()).toBe(0);

    // a stream that can no longer be written: everything goes through mqtt.js (which queues or drops it)
    log.length = 0;
    stream.writable = false;
    const later = deferred();
    gate.hold(2, later.promise);
    send({ cmd: 'puback', messageId: 2 });
    later.resolve();
    await settle();
    expect(log).toEqual([{ cmd: 'puback', messageId: 2 }]);
  });
});
