/**
 * Issue 14 item 3: `/api/events` streams are capped in all (`http.limits.eventStreams`) and per
 * client (`eventStreamsPerClient`, by remote address), a refused stream is a 503
 * `too_many_streams` with a JSON body, closing a stream frees its slot, and when every stream is
 * closed no listener is left on the status events (nor their poller). Over real HTTP connections
 * to the app on the SQLite store with the seeded data set; the "clients" are different loopback
 * source addresses (127.0.0.1, .2, .3: Linux routes all of 127/8 to lo).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StatusEvents } from '../../server/events.js';
import type { ApiLimits } from '../../server/api/deps.js';
import type { MetricStore } from '../../server/store/metric-store.js';
import { fixtureApp, fixtureInventory, fixturePoints, NOW, STORES } from './api-fixture.js';

interface Opened {
  status: number;
  /** the body read so far: up to `event: ready` for a stream, the whole JSON for a refusal */
  text: string;
  retryAfter: string | undefined;
  close(): void;
}

/** Opens /api/events from `localAddress`; a 200 is read until its `ready` event (at most 5 s). */
function openStream(port: number, localAddress: string): Promise<Opened> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/api/events', localAddress }, (res) => {
      let text = '';
      const done = (): void => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, text, retryAfter: res.headers['retry-after'] as string | undefined, close: () => req.destroy() });
      };
      const timer = setTimeout(() => reject(new Error(`no ready event within 5 s: ${text}`)), 5000);
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
        if (res.statusCode === 200 && /event: ready\n/.test(text)) done();
      });
      res.on('end', () => { if (res.statusCode !== 200) done(); });
    });
    req.on('error', reject);
  });
}

async function until(what: string, check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const LIMITS: ApiLimits = { readsPerMinute: 10_000, eventStreams: 3, eventStreamsPerClient: 2, heavyConcurrency: 2, heavyQueueMs: 1000, heavyQueueLength: 4 };

describe('/api/events stream caps', () => {
  let store: MetricStore;
  let dispose: () => Promise<void>;
  let server: http.Server;
  let port: number;
  let events: StatusEvents;
  const inv = fixtureInventory();

  beforeAll(async () => {
    ({ store, dispose } = await STORES[0]!.open());
    await store.write(fixturePoints(inv));
    events = new StatusEvents({ store, devices: () => inv.all(), now: () => NOW, intervals: { fibreS: 600, wifiS: 600 }, pollMs: 100 });
    server = http.createServer(fixtureApp(store, inv, { events, limits: LIMITS, sseKeepAliveMs: 50 }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    events.stop();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await dispose();
  });

  it('refuses stream cap + 1 with a 503, frees a slot on close, and leaves no listener once all are closed', async () => {
    // cap 3 in all, 2 per client: two from .1, one from .2
    const open = [await openStream(port, '127.0.0.1'), await openStream(port, '127.0.0.1'), await openStream(port, '127.0.0.2')];
    expect(open.map((o) => o.status)).toEqual([200, 200, 200]);
    expect(events.listeners).toBe(3);

    // the 4th (cap + 1), from a client with no stream yet: the cap in all
    const refused = await openStream(port, '127.0.0.3');
    expect(refused.status).toBe(503);
    expect(refused.retryAfter).toBe('5');
    const body = JSON.parse(refused.text) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('too_many_streams');
    expect(body.error.message).toContain('3 are open (http.limits.eventStreams)');
    expect(events.listeners).toBe(3);

    // closing one frees its slot: the same client that was refused gets one now
    open[2]!.close();
    await until('the closed stream to release its listener', () => events.listeners === 2);
    const again = await openStream(port, '127.0.0.3');
    expect(again.status).toBe(200);
    expect(events.listeners).toBe(3);

    for (const o of [...open, again]) o.close();
    await until('every listener released', () => events.listeners === 0);
    // the last listener gone, the poller is stopped too (its baseline dropped)
    expect(events.primed).toBe(false);
  });

  it('caps the streams of one client (remote address) while others still get theirs', async () => {
    const mine = [await openStream(port, '127.0.0.1'), await openStream(port, '127.0.0.1')];
    const third = await openStream(port, '127.0.0.1');
    expect(third.status).toBe(503);
    const body = JSON.parse(third.text) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('too_many_streams');
    expect(body.error.message).toContain('from this client: 2 (http.limits.eventStreamsPerClient)');
    const other = await openStream(port, '127.0.0.2');
    expect(other.status).toBe(200);
    expect(events.listeners).toBe(3);
    for (const o of [...mine, other]) o.close();
    await until('every listener released', () => events.listeners === 0);
  });
});
