import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InfluxStore } from '../../server/store/influx-store.js';
import { StoreUnavailableError } from '../../core/point-writer.js';
import { requireInflux, services } from '../helpers/services.js';
import { describeMetricStoreValueContract } from './metric-store-values.contract.js';
import { describeMetricStoreContract, T0, type StoreUnderTest } from './metric-store.contract.js';

/** Each test gets its own database (so parallel files and tests never collide), dropped afterwards. */
function uniqueDatabase(): string {
  return `netatlas_test_${process.pid}_${randomBytes(4).toString('hex')}`;
}

async function influxQuery(url: string, q: string): Promise<unknown> {
  const res = await fetch(new URL('/query', url), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ q }).toString(),
  });
  return res.json();
}

async function makeInflux(): Promise<StoreUnderTest> {
  const url = await requireInflux();
  const database = uniqueDatabase();
  const store = new InfluxStore({ url, database });
  return {
    store,
    dispose: async () => {
      await store.close();
      await influxQuery(url, `DROP DATABASE "${database}"`);
    },
  };
}

describeMetricStoreContract('InfluxStore', makeInflux);
describeMetricStoreValueContract('InfluxStore', makeInflux);

describe('InfluxStore specifics', () => {
  const dropped: string[] = [];
  afterAll(async () => {
    for (const db of dropped) await influxQuery(services.influxUrl, `DROP DATABASE "${db}"`);
  });

  it('init() creates the database with raw (DEFAULT) and long retention policies, and a second init changes nothing', async () => {
    const url = await requireInflux();
    const database = uniqueDatabase();
    dropped.push(database);
    const store = new InfluxStore({ url, database, rawRetention: '30d', longRetention: '400d' });
    await store.init();
    const show = async (): Promise<unknown> => influxQuery(url, `SHOW RETENTION POLICIES ON "${database}"`);
    const first = await show();
    const values = (first as { results: Array<{ series: Array<{ values: unknown[][] }> }> }).results[0]?.series[0]?.values ?? [];
    const byName = new Map(values.map((v) => [v[0], v]));
    expect(byName.get('raw')?.[1]).toBe('720h0m0s');
    expect(byName.get('raw')?.[4]).toBe(true);
    expect(byName.get('long')?.[1]).toBe('9600h0m0s');
    expect(byName.get('long')?.[4]).toBe(false);
    await store.init();
    expect(await show()).toEqual(first);
    const dbs = await influxQuery(url, 'SHOW DATABASES');
    expect(JSON.stringify(dbs)).toContain(`"${database}"`);
  });

  it('reports health() not ok when its database does not exist', async () => {
    const url = await requireInflux();
    const store = new InfluxStore({ url, database: uniqueDatabase() });
    const health = await store.health();
    expect(health.ok).toBe(false);
    expect(health.detail).toMatch(/does not exist/);
  });

  it('rejects writes with StoreUnavailableError when nothing listens on the port', async () => {
    const store = new InfluxStore({ url: 'http://127.0.0.1:1', database: 'netatlas', timeoutMs: 500 });
    const write = store.write([{ measurement: 'device_status', tags: { device: 'd' }, fields: { up: 1 }, time: T0 }]);
    await expect(write).rejects.toThrow(StoreUnavailableError);
    expect((await store.health()).ok).toBe(false);
  });

  describe('against an InfluxDB that accepts connections but never answers', () => {
    let server: net.Server;
    let port = 0;
    const sockets = new Set<net.Socket>();
    beforeAll(async () => {
      // Fault injection: a loopback listener that swallows requests, like a paused InfluxDB.
      server = net.createServer((s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as net.AddressInfo).port;
    });
    afterAll(async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it('gives up on a write after timeoutMs with StoreUnavailableError', async () => {
      const store = new InfluxStore({ url: `http://127.0.0.1:${port}`, timeoutMs: 300 });
      const started = Date.now();
      const write = store.write([{ measurement: 'device_status', tags: { device: 'd' }, fields: { up: 1 }, time: T0 }]);
      await expect(write).rejects.toThrow(/no answer within 300 ms/);
      await expect(store.querySeries({ measurement: 'device_status', from: T0, to: T0 + 1 })).rejects.toThrow(StoreUnavailableError);
      expect(Date.now() - started).toBeLessThan(5_000);
    });
  });
});
