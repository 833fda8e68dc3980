import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AlertEvent } from '../../server/alerts/types.js';
import { notifiersSchema } from '../../server/notifiers/config.js';
import { CommandNotifier, DeliveryQueue, Dispatcher, backoffMs, signBody, verifySignature, webhookBody } from '../../server/notifiers/index.js';
import { eventLine } from '../../server/notifiers/format.js';
import { formatIssues } from '../../server/inventory/issues.js';

const T = Date.UTC(2026, 10, 2, 10, 0, 0);
const event: AlertEvent = {
  id: `device_down:olt-1:${T}:fired`, kind: 'fired', at: T + 150_000,
  alert: { id: `device_down:olt-1:${T}`, rule: 'device_down', subject: 'olt-1', severity: 'critical', summary: 'device olt-1 down since 2026-11-02T10:00:00.000Z', startedAt: T, firedAt: T + 150_000, resolvedAt: null },
};

describe('webhook bodies', () => {
  it('sign "<t>.<body>" with HMAC-SHA256 as t=<unix s>,v1=<hex>, the time in seconds', () => {
    const body = webhookBody(event, 'json');
    expect(JSON.parse(body)).toEqual(event);
    // T = 2026-11-02T10:00:00Z = 1793613600 s; 999 ms later is still that second
    expect(signBody('k', body, T + 999)).toBe(`t=1793613600,v1=${createHmac('sha256', 'k').update(`1793613600.${body}`).digest('hex')}`);
  });

  it('verify: a signature within 300 s passes; the same request replayed later, with another time or body fails', () => {
    const body = webhookBody(event, 'json');
    const header = signBody('k', body, T);
    expect(verifySignature('k', header, body, T + 300_000)).toEqual({ ok: true, t: 1793613600 });
    expect(verifySignature('k', header, body, T + 301_000)).toEqual({ ok: false, reason: 'timestamp 1793613600 is more than 300 s from now' });
    // a replayer who rewrites t to a fresh time cannot recompute v1 without the secret
    const retimed = header.replace('t=1793613600', 't=1793613900');
    expect(verifySignature('k', retimed, body, T + 301_000)).toEqual({ ok: false, reason: 'no v1 signature matches the body' });
    expect(verifySignature('k', header, body.replace('olt-1', 'olt-2'), T)).toEqual({ ok: false, reason: 'no v1 signature matches the body' });
    expect(verifySignature('other', header, body, T).ok).toBe(false);
    expect(verifySignature('k', `sha256=${createHmac('sha256', 'k').update(body).digest('hex')}`, body, T)).toEqual({ ok: false, reason: 'no single t=<unix seconds> in the header' });
  });

  it('RESOLVED lines count the condition up to endedAt and say what the subject went into', () => {
    const resolved = (alert: Partial<AlertEvent['alert']>): string => eventLine({ ...event, id: 'x:resolved', kind: 'resolved', at: T + 600_000, alert: { ...event.alert, resolvedAt: T + 330_000, ...alert } });
    // device down from T to endedAt T + 240 s: 240 s (resolvedAt adds clearMs and the tick: not counted)
    expect(resolved({ endedAt: T + 240_000, endedAs: 'up' })).toBe('RESOLVED device olt-1 down since 2026-11-02T10:00:00.000Z (down 240 s, then up)');
    expect(resolved({ endedAt: T + 300_000, endedAs: 'unknown: collector-down' })).toBe('RESOLVED device olt-1 down since 2026-11-02T10:00:00.000Z (down 300 s, then status unknown: collector-down)');
    expect(resolved({ rule: 'collector_down', summary: 'collector snmp down', endedAt: T + 95_400, endedAs: 'alive' })).toBe('RESOLVED collector snmp down (collector down 95 s, then heartbeats again)');
    expect(resolved({ rule: 'device_unreadable', summary: 'device olt-1 cannot be read', endedAt: T + 440_000, endedAs: 'readable' })).toBe('RESOLVED device olt-1 cannot be read (unreadable 440 s, then readable again)');
    // no endedAt (area_down, threshold, …): up to resolvedAt, T + 330 s
    expect(resolved({ rule: 'threshold', summary: 'cpu high' })).toBe('RESOLVED cpu high (lasted 330 s)');
  });

  it('give Slack a text and Teams a MessageCard, both naming the event id', () => {
    expect(JSON.parse(webhookBody(event, 'slack'))).toEqual({ text: `ALERT device olt-1 down since 2026-11-02T10:00:00.000Z [${event.id}]` });
    const teams = JSON.parse(webhookBody({ ...event, id: 'x:resolved', kind: 'resolved', alert: { ...event.alert, resolvedAt: T + 240_000 } }, 'teams')) as Record<string, string>;
    expect([teams['@type'], teams['themeColor'], teams['text']]).toEqual(['MessageCard', '2EB886', 'RESOLVED device olt-1 down since 2026-11-02T10:00:00.000Z (down 240 s) [x:resolved]']);
  });
});

