/**
 * The broker's $SYS counters as the MQTT collector follows them (collectors/mqtt/broker-sys.ts)
 * and the `broker` component of /api/health built on them (server/broker/broker-health.ts).
 * Pure units with a hand-driven clock; the same path against a real Mosquitto is in
 * tests/integration/mqtt-broker-production.test.ts.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BrokerSysWatch, SYS_TOPICS } from '../../collectors/mqtt/broker-sys.js';
import { brokerHealth, DROP_WINDOW_MS } from '../../server/broker/broker-health.js';

const msg = (w: BrokerSysWatch, topic: string, value: string): boolean => w.onMessage(topic, Buffer.from(value));

describe('BrokerSysWatch', () => {
  it('records each rise of the dropped counter, its restart at 0 with the broker, and ignores other topics', () => {
    let now = 1_000;
    const drops: number[] = [];
    const w = new BrokerSysWatch({ broker: 'mqtt://b', now: () => now, onDrop: (d) => drops.push(d) });
    expect(w.view()).toEqual({ visible: false, droppedSeen: 0 });
    expect(msg(w, 'netatlas/wifi/ap-1/status', 'online')).toBe(false);
    msg(w, SYS_TOPICS.dropped, '0');
    msg(w, SYS_TOPICS.stored, '58');
    msg(w, SYS_TOPICS.clients, '3');
    expect(w.view()).toMatchObject({ visible: true, droppedTotal: 0, droppedSeen: 0, storedMessages: 58, clientsConnected: 3 });
    expect(w.view().lastDropAt).toBeUndefined();
    now = 2_000;
    msg(w, SYS_TOPICS.dropped, '15'); // 15 - 0 = 15 dropped
    now = 3_000;
    msg(w, SYS_TOPICS.dropped, '15'); // unchanged: nothing new
    now = 4_000;
    msg(w, SYS_TOPICS.dropped, '4'); // below 15: the broker restarted, 4 since then
    expect(drops).toEqual([15, 4]);
    expect(w.view()).toMatchObject({ droppedTotal: 4, droppedSeen: 19, lastDropAt: 4_000 }); // 15 + 4
    msg(w, SYS_TOPICS.dropped, 'not a number');
    expect(w.view().droppedTotal).toBe(4);
  });

  it('keeps the last value in its state file: a restart does not report old drops again, new ones while away are reported', () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'netatlas-sys-')), 'sys.json');
    const first = new BrokerSysWatch({ broker: 'mqtt://b', stateFile: file, now: () => 10 });
    msg(first, SYS_TOPICS.dropped, '7');
    const drops: number[] = [];
    const second = new BrokerSysWatch({ broker: 'mqtt://b', stateFile: file, now: () => 20, onDrop: (d) => drops.push(d) });
    msg(second, SYS_TOPICS.dropped, '7');
    expect(drops).toEqual([]);
    msg(second, SYS_TOPICS.dropped, '12'); // 12 - 7 = 5 dropped while it was away
    expect(drops).toEqual([5]);
    // the file is for one broker: another broker's counter starts from nothing (its 3 are reported)
    const other = new BrokerSysWatch({ broker: 'mqtt://other', stateFile: file, now: () => 30, onDrop: (d) => drops.push(d) });
    msg(other, SYS_TOPICS.dropped, '3');
    expect(drops).toEqual([5, 3]);
  });
});

describe('brokerHealth', () => {
  it('is degraded for DROP_WINDOW_MS after a rise, naming broker_dropping, and shows the counters', async () => {
    let now = 0;
    const w = new BrokerSysWatch({ broker: 'x', now: () => now });
    msg(w, SYS_TOPICS.dropped, '0');
    const health = brokerHealth({ url: 'mqtt://netatlas:pw-secret@broker.example:1883', sys: () => w.view(), now: () => now });
    expect(await health()).toMatchObject({ ok: true, lossVisible: true, dropped: 0, alertRule: 'broker_dropping', url: 'mqtt://netatlas:***@broker.example:1883' });
    now = 60_000;
    msg(w, SYS_TOPICS.dropped, '79000');
    const h = await health();
    expect(h).toMatchObject({ ok: false, dropped: 79000, droppedSeen: 79000, lastDropAt: 60_000 });
    expect(h.detail).toContain('dropped');
    expect(JSON.stringify(h)).not.toContain('pw-secret');
    now = 60_000 + DROP_WINDOW_MS - 1;
    expect((await health()).ok).toBe(false);
    now = 60_000 + DROP_WINDOW_MS; // 15 min without a rise
    expect((await health()).ok).toBe(true);
  });

  it('says broker-side loss is not visible with the embedded broker and with a broker without $SYS', async () => {
    const embedded = await brokerHealth({ embedded: { url: 'mqtt://127.0.0.1:1883', connectedClients: () => 2 }, sys: () => ({ visible: false, droppedSeen: 0 }) })();
    expect(embedded).toMatchObject({ ok: true, lossVisible: false, clients: 2 });
    expect(embedded.detail).toContain('not visible');
    const silent = await brokerHealth({ url: 'mqtt://emqx.example', sys: () => ({ visible: false, droppedSeen: 0 }) })();
    expect(silent).toMatchObject({ ok: true, lossVisible: false });
    expect(silent.detail).toContain('not visible');
  });
});
