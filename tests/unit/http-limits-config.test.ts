/** `http.limits.*` (issue 14): defaults, environment overrides, and refusals naming the key. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.js';

describe('http.limits config', () => {
  it('defaults: 600 reads a minute per client, 500 event streams (20 per client), 2 heavy at once, 20 waiting up to 10 s', () => {
    expect(loadConfig({ env: {} }).http.limits).toEqual({
      readsPerMinute: 600, eventStreams: 500, eventStreamsPerClient: 20, heavyConcurrency: 2, heavyQueueMs: 10_000, heavyQueueLength: 20,
    });
  });
  it('takes NETATLAS_HTTP_LIMITS_* overrides', () => {
    const c = loadConfig({ env: { NETATLAS_HTTP_LIMITS_EVENT_STREAMS: '50', NETATLAS_HTTP_LIMITS_EVENT_STREAMS_PER_CLIENT: '5', NETATLAS_HTTP_LIMITS_READS_PER_MINUTE: '120' } });
    expect(c.http.limits).toMatchObject({ eventStreams: 50, eventStreamsPerClient: 5, readsPerMinute: 120 });
  });
  it('refuses a zero cap, a fraction and a per-client cap above the cap in all, naming the key', () => {
    expect(() => loadConfig({ env: { NETATLAS_HTTP_LIMITS_EVENT_STREAMS: '0' } })).toThrow(ConfigError);
    expect(() => loadConfig({ env: { NETATLAS_HTTP_LIMITS_EVENT_STREAMS: '0' } })).toThrow(/http\.limits\.eventStreams/);
    expect(() => loadConfig({ env: { NETATLAS_HTTP_LIMITS_HEAVY_CONCURRENCY: '1.5' } })).toThrow(/http\.limits\.heavyConcurrency/);
    expect(() => loadConfig({ env: { NETATLAS_HTTP_LIMITS_EVENT_STREAMS: '10' } })).toThrow(/http\.limits\.eventStreamsPerClient: must be at most eventStreams \(10\)/);
  });
});
