/**
 * A paced QoS 1 telemetry publisher, run in a worker thread of its own (telemetry-publisher.ts)
 * so that the test's requests and timers on the main thread do not delay it and its PUBACK
 * timings are not the test's own event-loop lag. `messages` in all, `perTick` every `tickMs`
 * over `connections` clients; message i goes to AP i mod `aps` with the timestamp t0 + i ms, so
 * each message is its own point. Besides, one more connection publishes one message every
 * `probeEveryMs` (to AP `probeDevice`, timestamps after the bulk's) and times each PUBACK alone:
 * the bulk's PUBACK times include the publisher's own backlog when it cannot keep the pace, the
 * probe's do not. Posts back every PUBACK latency (ms) and the failures.
 */
import os from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import mqtt from 'mqtt';

export interface PublisherInput {
  brokerUrl: string;
  topicOf: string;
  aps: number;
  messages: number;
  perTick: number;
  tickMs: number;
  connections: number;
  t0: number;
  /** 0: no probe connection */
  probeEveryMs: number;
  probeDevice: string;
  /** the probe goes on at least this long (ms), and as long as the bulk publishing */
  probeForMs: number;
  /** the probe's k-th message has the timestamp t0 + probeFirst + k */
  probeFirst: number;
  /** raise this thread's nice value by this much (Linux): a load generator yields the CPU to the service under test */
  nice?: number;
}

export interface PublisherResult {
  sent: number;
  failed: number;
  latenciesMs: number[];
  seconds: number;
  probe: { sent: number; failed: number; latenciesMs: number[] };
}

const input = workerData as PublisherInput;
if (input.nice !== undefined && input.nice > 0 && process.platform === 'linux') os.setPriority(0, Math.min(19, os.getPriority(0) + input.nice));
const clients = await Promise.all(Array.from({ length: input.connections }, (_, c) => mqtt.connectAsync(input.brokerUrl, {
  protocolVersion: 5, reconnectPeriod: 0, connectTimeout: 10_000, clientId: `heavy-reads-pub-${process.pid}-${c}-${Date.now()}`,
})));
const probeClient = input.probeEveryMs <= 0 ? undefined : await mqtt.connectAsync(input.brokerUrl, { protocolVersion: 5, reconnectPeriod: 0, connectTimeout: 10_000, clientId: `heavy-reads-probe-${process.pid}-${Date.now()}` });
parentPort!.postMessage({ ready: true });
await new Promise<void>((resolve) => parentPort!.once('message', () => resolve()));
const latenciesMs: number[] = [];
let failed = 0;
let sent = 0;
const pending: Promise<void>[] = [];
const start = performance.now();
const probe = { sent: 0, failed: 0, latenciesMs: [] as number[] };
let publishing = true;
const probing = (async () => {
  while (probeClient && (publishing || performance.now() - start < input.probeForMs)) {
    const s = performance.now();
    const i = input.probeFirst + probe.sent;
    probe.sent += 1;
    try {
      await probeClient.publishAsync(input.topicOf.replace('{device}', input.probeDevice), JSON.stringify({ ts: input.t0 + i, clients: 0 }), { qos: 1 });
      probe.latenciesMs.push(performance.now() - s);
    } catch {
      probe.failed += 1;
    }
    const wait = input.probeEveryMs - (performance.now() - s);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
})();
for (let tick = 0; sent < input.messages; tick++) {
  const wait = start + tick * input.tickMs - performance.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  for (let k = 0; k < input.perTick && sent < input.messages; k++, sent++) {
    const i = sent;
    const s = performance.now();
    pending.push(clients[i % clients.length]!.publishAsync(input.topicOf.replace('{device}', `ap-${i % input.aps}`), JSON.stringify({ ts: input.t0 + i, clients: i % 40, rssi_dbm: -60 }), { qos: 1 })
      .then(() => { latenciesMs.push(performance.now() - s); }, () => { failed += 1; }));
  }
}
await Promise.all(pending);
const seconds = (performance.now() - start) / 1000;
publishing = false;
await probing;
const result: PublisherResult = { sent, failed, latenciesMs, seconds, probe };
await Promise.all([...clients, ...(probeClient ? [probeClient] : [])].map((c) => c.endAsync()));
parentPort!.postMessage(result);
