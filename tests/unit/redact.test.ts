/**
 * core/redact.ts: what of a URL may be shown in logs, /api/health, alerts and the delivery log.
 */
import { describe, expect, it } from 'vitest';
import { redactText, redactUrl, redactWebhookUrl, splitCredentials } from '../../core/redact.js';

describe('redactUrl', () => {
  it('keeps scheme, user, host, port and path and hides the password and query values', () => {
    expect(redactUrl('mqtt://netatlas:s3cret-pw@broker.example:1883')).toBe('mqtt://netatlas:***@broker.example:1883');
    expect(redactUrl('https://u:p%40ss@influx.example/db?u=admin&p=hunter22')).toBe('https://u:***@influx.example/db?u=***&p=***');
    expect(redactUrl('mqtt://127.0.0.1:1883')).toBe('mqtt://127.0.0.1:1883');
    expect(redactUrl(undefined)).toBeUndefined();
    expect(redactUrl('not a url with secret')).toBe('(not a URL)');
  });
});

describe('redactWebhookUrl', () => {
  it('keeps only the origin: the path of a Slack or Teams hook is its credential', () => {
    expect(redactWebhookUrl('https://hooks.example/services/T000/B000/XXXXsecretXXXX')).toBe('https://hooks.example/…');
    expect(redactWebhookUrl('https://user:pw@hooks.example:8443/x?token=abc')).toBe('https://hooks.example:8443/…');
  });
});

describe('redactText', () => {
  it('replaces a URL quoted in a message, and its password or path quoted alone', () => {
    const hook = 'https://hooks.example/services/T000/B000/XXXXsecretXXXX';
    expect(redactText(`POST ${hook} failed; path /services/T000/B000/XXXXsecretXXXX`, [{ url: hook, kind: 'webhook' }]))
      .toBe('POST https://hooks.example/… failed; path /…');
    const broker = 'mqtt://netatlas:s3cret-pw@broker.example:1883';
    expect(redactText(`connect ${broker}: bad password s3cret-pw`, [{ url: broker, kind: 'url' }]))
      .toBe('connect mqtt://netatlas:***@broker.example:1883: bad password ***');
  });
});

describe('splitCredentials', () => {
  it('takes the user info out of the URL (decoded), the explicit credentials winning', () => {
    expect(splitCredentials('http://u%40x:p%3Ass@influx.example:8086')).toEqual({ url: 'http://influx.example:8086/', username: 'u@x', password: 'p:ss' });
    expect(splitCredentials('http://u:p@influx.example:8086', 'admin', 'pw')).toEqual({ url: 'http://influx.example:8086/', username: 'admin', password: 'pw' });
    expect(splitCredentials('http://influx.example:8086')).toEqual({ url: 'http://influx.example:8086/' });
  });
});
