/**
 * Issue 14 item 6: /api/health answers the public only its overall status (and the HTTP code
 * load balancers read); the details (store path, broker, collectors, device names) need the read
 * token, as read routes do. A real SQLite store; the `broker` component is a probe the test
 * switches to not-ok (fault injection).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type ComponentHealth } from '../../server/app.js';
import { SqliteStore } from '../../server/store/sqlite-store.js';

let dir: string, store: SqliteStore;
const broker: ComponentHealth = { ok: true, detail: 'connected to mqtt://127.0.0.1:1883' };

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netatlas-health-'));
  store = new SqliteStore({ dataDir: dir });
  await store.init();
});

afterAll(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const app = (auth: { readToken?: string; adminToken?: string }) => createApp({ store, components: { broker: async () => ({ ...broker }) }, version: '9.9.9', auth });

describe('/api/health with a read token configured', () => {
  const locked = () => app({ readToken: 'read-secret', adminToken: 'admin-secret' });

  it('answers only the status without the token or with a wrong one, everything with the read or admin token', async () => {
    broker.ok = true;
    const anonymous = await request(locked()).get('/api/health').expect(200);
    expect(anonymous.body).toEqual({ status: 'ok' });
    expect((await request(locked()).get('/api/health').set('Authorization', 'Bearer wrong').expect(200)).body).toEqual({ status: 'ok' });
    for (const token of ['read-secret', 'admin-secret']) {
      const res = await request(locked()).get('/api/health').set('Authorization', `Bearer ${token}`).expect(200);
      expect(res.body).toMatchObject({ status: 'ok', version: '9.9.9', store: { kind: 'sqlite', ok: true }, broker: { ok: true, detail: 'connected to mqtt://127.0.0.1:1883' } });
      expect(res.body.store.detail).toContain(dir);
    }
  });

  it('degraded: 503 and {status: degraded} to the public; which part, only with the token', async () => {
    broker.ok = false;
    broker.detail = 'not connected: ECONNREFUSED';
    try {
      expect((await request(locked()).get('/api/health').expect(503)).body).toEqual({ status: 'degraded' });
      const res = await request(locked()).get('/api/health').set('Authorization', 'Bearer read-secret').expect(503);
      expect(res.body).toMatchObject({ status: 'degraded', store: { ok: true }, broker: { ok: false, detail: 'not connected: ECONNREFUSED' } });
    } finally {
      broker.ok = true;
      broker.detail = 'connected to mqtt://127.0.0.1:1883';
    }
  });
});

describe('/api/health without a read token', () => {
  it('gives the details to everyone, as every read route (reads are open)', async () => {
    const res = await request(app({ adminToken: 'admin-secret' })).get('/api/health').expect(200);
    expect(Object.keys(res.body).sort()).toEqual(['broker', 'status', 'store', 'uptime_s', 'version']);
  });
});

describe('/api/health?degradedStatus (dashboards read the body of a degraded health)', () => {
  it('answers 200 with the degraded body when asked, 503 by default or with 503, and 400 naming a bad value', async () => {
    broker.ok = false;
    broker.detail = 'not connected: ECONNREFUSED';
    try {
      const open = () => app({ adminToken: 'admin-secret' });
      const asked = await request(open()).get('/api/health?degradedStatus=200').expect(200);
      expect(asked.body).toMatchObject({ status: 'degraded', broker: { ok: false, detail: 'not connected: ECONNREFUSED' } });
      expect((await request(open()).get('/api/health').expect(503)).body.status).toBe('degraded');
      expect((await request(open()).get('/api/health?degradedStatus=503').expect(503)).body.status).toBe('degraded');
      const bad = await request(open()).get('/api/health?degradedStatus=204').expect(400);
      expect(bad.body.error).toMatchObject({ code: 'bad_parameter', parameter: 'degradedStatus' });
      expect(bad.body.error.message).toContain('must be 200 or 503');
    } finally {
      broker.ok = true;
      broker.detail = 'connected to mqtt://127.0.0.1:1883';
    }
  });
});
