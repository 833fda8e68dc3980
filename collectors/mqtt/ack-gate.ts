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
  reasonCode?: number;
  properties?: object;
}
interface RawStream { destroyed: boolean; writable: boolean; write(b: Buffer): boolean }
type SendPacket = (packet: AckPacket, cb?: (err?: Error) => void, ...rest: unknown[]) => void;

/** PUBACKs waiting for one durable promise, in arrival order (consecutive messages of one write share it) */
interface Waiting {
  durable: Promise<void>;
  generation: number;
  packets: AckPacket[];
  settled: boolean;
  error: Error | undefined;
}

export class AckGate {
  private readonly durable = new Map<number, Promise<void>>();
  /** held PUBACKs in arrival order; `head` is the first not yet sent or dropped */
  private queue: Waiting[] = [];
  private head = 0;
  private send: SendPacket | undefined;
  private stream: (() => RawStream | undefined) | undefined;
  private generation = 0;
  private heldCount = 0;
  private lastObserved: Promise<void> | undefined;

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
    this.send = send;
    this.stream = () => (client as unknown as { stream?: RawStream }).stream;
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
      this.enqueue(packet, pending);
    };
    return true;
  }

  /** Called for each QoS 1 message before mqtt.js writes its PUBACK. */
  hold(messageId: number, durable: Promise<void>): void {
    // a rejection is handled by release(); this keeps Node from reporting it as unhandled meanwhile
    // (once per promise: consecutive messages of one write share it)
    if (durable !== this.lastObserved) {
      durable.catch(() => {});
      this.lastObserved = durable;
    }
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

  private enqueue(packet: AckPacket, durable: Promise<void>): void {
    // the messages of one sink write share its promise (PointBatcher): one reaction for all of them
    const last = this.queue[this.queue.length - 1];
    if (last && this.queue.length > this.head && last.durable === durable && last.generation === this.generation && !last.settled) {
      last.packets.push(packet);
      // the count, not the gauge: a drain holds tens of thousands a second, and the gauge is told
      // when a write's group starts and when PUBACKs leave (held() is exact at every moment)
      this.heldCount++;
      return;
    }
    this.setHeld(this.heldCount + 1);
    const w: Waiting = { durable, generation: this.generation, packets: [packet], settled: false, error: undefined };
    this.queue.push(w);
    durable.then(
      () => { w.settled = true; this.release(); },
      (err: unknown) => { w.settled = true; w.error = err instanceof Error ? err : new Error(String(err)); this.release(); },
    );
  }

  /** Sends (or, for a closed connection or after a failure, drops) the settled PUBACKs at the head, in order. */
  private release(): void {
    let released = 0;
    const acks: AckPacket[][] = [];
    while (this.head < this.queue.length && this.queue[this.head]!.settled) {
      const w = this.queue[this.head++]!;
      released += w.packets.length;
      if (w.generation !== this.generation) continue;
      if (w.error) {
        this.generation++;
        this.onFailure(w.error);
        continue;
      }
      acks.push(w.packets);
    }
    if (acks.length > 0) this.sendAll(acks);
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head > 1024) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    if (released > 0) this.setHeld(this.heldCount - released);
  }

  /**
   * One socket write for every PUBACK released together. mqtt.js writes each packet as several small
   * buffers and corks them until the next tick; thousands of PUBACKs released by one durable write
   * became one writev of tens of thousands of 1–2 byte buffers, the largest single cost of a drain.
   * A success PUBACK without properties is 4 bytes in MQTT 3.1.1 and 5 alike (MQTT 5 3.4.2.1: the
   * reason code and properties may be left out when the reason is 0x00 and there are none).
   */
  private sendAll(groups: AckPacket[][]): void {
    const stream = this.stream?.();
    let n = 0;
    for (const g of groups) n += g.length;
    let buf = stream && !stream.destroyed && stream.writable ? Buffer.allocUnsafe(4 * n) : undefined;
    let o = 0;
    for (const g of groups) {
      for (const packet of g) {
        const id = packet.messageId!;
        if (buf && (packet.reasonCode ?? 0) === 0 && packet.properties === undefined) {
          buf[o] = 0x40; buf[o + 1] = 0x02; buf[o + 2] = id >> 8; buf[o + 3] = id & 0xff;
          o += 4;
        } else {
          // anything else (a reason code, properties, no stream to write to) goes through mqtt.js;
          // the bytes gathered so far leave first, to keep the order
          // (the rest of the buffer is not reused for them: the stream may still hold those bytes)
          if (buf && o > 0) { stream!.write(buf.subarray(0, o)); buf = buf.subarray(o); o = 0; }
          this.send!(packet);
        }
      }
    }
    if (buf && o > 0) stream!.write(buf.subarray(0, o));
  }

  private setHeld(n: number): void {
    this.heldCount = n;
    this.onHeldChange(n);
  }
}