describe('notifier config', () => {
  it('rejects duplicate names and a non-http URL, naming the path', () => {
    const r = notifiersSchema.safeParse([
      { name: 'a', type: 'webhook', url: 'ftp://x/y' },
      { name: 'a', type: 'command', command: '/bin/true' },
    ]);
    expect(formatIssues(r.error!, 'notifiers')).toEqual(['notifiers[0].url: URL scheme must be http or https', 'notifiers[1].name: duplicate notifier name "a"']);
    const dup = notifiersSchema.safeParse([{ name: 'a', type: 'command', command: '/bin/true' }, { name: 'a', type: 'command', command: '/bin/true' }]);
    expect(formatIssues(dup.error!, 'notifiers')).toEqual(['notifiers[1].name: duplicate notifier name "a"']);
  });

  it('backoff doubles from the initial delay and stops at the cap', () => {
    const retry = { initialBackoffMs: 500, maxBackoffMs: 3000, maxAgeMs: 60_000 };
    expect([1, 2, 3, 4, 5].map((n) => backoffMs(retry, n))).toEqual([500, 1000, 2000, 3000, 3000]);
  });
});

describe('command notifier and the queue', () => {
  it('runs the command with the event on stdin, retries a failing run, and never reruns a delivered one', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netatlas-cmd-'));
    const out = path.join(dir, 'out.txt');
    const flag = path.join(dir, 'fail');
    fs.writeFileSync(flag, '');
    // fails while the flag file exists; appends "<id> <kind> <stdin id>" per successful run
    const script = `const fs=require('fs');if(fs.existsSync(${JSON.stringify(flag)})){console.error('not yet');process.exit(3)}let s='';process.stdin.on('data',c=>s+=c).on('end',()=>{fs.appendFileSync(${JSON.stringify(out)},process.env.NETATLAS_EVENT_ID+' '+process.env.NETATLAS_EVENT_KIND+' '+JSON.parse(s).id+'\\n')})`;
    const notifier = Object.assign(new CommandNotifier({ name: 'cmd', command: process.execPath, args: ['-e', script], timeoutMs: 10_000 }), { retry: { initialBackoffMs: 1000, maxBackoffMs: 1000, maxAgeMs: 600_000 } });
    const queue = new DeliveryQueue({ dataDir: dir });
    const clock = { now: T };
    const dispatcher = new Dispatcher({ queue, notifiers: [notifier], now: () => clock.now });
    try {
      expect(dispatcher.enqueue(event)).toBe(1);
      expect(dispatcher.enqueue(event)).toBe(0); // the same event id again: ignored
      expect(await dispatcher.runOnce()).toBe(1);
      expect(queue.log(10)[0]).toMatchObject({ ok: false, status: 3, error: expect.stringContaining('exit 3: not yet') });
      expect(await dispatcher.runOnce()).toBe(0); // backoff: not due yet
      fs.rmSync(flag);
      clock.now += 1000;
      expect(await dispatcher.runOnce()).toBe(1);
      clock.now += 60_000;
      expect(await dispatcher.runOnce()).toBe(0);
      expect(fs.readFileSync(out, 'utf8')).toBe(`${event.id} fired ${event.id}\n`);
      expect(queue.counts()).toEqual({ pending: 0, delivered: 1, failed: 0 });
    } finally {
      await dispatcher.stop();
      queue.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives up on an event older than maxAgeMs and logs it as failed', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netatlas-cmd-'));
    const notifier = Object.assign(new CommandNotifier({ name: 'cmd', command: path.join(dir, 'missing-binary'), args: [], timeoutMs: 5000 }), { retry: { initialBackoffMs: 1000, maxBackoffMs: 1000, maxAgeMs: 5000 } });
    const queue = new DeliveryQueue({ dataDir: dir });
    const clock = { now: T };
    const dispatcher = new Dispatcher({ queue, notifiers: [notifier], now: () => clock.now });
    try {
      dispatcher.enqueue(event);
      for (let i = 0; i < 10; i++, clock.now += 1000) await dispatcher.runOnce();
      expect(queue.counts()).toEqual({ pending: 0, delivered: 0, failed: 1 });
      expect(queue.log(100).length).toBe(6); // attempts at 0..5 s; the one at 5 s is past maxAge
      expect(queue.log(1)[0]!.error).toMatch(/ENOENT/);
    } finally {
      await dispatcher.stop();
      queue.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
