/**
 * CORS (http.cors): an allowed browser origin can call the API with a bearer token, which makes
 * the browser send a preflight OPTIONS first; other origins get no CORS headers.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import type { MetricStore } from '../../server/store/metric-store.js';
import { STORES, fixtureDeps, fixtureInventory } from './api-fixture.js';

const ORIGIN = 'https://map.example.org';
let store: MetricStore, dispose: () => Promise<void>;
const app = (): ReturnType<typeof createApp> => createApp({ store, corsOrigins: [ORIGIN], api: fixtureDeps(store, fixtureInventory(), { auth: { readToken: 'read-token', adminToken: 'admin-token' } }) });

beforeAll(async () => { ({ store, dispose } = await STORES[0]!.open()); });
afterAll(async () => { await dispose(); });

describe('CORS', () => {
  it('answers the preflight of an allowed origin with 204, the methods and the Authorization header', async () => {
    const res = await request(app()).options('/api/uptime')
      .set({ Origin: ORIGIN, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' });
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(res.headers['access-control-allow-headers']).toMatch(/Authorization/);
    expect(res.headers['access-control-allow-methods']).toMatch(/GET/);
  });

  it('lets the allowed origin read with the token, and gives another origin no CORS headers', async () => {
    const ok = await request(app()).get('/api/uptime').set({ Origin: ORIGIN, Authorization: 'Bearer read-token' });
    expect(ok.status).toBe(200);
    expect(ok.headers['access-control-allow-origin']).toBe(ORIGIN);
    const other = await request(app()).options('/api/uptime')
      .set({ Origin: 'https://elsewhere.example', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    expect(other.status).not.toBe(204);
  });
});
