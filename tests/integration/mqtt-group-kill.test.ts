/**
 * MQTT at scale (#19 item 3): two collector processes in one shared group on a real Mosquitto;
 * one is killed with SIGKILL in the middle of a stream of QoS 1 telemetry. Nothing the broker
 * acknowledged to the publisher is lost: every message is in one of the two stores once the
 * killed member is back (same client id, same data dir).
 *
 * What Mosquitto does with a dead member (measured here, written in README "One region, many
 * machines"): the messages in flight to it (sent, not PUBACKed) stay in ITS session, as do the
 * messages the group queues for it while it is away; they are not handed to the other member.
 * They are delivered when it reconnects with the same client id (within sessionExpiryS); a member
 * that never comes back loses them when its session expires.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../server/store/sqlite-store.js';
import { MosquittoProcess } from '../helpers/mosquitto-process.js';
import { connectClient, publishAll } from '../helpers/mqtt-fixtures.js';

const CHILD = fileURLToPath(new URL('./mqtt-group-member-child.ts', import.meta.url));
const dir = mkdtempSync(path.join(os.tmpdir(), 'netatlas-group-kill-'));
const children: ChildProcess[] = [];
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const c of cleanups.reverse()) await c();
  rmSync(dir, { recursive: true, force: true });
});

const APS = 10;
const topicPrefix = `netatlas-test/group-kill-${process.pid}`;

function member(url: string, name: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, url, path.join(dir, name), `group-kill-${process.pid}-${name}`, 'netatlas-kill', topicPrefix, String(APS)], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NETATLAS_LOG_LEVEL: 'silent' } });
  children.push(child);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`member ${name} not ready in 60 s`)), 60_000);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`member ${name} exited with ${code}`)); });
    createInterface({ input: child.stdout! }).once('line', () => { clearTimeout(timer); resolve(child); });
  });
}

async function stored(name: string): Promise<Set<string>> {
  const store = new SqliteStore({ path: path.join(dir, name, 'metrics.sqlite') });
  await store.init();
  try {
    const rows = await store.querySeries({ measurement: 'wifi_ap', from: 0, to: 4_102_444_800_000 });
    return new Set(rows.map((r) => `${r.tags['device']}@${r.time}`));
  } finally {
    await store.close();
  }
}

describe('two collector processes in one shared group', () => {
  it('one SIGKILLed mid-stream: every message the broker acknowledged is stored once it is back', async () => {
    const mosquitto = await MosquittoProcess.start({ extraConfig: ['max_queued_messages 0'] });
    cleanups.push(() => mosquitto.close());
    await member(mosquitto.url, 'a');
    let b = await member(mosquitto.url, 'b');
    const publisher = await connectClient(mosquitto.url, { protocolVersion: 5 });
    cleanups.push(() => publisher.endAsync());
    const t0 = Date.now() - 3_600_000;
    const message = (i: number): { topic: string; payload: string } => ({ topic: `${topicPrefix}/ap-${i % APS}/telemetry`, payload: JSON.stringify({ ts: t0 + i, clients: i % 50 }) });
    const n = 6000;
    // first third with both members, then B is killed while the second third is being published
    await publishAll(publisher, Array.from({ length: 2000 }, (_, i) => message(i)), 50);
    const second = publishAll(publisher, Array.from({ length: 2000 }, (_, i) => message(2000 + i)), 50);
    await new Promise((r) => setTimeout(r, 200));
    b.kill('SIGKILL');
    await new Promise((r) => b.once('exit', r));
    await second;
    await publishAll(publisher, Array.from({ length: 2000 }, (_, i) => message(4000 + i)), 50);
    // every message was acknowledged to the publisher (publishAll awaited each PUBACK)
    const whileAway = await stored('a');
    b = await member(mosquitto.url, 'b');
    const all = new Set<string>();
    const until = Date.now() + 60_000;
    let a = new Set<string>(), bs = new Set<string>();
    while (Date.now() < until) {
      [a, bs] = await Promise.all([stored('a'), stored('b')]);
      all.clear();
      for (const k of [...a, ...bs]) all.add(k);
      if (all.size >= n) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const both = [...a].filter((k) => bs.has(k)).length;
    console.log(`shared group, one member SIGKILLed: ${all.size}/${n} messages stored (A ${a.size}, B ${bs.size}, in both ${both}); A had ${whileAway.size} before B came back`);
    expect(all.size).toBe(n);
    // the killed member's share waited for it: A alone did not have everything while B was away
    expect(whileAway.size).toBeLessThan(n);
    b.kill('SIGTERM');
  }, 180_000);
});
