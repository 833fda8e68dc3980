/**
 * Acceptance (issue 11): what an operator reads across the collector's own absence, and how long up
 * holds after telemetry. Real Mosquitto, real SQLite store, read back through server/status
 * (rawUptimes, deviceIncidents). APs report every 2 s; the collector beats every 1 s.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { connectClient, waitFor } from '../helpers/mqtt-fixtures.js';
import { MosquittoProcess } from '../helpers/mosquitto-process.js';
import { INTERVAL_MS, collectorStatus, readBack, rig, samplesOf, sleep, statusTopic } from './mqtt-status-helpers.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('the mqtt collector stopped and started again while an AP is offline', () => {
  it('reads down before, unknown during the gap, and down after (the retained offline is re-sent on the new SUBSCRIBE)', async () => {
    const r = await rig(cleanups, ['ap-dark']);
    const ap = r.aps[0]!;
    const topic = statusTopic(r, ap.id);
    const first = r.newCollector();
    await first.start(r.store);
    cleanups.push(() => first.stop());
    const client = await connectClient(r.url, { protocolVersion: 5 });
    cleanups.push(async () => {
      await client.publishAsync(topic, '', { qos: 1, retain: true });
      await client.endAsync();
    });
    await client.publishAsync(topic, 'offline', { qos: 1, retain: true });
    await waitFor('the offline sample', async () => (await samplesOf(r, ap.id)).some((s) => !s.up));
    const offAt = (await samplesOf(r, ap.id))[0]!.time;
    await sleep(2 * INTERVAL_MS + 300);

    await first.stop();
    const stopAt = (await collectorStatus(r)).filter((p) => p.connected === 0).pop()!.time;
    await sleep(3000); // the collector's gap

    const second = r.newCollector(); // same client id: the broker resumes the session
    await second.start(r.store);
    cleanups.push(() => second.stop());
    await waitFor('the restated offline after the restart', async () => (await samplesOf(r, ap.id, stopAt)).length > 0);
    const backAt = (await collectorStatus(r)).find((p) => p.time > stopAt && p.connected === 1)!.time;
    const againAt = (await samplesOf(r, ap.id, stopAt))[0]!.time;
    await sleep(2 * INTERVAL_MS + 300);
    const end = Date.now();

    // nothing was written for the AP while the collector was away, and the first beat comes
    // before the retained status it brings
    expect(againAt).toBeGreaterThanOrEqual(backAt);
    expect(againAt - backAt).toBeLessThan(1000);
    expect(backAt - stopAt).toBeGreaterThanOrEqual(3000);

    const { uptime, incidents } = await readBack(r, ap, offAt, end);
    // [offAt, stopAt) down, [stopAt, againAt) unknown (collector gap), [againAt, end) down
    expect(uptime).toMatchObject({ up_ms: 0, down_ms: (stopAt - offAt) + (end - againAt), unknown_ms: againAt - stopAt });
    expect(incidents.map((i) => [i.start, i.end, i.ongoing])).toEqual([[offAt, stopAt, false], [againAt, null, true]]);
  });
});

describe('the mqtt collector cut off from its broker while an AP is offline', () => {
  it('keeps what it knew: down before, unknown during the cut, down again within one interval of the reconnection even when the broker lost the retained status', async () => {
    const mosquitto = await MosquittoProcess.start();
    cleanups.push(() => mosquitto.close());
    const r = await rig(cleanups, ['ap-lost'], mosquitto.url);
    const ap = r.aps[0]!;
    const collector = r.newCollector();
    await collector.start(r.store);
    cleanups.push(() => collector.stop());
    const client = await connectClient(r.url, { protocolVersion: 5 });
    await client.publishAsync(statusTopic(r, ap.id), 'offline', { qos: 1, retain: true });
    await client.endAsync();
    await waitFor('the offline sample', async () => (await samplesOf(r, ap.id)).some((s) => !s.up));
    const offAt = (await samplesOf(r, ap.id))[0]!.time;
    await sleep(INTERVAL_MS + 300);

    await mosquitto.stopProcess();
    await waitFor('the collector to notice', () => !collector.state().connected);
    // the broker comes back with nothing: no session, no retained status (persistence deleted)
    rmSync(path.join(mosquitto.dir, 'mosquitto.db'), { force: true });
    await sleep(2000);
    await mosquitto.startProcess();
    await waitFor('the collector to reconnect', () => collector.state().connected, 20_000);
    const lostAtOf = async (): Promise<number> => (await collectorStatus(r)).filter((p) => p.connected === 0).pop()?.time ?? Infinity;
    await waitFor('the heartbeat after the connected=0', async () => {
      const lost = await lostAtOf();
      return (await collectorStatus(r)).some((p) => p.time > lost && p.connected === 1);
    });
    const lostAt = await lostAtOf();
    const backAt = (await collectorStatus(r)).find((p) => p.time > lostAt && p.connected === 1)!.time;
    await waitFor('the restated down sample', async () => (await samplesOf(r, ap.id, lostAt)).length > 0, 10_000);
    const againAt = (await samplesOf(r, ap.id, lostAt))[0]!.time;
    const end = Date.now();

    // restated by the collector's own timer: after the first beat, within one interval of it
    expect(againAt).toBeGreaterThan(backAt);
    expect(againAt - backAt).toBeLessThan(INTERVAL_MS + 500);
    const { uptime } = await readBack(r, ap, offAt, end);
    // [offAt, lostAt) down, [lostAt, againAt) unknown, [againAt, end) down
    expect(uptime).toMatchObject({ up_ms: 0, down_ms: (lostAt - offAt) + (end - againAt), unknown_ms: againAt - lostAt });
  });
});

describe('telemetry as evidence of life', () => {
  it('keeps an AP up exactly 2.5 intervals after its last telemetry message, then unknown (silent with its connection open)', async () => {
    const r = await rig(cleanups, ['ap-quiet']);
    const ap = r.aps[0]!;
    const collector = r.newCollector();
    await collector.start(r.store);
    cleanups.push(() => collector.stop());
    const client = await connectClient(r.url, { protocolVersion: 5 });
    cleanups.push(() => client.endAsync());

    // 5 messages 300 ms apart, all within one 2 s interval (the old thinning kept only the first)
    const stamps: number[] = [];
    for (let i = 0; i < 5; i++) {
      const ts = Date.now();
      stamps.push(ts);
      await client.publishAsync(`${r.config.topicPrefix}/${ap.id}/telemetry`, JSON.stringify({ ts, clients: i }), { qos: 1 });
      await sleep(300);
    }
    await waitFor('5 up samples', async () => (await samplesOf(r, ap.id)).length === 5);
    expect((await samplesOf(r, ap.id)).map((s) => [s.time, s.up])).toEqual(stamps.map((t) => [t, true]));

    const first = stamps[0]!;
    const last = stamps[4]!;
    const end = last + 2.5 * INTERVAL_MS + 1000;
    await sleep(end - Date.now());
    const { uptime } = await readBack(r, ap, first, end);
    // up from the first message to the last + 2.5 × 2 s = last + 5 s; the remaining 1 s unknown
    expect(uptime).toMatchObject({ up_ms: last + 5000 - first, down_ms: 0, unknown_ms: 1000 });
  });
});
