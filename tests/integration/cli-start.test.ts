import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { requireInflux } from '../helpers/services.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = path.join(root, 'bin/netatlas.js');
const dir = mkdtempSync(path.join(tmpdir(), 'netatlas-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('NETATLAS_') && !k.startsWith('VITEST')) env[k] = v;
  return env;
}

interface Service {
  child: ChildProcess;
  url: string;
  output: () => string;
  exit: Promise<number | null>;
}

const started: ChildProcess[] = [];
afterEach(() => {
  for (const child of started.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** Start `netatlas start --config FILE` and wait for its "listening" log line (at most 30 s). */
function start(configFile: string): Promise<Service> {
  const child = spawn(process.execPath, [bin, 'start', '--config', configFile], { cwd: dir, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  let out = '';
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "listening" line within 30 s:\n${out}`)), 30_000);
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      for (const line of out.split('\n')) {
        if (!line.startsWith('{')) continue;
        const entry = JSON.parse(line) as { msg?: string; url?: string };
        if (entry.msg?.startsWith('netatlas listening') && entry.url) {
          clearTimeout(timer);
          resolve({ child, url: entry.url, output: () => out, exit });
          return;
        }
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => { out += chunk.toString(); });
    void exit.then((code) => { clearTimeout(timer); reject(new Error(`exited with ${code} before listening:\n${out}`)); });
  });
}

function writeConfig(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe('netatlas start', () => {
  it('serves /api/health with the embedded SQLite store and stops cleanly on SIGTERM', async () => {
    const file = writeConfig('sqlite.yaml', 'http: { port: 0 }\ndataDir: ./data-sqlite\nmqtt: { embeddedPort: 0 }\n');
    const service = await start(file);
    expect(service.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${service.url}/api/health`);
    const body = (await res.json()) as { status: string; store: { kind: string; ok: boolean; detail: string }; broker: { ok: boolean; url: string }; collectors: { mqtt: { url: string; embeddedBroker: boolean } } };
    expect(res.status).toBe(200);
    expect(body.status).toBe('ok');
    expect(body.store.kind).toBe('sqlite');
    expect(body.store.ok).toBe(true);
    expect(body.store.detail).toContain(path.join(dir, 'data-sqlite'));
    expect(body.broker.url).toMatch(/^mqtt:\/\/127\.0\.0\.1:\d+$/);
    // main starts the embedded broker, not the collector: health still says the collector uses it
    expect(body.collectors.mqtt).toMatchObject({ url: body.broker.url, embeddedBroker: true });

    const page = await fetch(`${service.url}/`);
    expect(await page.text()).toContain('<title>netatlas — regional connectivity map</title>');
    const missing = await fetch(`${service.url}/api/nothing-here`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: { code: 'not_found', message: 'No route for GET /api/nothing-here.' } });

    service.child.kill('SIGTERM');
    expect(await service.exit).toBe(0);
    expect(service.output()).toContain('"msg":"shutting down"');
    // on loopback: no exposure warning (server/exposure.ts)
    expect(service.output()).not.toContain('SECURITY WARNING');
  });

  it('warns loudly at start when it listens beyond loopback with no read token', async () => {
    // binds every interface for a moment; the test only talks to it over 127.0.0.1. The SNMP
    // interval is the demo inventory's (15 s), given here so the start does not depend on the demo
    // settings reaching the collection thread
    const file = writeConfig('open.yaml', 'http: { port: 0, host: 0.0.0.0 }\ndataDir: ./data-open\nmqtt: { embeddedPort: 0 }\ncollectors: { snmp: { intervalS: 15 } }\n');
    const service = await start(file);
    const warning = service.output().split('\n').filter((l) => l.includes('SECURITY WARNING')).map((l) => JSON.parse(l) as { level: number; host: string; msg: string });
    expect(warning).toHaveLength(1);
    expect(warning[0]).toMatchObject({ level: 40, host: '0.0.0.0', msg: expect.stringContaining('beyond loopback, and no read token is set') });
    service.child.kill('SIGTERM');
    expect(await service.exit).toBe(0);
  });

  it('uses InfluxDB when store.influx is configured, creating its database', async () => {
    const influxUrl = await requireInflux();
    const database = `netatlas_cli_start_${process.pid}_${Date.now()}`;
    const file = writeConfig('influx.yaml', `http: { port: 0 }\ndataDir: ./data-influx\nmqtt: { embeddedPort: 0 }\nstore:\n  influx: { url: "${influxUrl}", database: ${database} }\n`);
    try {
      const service = await start(file);
      const res = await fetch(`${service.url}/api/health`);
      const body = (await res.json()) as { status: string; store: { kind: string; ok: boolean; detail: string } };
      expect(res.status).toBe(200);
      expect(body.store).toMatchObject({ kind: 'influxdb', ok: true });
      expect(body.store.detail).toContain(`database ${database}`);
      service.child.kill('SIGTERM');
      expect(await service.exit).toBe(0);
    } finally {
      await fetch(new URL(`/query?q=${encodeURIComponent(`DROP DATABASE "${database}"`)}`, influxUrl), { method: 'POST' });
    }
  });

  it('refuses a bad config before listening, exit 1, naming every problem', async () => {
    const file = writeConfig('bad.yaml', 'http: { port: http }\nmqtt: { topicPrefix: "a/#" }\n');
    const child = spawn(process.execPath, [bin, 'start', '--config', file], { cwd: dir, env: cleanEnv() });
    started.push(child);
    let err = '';
    let out = '';
    child.stderr.on('data', (c: Buffer) => { err += c.toString(); });
    child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toContain('http.port: expected number, received string');
    expect(err).toContain('mqtt.topicPrefix: must be topic segments separated by / with no wildcards');
  });
});
