/**
 * Issue 14 item 2 (a): per-client rate limiting of the API routes (express-rate-limit), on the
 * app over the SQLite store with the seeded data set. Above `http.limits.readsPerMinute` a client
 * gets 429 `rate_limited` with Retry-After; another client (another loopback source address) is
 * not affected; /api/health is never counted.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricStore } from '../../server/store/metric-store.js';
import { fixtureApp, fixtureInventory, fixturePoints, STORES } from './api-fixture.js';

interface Answer { status: number; headers: http.IncomingHttpHeaders; body: string }

function get(port: number, path: string, localAddress: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path, localAddress, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    }).on('error', reject);
  });
}

describe('per-client rate limit of the API routes', () => {
  let store: MetricStore;
  let dispose: () => Promise<void>;
  let server: http.Server;
  let port: number;
  const inv = fixtureInventory();

  beforeAll(async () => {
    ({ store, dispose } = await STORES[0]!.open());
    await store.write(fixturePoints(inv));
    const limits = { readsPerMinute: 5, eventStreams: 10, eventStreamsPerClient: 10, heavyConcurrency: 2, heavyQueueMs: 1000, heavyQueueLength: 4 };
    server = http.createServer(fixtureApp(store, inv, { limits }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await dispose();
  });

  it('answers the 6th request of a minute with 429 and Retry-After; health and other clients still answered', async () => {
    const answers: Answer[] = [];
    // 5 allowed (devices, uptime and a 400 all count), the 6th refused
    for (const path of ['/api/devices', '/api/uptime', '/api/devices?tech=copper', '/api/devices', '/api/map/devices', '/api/devices']) {
      answers.push(await get(port, path, '127.0.0.1'));
    }
    expect(answers.map((a) => a.status)).toEqual([200, 200, 400, 200, 200, 429]);
    const refused = answers[5]!;
    expect(JSON.parse(refused.body)).toEqual({ error: { code: 'rate_limited', message: 'Too many requests from this client: more than 5 in a minute (http.limits.readsPerMinute); try again after Retry-After seconds.' } });
    // the window is one minute from the first request: 1..60 s left
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(String(refused.headers['ratelimit-policy'])).toContain('q=5');
    // health is not counted, and answers
    expect((await get(port, '/api/health', '127.0.0.1')).status).toBe(200);
    // another client has its own count
    expect((await get(port, '/api/devices', '127.0.0.2')).status).toBe(200);
    expect((await get(port, '/api/devices', '127.0.0.1')).status).toBe(429);
  });
});
