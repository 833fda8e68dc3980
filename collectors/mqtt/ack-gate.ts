/**
 * Holds each QoS 1 PUBACK until the message's points are durable (the sink resolved), so that a
 * crash between receipt and storage loses nothing: the broker still holds the unacknowledged
 * message in the persistent session and delivers it again.
 *
 * Why not `handleMessage`: mqtt.js processes incoming packets one at a time and waits for
 * handleMessage's callback before the next, so awaiting the sink there allows one write per
 * message. Why not `customHandleAcks`: it is MQTT 5 only (aedes speaks 3.1.1) and also runs before
 * the message is processed. So the gate sits on the client's packet writer instead: mqtt.js
 * carries on with the next packet at once, and the PUBACK itself leaves when the sink resolved,
 * in the order the messages arrived. A PUBACK held when the connection closes is dropped: the
 * broker redelivers that message on the next connection, and stores overwrite the same point.
 */
import type { MqttClient } from 'mqtt';

interface AckPacket {
  cmd: string;
  messageId?: number;
}
type SendPacket = (packet: AckPacket, cb?: (err?: Error) => void, ...rest: unknown[]) => void;

export class AckGate {
  private readonly durable = new Map<number, Promise<void>>();
  private tail: Promise<void> = Promise.resolve();
  private generation = 0;
  private heldCount = 0;

  /**
   * @param onFailure called once per failed write with the error; the caller drops the connection
   *   so that the broker redelivers everything not acknowledged
   */
  constructor(
    private readonly onFailure: (err: Error) => void,
    private readonly onHeldChange: (held: number) => void = () => {},
  ) {}

  /** Installs the gate on a client. Returns false when this mqtt.js has no packet writer to wrap. */
  install(client: MqttClient): boolean {
    const target = client as unknown as { _sendPacket?: SendPacket };
    const original = target._sendPacket;
    if (typeof original !== 'function') return false;
    const send: SendPacket = original.bind(client);
    target._sendPacket = (packet, cb, ...rest) => {
      const id = packet.messageId;
      const pending = packet.cmd === 'puback' && id !== undefined ? this.durable.get(id) : undefined;
      if (!pending) {
        send(packet, cb, ...rest);
        return;
      }
      this.durable.delete(id as number);
      // let mqtt.js go on with the next packet now; the PUBACK follows when the points are durable
      cb?.();
      const gen = this.generation;
      this.setHeld(this.heldCount + 1);
      this.tail = this.tail
        .then(() => pending)
        .then(
          () => {
            if (gen === this.generation) send(packet);
          },
          (err: unknown) => {
            if (gen === this.generation) {
              this.generation++;
              this.onFailure(err instanceof Error ? err : new Error(String(err)));
            }
          },
        )
        .finally(() => this.setHeld(this.heldCount - 1));
    };
    return true;
  }

  /** Called for each QoS 1 message before mqtt.js writes its PUBACK. */
  hold(messageId: number, durable: Promise<void>): void {
    // a rejection is handled by the chain; this keeps Node from reporting it as unhandled meanwhile
    durable.catch(() => {});
    this.durable.set(messageId, durable);
  }

  /** The connection closed: held PUBACKs belong to it and must not be sent on the next one. */
  connectionClosed(): void {
    this.generation++;
    this.durable.clear();
  }

  held(): number {
    return this.heldCount;
  }

  private setHeld(n: number): void {
    this.heldCount = n;
    this.onHeldChange(n);
  }
}
