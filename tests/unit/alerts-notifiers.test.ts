import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AlertEvent } from '../../server/alerts/types.js';
import { notifiersSchema } from '../../server/notifiers/config.js';
import { CommandNotifier, DeliveryQueue, Dispatcher, backoffMs, signBody, webhookBody } from '../../server/notifiers/index.js';
import { formatIssues } from '../../server/inventory/issues.js';

const T = Date.UTC(2026, 10, 2, 10, 0, 0);
const event: AlertEvent = {
  id: `device_down:olt-1:${T}:fired`, kind: 'fired', at: T + 150_000,
  alert: { id: `device_down:olt-1:${T}`, rule: 'device_down', subject: 'olt-1', severity: 'critical', summary: 'device olt-1 down since 2026-11-02T10:00:00.000Z', startedAt: T, firedAt: T + 150_000, resolvedAt: null },
};

describe('webhook bodies', () => {
  it('sign the exact body with HMAC-SHA256 as sha256=<hex>', () => {
    const body = webhookBody(event, 'json');
    expect(JSON.parse(body)).toEqual(event);
    expect(signBody('k', body)).toBe(`sha256=${createHmac('sha256', 'k').update(body).digest('hex')}`);
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
