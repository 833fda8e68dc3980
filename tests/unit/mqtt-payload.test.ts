import { describe, expect, it } from 'vitest';
import { parseStatus, parseTelemetry } from '../../collectors/mqtt/payload.js';
import { mqttConfigSchema } from '../../collectors/mqtt/config.js';
import { createTopicRouter } from '../../collectors/mqtt/topics.js';

const now = Date.UTC(2026, 5, 1, 12);
const opts = { mapping: mqttConfigSchema.parse({}).fields, maxPayloadBytes: 1024, maxFutureSkewMs: 300_000, maxPastSkewMs: 86_400_000, now };
const parse = (s: string) => parseTelemetry(Buffer.from(s), opts);

describe('parseTelemetry', () => {
  it('reads every field and takes ts in epoch ms or ISO 8601', () => {
    expect(parse(JSON.stringify({ ts: now - 5, clients: 4, rssi_dbm: -70.5, channel_util: 0.3, tx_bytes: 10, rx_bytes: 20, uptime_s: 30 })))
      .toEqual({ ok: true, value: { time: now - 5, fields: { clients: 4, rssi_dbm: -70.5, channel_util: 0.3, tx_bytes: 10, rx_bytes: 20, uptime_s: 30 } } });
    expect(parse('{"ts":"2026-06-01T11:00:00Z","clients":1}')).toMatchObject({ ok: true, value: { time: now - 3_600_000 } });
  });

  it('uses the receive time when ts is absent and ignores unknown keys', () => {
    expect(parse('{"clients":2,"firmware":"1.2"}')).toEqual({ ok: true, value: { time: now, fields: { clients: 2 } } });
  });

  it('gives each kind of bad payload its reason', () => {
    const reason = (s: string) => { const r = parse(s); return r.ok ? 'ok' : r.reason; };
    expect(reason('{"clients":')).toBe('not_json');
    expect(reason('NaN')).toBe('not_json');
    expect(reason('[1]')).toBe('wrong_type');
    expect(reason('{"clients":"3"}')).toBe('wrong_type');
    expect(reason('{"clients":1.5}')).toBe('wrong_type');
    expect(reason('{"clients":-1}')).toBe('out_of_range');
    expect(reason('{"channel_util":1.01}')).toBe('out_of_range');
    expect(reason('{"tx_bytes":1e400}')).toBe('out_of_range');
    expect(reason(`{"ts":${now + 3_600_000}}`)).toBe('future_timestamp');
    expect(reason('{"ts":1700000000}')).toBe('bad_timestamp');
    expect(reason(JSON.stringify({ x: 'y'.repeat(2000) }))).toBe('too_large');
  });

  it('takes each metric at both ends of its range and refuses it one step outside (the fast check agrees with the schema)', () => {
    const reason = (s: string) => { const r = parse(s); return r.ok ? 'ok' : r.reason; };
    // ranges from payload.ts METRICS: clients 0..100 000 (integer), rssi_dbm -150..30, channel_util 0..1,
    // counters 0..2^53-1 = 9007199254740991 (integers)
    expect(parse('{"clients":0,"rssi_dbm":-150,"channel_util":0,"tx_bytes":0}')).toMatchObject({ ok: true, value: { fields: { clients: 0, rssi_dbm: -150, channel_util: 0, tx_bytes: 0 } } });
    expect(parse('{"clients":100000,"rssi_dbm":30,"channel_util":1,"uptime_s":9007199254740991}')).toMatchObject({ ok: true, value: { fields: { clients: 100000, rssi_dbm: 30, channel_util: 1, uptime_s: 9007199254740991 } } });
    expect(reason('{"clients":100001}')).toBe('out_of_range');
    expect(reason('{"rssi_dbm":-150.5}')).toBe('out_of_range');
    expect(reason('{"rssi_dbm":30.1}')).toBe('out_of_range');
    expect(reason('{"channel_util":-0.01}')).toBe('out_of_range');
    expect(reason('{"rx_bytes":-1}')).toBe('out_of_range');
    // 2^53 + 2 = 9007199254740994 is an integer to JavaScript but past the counters' range
    expect(reason('{"uptime_s":9007199254740994}')).not.toBe('ok');
    expect(reason('{"tx_bytes":2.5}')).toBe('wrong_type');
  });

  it('rejects a ts older than maxPastSkewMs as too_old, and takes one just within it', () => {
    const reason = (s: string) => { const r = parse(s); return r.ok ? 'ok' : r.reason; };
    // the bound here is 86 400 000 ms = 1 day before now
    expect(reason(`{"ts":${now - 86_400_001}}`)).toBe('too_old');
    expect(reason('{"ts":"2026-05-31T11:59:59Z"}')).toBe('too_old'); // 1 day + 1 s before 2026-06-01T12:00Z
    expect(parse(`{"ts":${now - 86_400_000}}`)).toMatchObject({ ok: true, value: { time: now - 86_400_000 } });
    // the default: 8 days (the broker's 7-day session expiry + 1 day)
    expect(mqttConfigSchema.parse({}).maxPastSkewS).toBe(691_200);
  });

  it('never reads a field through the prototype chain', () => {
    expect(parse('{"__proto__":{"clients":7}}')).toEqual({ ok: true, value: { time: now, fields: {} } });
  });

  it('follows a dotted field mapping into nested objects', () => {
    const mapping = mqttConfigSchema.parse({ fields: { clients: 'radio.sta_count' } }).fields;
    expect(parseTelemetry(Buffer.from('{"radio":{"sta_count":9}}'), { ...opts, mapping })).toMatchObject({ ok: true, value: { fields: { clients: 9 } } });
  });
});

describe('parseStatus and the topic router', () => {
  it('maps configured status words and rejects others', () => {
    const words = { online: ['online', '1'], offline: ['offline', '0'] };
    expect(parseStatus(Buffer.from('online\n'), words)).toBe('online');
    expect(parseStatus(Buffer.from('0'), words)).toBe('offline');
    expect(parseStatus(Buffer.from('ONLINE'), words)).toBeUndefined();
  });

  it('subscribes with wildcards, optionally in a shared group, and takes the device from the topic', () => {
    const alone = createTopicRouter({ prefix: 'city/wifi', telemetryTopic: 'fw/{device}/{prefix}/stats', statusTopic: '{prefix}/{device}/status' });
    expect(alone.subscriptions()).toEqual([{ filter: 'fw/+/city/wifi/stats', qos: 1 }, { filter: 'city/wifi/+/status', qos: 1 }]);
    const router = createTopicRouter({ prefix: 'city/wifi', telemetryTopic: 'fw/{device}/{prefix}/stats', statusTopic: '{prefix}/{device}/status', sharedGroup: 'g1' });
    // in a group the members split the telemetry; each hears every status itself, at QoS 0 (topics.ts statusSubscription)
    expect(router.subscriptions()).toEqual([{ filter: '$share/g1/fw/+/city/wifi/stats', qos: 1 }, { filter: 'city/wifi/+/status', qos: 0 }]);
    // what an older version's persistent session may hold, unsubscribed on connect
    expect(router.retired!()).toEqual(['$share/g1/city/wifi/+/status']);
    expect(alone.retired!()).toEqual([]);
    expect(router.match('fw/ap-7/city/wifi/stats')).toEqual({ kind: 'telemetry', device: 'ap-7' });
    expect(router.match('city/wifi/ap-7/status')).toEqual({ kind: 'status', device: 'ap-7' });
    expect(router.match('city/wifi/ap-7/other')).toBeUndefined();
  });
});
