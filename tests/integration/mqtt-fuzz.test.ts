/**
 * Acceptance: at least 10 000 malformed or hostile payloads (random bytes, deep JSON, huge strings,
 * wrong types, prototype-pollution keys) mixed with good ones. No crash, every good message stored,
 * every bad one counted by reason. Seeded, so a failure reproduces.
 */
import { afterEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import { MqttCollector } from '../../collectors/mqtt/collector.js';
import { startEmbeddedBroker } from '../../server/broker/embedded-broker.js';
import { SqliteStore } from '../../server/store/sqlite-store.js';
import type { RejectReason } from '../../collectors/mqtt/payload.js';
import { collectorContext, connectClient, inventoryOf, metricValue, publishAll, testConfig, waitFor, wifiAp } from '../helpers/mqtt-fixtures.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0; a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Case = { kind: 'telemetry' | 'status'; payload: string | Buffer; expect: RejectReason | 'good' };

function hostile(rand: () => number, now: number): Case {
  const pick = Math.floor(rand() * 14);
  const int = (n: number) => Math.floor(rand() * n);
  switch (pick) {
    case 0: { // random bytes; a leading 0xff is never valid UTF-8
      const b = Buffer.alloc(1 + int(300));
      for (let i = 0; i < b.length; i++) b[i] = int(256);
      b[0] = 0xff;
      return { kind: 'telemetry', payload: b, expect: 'not_json' };
    }
    case 1: { const d = 500 + int(4000); return { kind: 'telemetry', payload: `{"clients":${'['.repeat(d)}${']'.repeat(d)}}`, expect: 'wrong_type' }; }
    case 2: { const d = 200 + int(1000); return { kind: 'telemetry', payload: `${'{"a":'.repeat(d)}1${'}'.repeat(d)}`.slice(0, -1 - int(3)), expect: 'not_json' }; }
    case 3: return { kind: 'telemetry', payload: JSON.stringify({ clients: 1, note: 'x'.repeat(17_000 + int(50_000)) }), expect: 'too_large' };
    case 4: return { kind: 'telemetry', payload: JSON.stringify({ clients: String(int(50)) }), expect: 'wrong_type' };
    case 5: return { kind: 'telemetry', payload: JSON.stringify({ rssi_dbm: rand() < 0.5 ? true : { v: -60 } }), expect: 'wrong_type' };
    case 6: return { kind: 'telemetry', payload: JSON.stringify({ clients: -1 - int(100) }), expect: 'out_of_range' };
    case 7: return { kind: 'telemetry', payload: JSON.stringify({ channel_util: 1.0001 + rand() * 10 }), expect: 'out_of_range' };
    case 8: return { kind: 'telemetry', payload: '{"clients":1e400}', expect: 'out_of_range' };
    case 9: return { kind: 'telemetry', payload: JSON.stringify({ ts: now + 86_400_000 + int(1e9), clients: 1 }), expect: 'future_timestamp' };
    case 10: return { kind: 'telemetry', payload: ['NaN', '{clients: 1}', '', 'undefined', '{"clients":1,}'][int(5)]!, expect: 'not_json' };
    case 11: return { kind: 'telemetry', payload: ['null', '[]', '42', '"clients"', 'true'][int(5)]!, expect: 'wrong_type' };
    case 12: return { kind: 'telemetry', payload: JSON.stringify({ ts: ['yesterday', '2024-13-45T99:99Z', 12345][int(3)], clients: 1 }), expect: 'bad_timestamp' };
    default: return { kind: 'status', payload: ['ONLINE?', ' ', 'x'.repeat(100), '{"status":"online"}'][int(4)]!, expect: 'bad_status' };
  }
}

function good(rand: () => number, ts: number): Case {
  const clients = Math.floor(rand() * 200);
  const variants = [
    `{"ts":${ts},"clients":${clients},"channel_util":${rand().toFixed(3)}}`,
    `{"__proto__":{"clients":999,"polluted":true},"ts":${ts},"clients":${clients}}`,
    `{"constructor":{"prototype":{"polluted":true}},"ts":${ts},"clients":${clients}}`,
    `{"ts":"${new Date(ts).toISOString()}","clients":${clients},"unknown":{"deep":[1,2,3]}}`,
  ];
  return { kind: 'telemetry', payload: variants[Math.floor(rand() * variants.length)]!, expect: 'good' };
}

describe('the mqtt collector under hostile payloads', () => {
  it('survives 10 000 hostile payloads, stores every good one and counts every bad one by reason', async () => {
    const aps = Array.from({ length: 8 }, (_, i) => wifiAp(`ap-${i}`));
    const ctx = collectorContext(inventoryOf(aps));
    const store = new SqliteStore({ path: path.join(ctx.dataDir, 'metrics.sqlite') });
    await store.init();
    cleanups.push(() => store.close());
    // the service's embedded broker (aedes), as the collection side starts it
    const broker = await startEmbeddedBroker({ port: 0 });
    cleanups.push(() => broker.close());
    const config = testConfig({ url: broker.url, protocolVersion: 4 });
    const collector = new MqttCollector({ config, ctx });
    await collector.start(store);
    cleanups.push(() => collector.stop());

    const rand = mulberry32(20260101);
    const now = Date.now();
    const cases: Case[] = [];
    let goodTs = now - 86_400_000;
    for (let bad = 0; bad < 10_000;) {
      if (rand() < 0.2) cases.push(good(rand, goodTs++));
      else { cases.push(hostile(rand, now)); bad++; }
    }
    const expected = new Map<string, number>();
    for (const c of cases) expected.set(c.expect, (expected.get(c.expect) ?? 0) + 1);

    const publisher = await connectClient(collector.state().url!, { protocolVersion: 4 });
    cleanups.push(() => publisher.endAsync());
    await publishAll(publisher, cases.map((c, i) => ({
      topic: `${config.topicPrefix}/ap-${i % aps.length}/${c.kind}`, payload: c.payload,
    })), 200);

    const total = cases.length;
    const seen = async () =>
      (await metricValue(ctx.metrics, 'netatlas_mqtt_messages_total', { kind: 'telemetry' })) +
      (await metricValue(ctx.metrics, 'netatlas_mqtt_messages_total', { kind: 'status' }));
    await waitFor(`${total} messages handled`, async () => (await seen()) >= total, 60_000, 100);

    for (const [reason, count] of expected) {
      if (reason === 'good') continue;
      expect({ reason, counted: await metricValue(ctx.metrics, 'netatlas_mqtt_rejected_total', { reason }) }).toEqual({ reason, counted: count });
    }
    const goods = expected.get('good') ?? 0;
    expect(goods).toBeGreaterThan(1000);
    await waitFor(`${goods} good rows`, async () =>
      (await store.querySeries({ measurement: 'wifi_ap', from: 0, to: now + 1 })).length >= goods, 30_000, 100);
    const rows = await store.querySeries({ measurement: 'wifi_ap', from: 0, to: now + 1 });
    expect(rows).toHaveLength(goods);
    expect(rows.every((r) => typeof r.fields['clients'] === 'number' && (r.fields['clients'] as number) < 200)).toBe(true);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(collector.state().connected).toBe(true);
  });
});
