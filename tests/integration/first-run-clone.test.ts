/**
 * The newcomer's path, as the issue states it: clone the repository into an empty directory (no
 * node_modules, no data), `npm ci`, `npm start`, and within 90 s the full demo is alive through
 * the API: health ok, every demo device on the map, SNMP rates, AP telemetry, the scripted outage
 * among the incidents. SIGTERM to npm: exit 0 within 10 s; a second `npm start` on the same ./data
 * continues the history. `npm ci --offline` installs from the local npm cache, so the test talks to
 * nothing but loopback; it needs the cache a first `npm install` leaves (CI has it after its own
 * `npm ci`). The slowest test of the suite (npm ci alone takes about a minute on 2 cores).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cleanEnv, freeTcpPort, getJson, root, stopWith, waitFor, type RunningChild } from './first-run-helpers.js';

const dir = mkdtempSync(path.join(tmpdir(), 'netatlas-clone-'));
const clone = path.join(dir, 'netatlas');
const running: RunningChild[] = [];
afterAll(() => {
  for (const r of running) if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** `npm start` in the clone, once it prints its URL. */
function npmStart(port: number): Promise<RunningChild> {
  const child = spawn('npm', ['start'], { cwd: clone, env: cleanEnv({ NETATLAS_PORT: String(port) }), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start printed no URL within 60 s:\n${out.slice(-3000)}`)), 60_000);
    child.stderr!.on('data', (c: Buffer) => { out += c.toString(); });
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /netatlas is running: open (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        const r = { child, url: m[1]!, output: () => out, exit };
        running.push(r);
        resolve(r);
      }
    });
    void exit.then((code) => { clearTimeout(timer); reject(new Error(`npm start exited with ${code}:\n${out.slice(-3000)}`)); });
  });
}

const demoIds = (parse(readFileSync(path.join(root, 'regions/brussels/devices.yaml'), 'utf8')) as { devices: { id: string }[] }).devices.map((d) => d.id).sort();
let startedAt = 0;
let stoppedAt = 0;

describe('a fresh clone: npm ci && npm start', () => {
  beforeAll(() => {
    execFileSync('git', ['clone', '--quiet', root, clone], { stdio: 'pipe' });
    execFileSync('npm', ['ci', '--offline', '--no-audit', '--no-fund'], { cwd: clone, stdio: 'pipe', timeout: 400_000, env: cleanEnv({}) });
  }, 420_000);

  it('is alive within 90 s: health ok, every demo device on the map, SNMP rates, AP telemetry, the scripted outage; SIGTERM exits 0 within 10 s', async () => {
    startedAt = Date.now();
    const service = await npmStart(await freeTcpPort());
    expect(service.output()).toContain(`data: embedded store and spool in ${path.join(clone, 'data')}`);
    const deadline = startedAt + 90_000;
    const left = (): number => Math.max(1000, deadline - Date.now());
    const from = new Date(startedAt - 60_000).toISOString();

    await waitFor('health ok', left(), async () => ((await getJson<{ status: string }>(`${service.url}/api/health`)).body.status === 'ok' ? true : undefined));
    const map = await waitFor('every demo device on the map with a status', left(), async () => {
      const { body } = await getJson<{ features: { properties: { id: string; tech: string; status: string } }[] }>(`${service.url}/api/map/devices`);
      return body.features.length === demoIds.length && body.features.every((f) => f.properties.status !== 'unknown') ? body.features : undefined;
    });
    expect(map.map((f) => f.properties.id).sort()).toEqual(demoIds);
    const fibre = map.filter((f) => f.properties.tech === 'fibre').map((f) => f.properties.id);
    const aps = map.filter((f) => f.properties.tech === 'wifi').map((f) => f.properties.id);
    const rate = await waitFor('in_bps of a fibre node', left(), async () => {
      const { body } = await getJson<{ value: number | null }[]>(`${service.url}/api/devices/${fibre[0]}/series?metric=in_bps&from=${from}&step=15s`);
      return body.find((p) => typeof p.value === 'number' && p.value > 0)?.value ?? undefined;
    });
    expect(rate).toBeGreaterThan(0);
    const clients = await getJson<{ value: number | null }[]>(`${service.url}/api/devices/${aps[0]}/series?metric=clients&from=${from}&step=15s`);
    expect(clients.body.some((p) => typeof p.value === 'number')).toBe(true);
    const incidents = await waitFor('the scripted AP power cut in /api/incidents', left(), async () => {
      const { body } = await getJson<{ device: string }[]>(`${service.url}/api/incidents?from=${from}`);
      return body.some((i) => i.device.startsWith('ap-')) ? body : undefined;
    });
    expect(incidents.length).toBeGreaterThan(0);
    expect(Date.now() - startedAt).toBeLessThan(90_000);

    const stopped = await stopWith(service, 'SIGTERM');
    stoppedAt = Date.now();
    expect(stopped.code).toBe(0);
    expect(stopped.ms).toBeLessThan(10_000);
  }, 150_000);

  it('continues the history on the same ./data: uptime includes the first run', async () => {
    const service = await npmStart(await freeTcpPort());
    await waitFor('health ok', 60_000, async () => ((await getJson<{ status: string }>(`${service.url}/api/health`)).body.status === 'ok' ? true : undefined));
    const { body } = await getJson<{ key: string; up_ms: number }[]>(`${service.url}/api/uptime?groupBy=device&from=${new Date(startedAt - 60_000).toISOString()}`);
    const sinceRestart = Date.now() - stoppedAt;
    // An always-up fibre node was up for most of the first run (tens of seconds), more than this run has lasted.
    expect(Math.max(...body.filter((u) => u.key.startsWith('olt-')).map((u) => u.up_ms))).toBeGreaterThan(sinceRestart);
    const stopped = await stopWith(service, 'SIGTERM');
    expect(stopped.code).toBe(0);
  }, 90_000);
});
