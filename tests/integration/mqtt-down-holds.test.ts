/**
 * Acceptance (issue 11): an AP's down state holds until the AP says otherwise, while the collector
 * is connected. Real Mosquitto, real SQLite store, read back through server/status as the API does
 * (rawUptimes, deviceIncidents). APs report every 2 s; the collector beats every 1 s.
 *
 * Before this change both read down for 2.5 intervals (5 s here) and unknown after: the collector
 * wrote the offline once and nothing restated it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { connectClient, waitFor } from '../helpers/mqtt-fixtures.js';
import { HEARTBEAT_S, INTERVAL_MS, collectorStatus, largestGap, readBack, rig, samplesOf, sleep, statusTopic } from './mqtt-status-helpers.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** timer latency allowed on top of a period (2 busy cores shared with other tests) */
const SLACK_MS = 400;

describe('an AP known down, with the collector connected', () => {
  it('reads down for the whole time an AP that said offline (retained) stays off, 11 intervals, restated once per interval; heartbeats carry heartbeat_s', async () => {
    const r = await rig(cleanups, ['ap-off']);
    const ap = r.aps[0]!;
    const topic = statusTopic(r, ap.id);
    const collector = r.newCollector();
    await collector.start(r.store);
    cleanups.push(() => collector.stop());
    const client = await connectClient(r.url, { protocolVersion: 5 });
    cleanups.push(async () => {
      // clear the retained status so the shared broker keeps nothing of this test
      await client.publishAsync(topic, '', { qos: 1, retain: true });
      await client.endAsync();
    });

    await client.publishAsync(topic, 'online', { qos: 1, retain: true });
    await waitFor('the online sample', async () => (await samplesOf(r, ap.id)).some((s) => s.up));
    await client.publishAsync(topic, 'offline', { qos: 1, retain: true });
    await waitFor('the offline sample', async () => (await samplesOf(r, ap.id)).some((s) => !s.up));
    const offAt = (await samplesOf(r, ap.id)).find((s) => !s.up)!.time;

    await sleep(11 * INTERVAL_MS + 500); // 22.5 s: the AP stays off, as a switched-off AP does
    const end = Date.now();
    const { uptime, incidents } = await readBack(r, ap, offAt, end);
    // down from the offline to the end of the window, nothing up, nothing unknown
    expect(uptime).toMatchObject({ up_ms: 0, down_ms: end - offAt, unknown_ms: 0, uptime: 0 });
    expect(incidents.map((i) => [i.start, i.duration_ms, i.ongoing])).toEqual([[offAt, end - offAt, true]]);

    // restated once per interval: the offline, then one up=0 sample every 2 s (22.5 s / 2 s: 11)
    const downs = (await samplesOf(r, ap.id, offAt)).filter((s) => !s.up && s.time < end).map((s) => s.time);
    expect(downs.length).toBeGreaterThanOrEqual(1 + 11);
    expect(downs.length).toBeLessThanOrEqual(1 + 12);
    expect(largestGap(downs)).toBeLessThan(INTERVAL_MS + SLACK_MS);

    // heartbeats: connected=1 with heartbeat_s=1, one a second from the connect (>= 22 in 22.5 s)
    const beats = (await collectorStatus(r)).filter((p) => p.connected === 1);
    expect(beats.every((b) => b.heartbeatS === HEARTBEAT_S)).toBe(true);
    expect(beats.length).toBeGreaterThanOrEqual(22);
    expect(largestGap(beats.map((b) => b.time))).toBeLessThan(HEARTBEAT_S * 1000 + SLACK_MS);

    // the AP comes back: up at once, and never restated (only the AP gives evidence of life)
    await client.publishAsync(topic, 'online', { qos: 1, retain: true });
    await waitFor('the online sample after the outage', async () => (await r.store.latestStatus([ap.id]))[0]?.up === true);
    const backAt = (await r.store.latestStatus([ap.id]))[0]!.time;
    await sleep(INTERVAL_MS + SLACK_MS);
    expect((await samplesOf(r, ap.id, backAt)).map((s) => [s.time, s.up])).toEqual([[backAt, true]]);
  });

  it('reads down from the Last Will of an AP whose socket died until the AP is back', async () => {
    const r = await rig(cleanups, ['ap-cut']);
    const ap = r.aps[0]!;
    const topic = statusTopic(r, ap.id);
    const collector = r.newCollector();
    await collector.start(r.store);
    cleanups.push(() => collector.stop());
    const will = { topic, payload: Buffer.from('offline'), qos: 1 as const, retain: true };
    const apClientId = `${r.config.clientId}-ap`;
    const first = await connectClient(r.url, { protocolVersion: 5, will, clientId: apClientId, keepalive: 5 });
    await first.publishAsync(topic, 'online', { qos: 1, retain: true });
    await waitFor('the online sample', async () => (await samplesOf(r, ap.id)).some((s) => s.up));

    first.stream.destroy(); // power cut: no DISCONNECT, so the broker publishes the Will
    first.end(true);
    await waitFor('the Will (down sample)', async () => (await samplesOf(r, ap.id)).some((s) => !s.up));
    const willAt = (await samplesOf(r, ap.id)).find((s) => !s.up)!.time;
    await sleep(5 * INTERVAL_MS + 300); // 10.3 s off: twice the 2.5-interval hold of one sample

    const back = await connectClient(r.url, { protocolVersion: 5, will, clientId: apClientId });
    cleanups.push(async () => {
      await back.publishAsync(topic, '', { qos: 1, retain: true });
      await back.endAsync();
    });
    await back.publishAsync(topic, 'online', { qos: 1, retain: true });
    await waitFor('the online sample after the return', async () => (await r.store.latestStatus([ap.id]))[0]?.up === true);
    const backAt = (await r.store.latestStatus([ap.id]))[0]!.time;
    const end = backAt + 1000;
    await sleep(end - Date.now());

    const { uptime, incidents } = await readBack(r, ap, willAt, end);
    // [willAt, backAt) down, [backAt, end) up: 1 s
    expect(uptime).toMatchObject({ down_ms: backAt - willAt, up_ms: 1000, unknown_ms: 0 });
    expect(backAt - willAt).toBeGreaterThanOrEqual(5 * INTERVAL_MS + 300);
    expect(incidents.map((i) => [i.start, i.end, i.duration_ms, i.ongoing])).toEqual([[willAt, backAt, backAt - willAt, false]]);
    const downs = (await samplesOf(r, ap.id, willAt)).filter((s) => !s.up).map((s) => s.time);
    expect(downs.length).toBeGreaterThanOrEqual(1 + 5); // the Will, then one restatement per 2 s over 10.3 s
    expect(largestGap(downs)).toBeLessThan(INTERVAL_MS + SLACK_MS);
  });
});
