/**
 * A real deployment's flow on one machine: `netatlas start --config FILE` with InfluxDB and
 * Mosquitto (the tests' real services), driven by `netatlas simulate` in another process. The
 * data must land in InfluxDB, checked with the `influx` command-line client (Debian's
 * `influxdb-client`, installed by tests/services/start).
 * are removed afterwards.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mqtt from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { DEFAULT_AVERAGE_HOUSEHOLD_SIZE } from '../../server/config-schema.js';
import { parseAreasText } from '../../server/inventory/areas.js';
import { DEMO_DEFAULTS, generateDemoDevices } from '../../sim/demo-inventory.js';
import { DEMO_AREAS_FILE } from '../../server/inventory/inventory-files.js';
import { findFreeUdpBlock } from '../../sim/udp-ports.js';
import { requireInflux, requireMosquitto, services } from '../helpers/services.js';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);
import { cleanEnv, cliArgv, getJson, startNetatlas, stopWith, waitFor, type RunningChild } from './first-run-helpers.js';

const dir = mkdtempSync(path.join(tmpdir(), 'netatlas-simulate-'));
const unique = `${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
const database = `netatlas_simulate_${unique}`;
const prefix = `netatlas-test/simulate-${unique}/wifi`;
const children: RunningChild[] = [];
let apIds: string[] = [];

type InfluxResult = { results: { series?: { columns: string[]; values: unknown[][]; tags?: Record<string, string> }[]; error?: string }[] };

/** Runs InfluxQL through the `influx` command-line client, as an operator checking the data would. */
async function influxQuery(q: string): Promise<InfluxResult> {
  const u = new URL(services.influxUrl);
  try {
    const { stdout } = await execFileP('influx', ['-host', u.hostname, '-port', u.port || '8086', '-database', database, '-format', 'json', '-execute', q], { timeout: 10_000 });
    return JSON.parse(stdout) as InfluxResult;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('the `influx` command-line client is missing (Debian package influxdb-client): run `bash tests/services/start`');
    throw err;
  }
}

afterAll(async () => {
  for (const c of children) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
  await influxQuery(`DROP DATABASE "${database}"`).catch(() => {});
  // The simulator leaves retained `offline` statuses: clear them on the shared broker.
  const client = mqtt.connect(services.mqttUrl, { reconnectPeriod: 0 });
  await new Promise<void>((resolve) => { client.once('connect', () => resolve()); client.once('error', () => resolve()); });
  if (client.connected) for (const id of apIds) await client.publishAsync(`${prefix}/${id}/status`, '', { qos: 1, retain: true });
  await client.endAsync();
  rmSync(dir, { recursive: true, force: true });
});

/** `netatlas simulate …` once it prints its `running:` line. */
function simulate(args: string[]): Promise<RunningChild> {
  const child = spawn(process.execPath, cliArgv(['simulate', ...args]), { cwd: dir, env: cleanEnv({}), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const r: RunningChild = { child, url: '', output: () => out, exit };
  children.push(r);
  child.stderr!.on('data', (c: Buffer) => { out += c.toString(); });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`simulate did not start within 30 s:\n${out}`)), 30_000);
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (/^running: /m.test(out)) { clearTimeout(timer); resolve(r); }
    });
    void exit.then((code) => { clearTimeout(timer); reject(new Error(`simulate exited with ${code}:\n${out}`)); });
  });
}

describe('netatlas simulate driving netatlas start --config with InfluxDB and Mosquitto', () => {
  it('stores real SNMP rates, AP telemetry and statuses in InfluxDB, and both processes stop cleanly', async () => {
    await requireInflux();
    await requireMosquitto();
    const areasParsed = parseAreasText(readFileSync(DEMO_AREAS_FILE, 'utf8'), DEMO_AREAS_FILE, { avgHouseholdSize: DEFAULT_AVERAGE_HOUSEHOLD_SIZE });
    if (!areasParsed.ok) throw new Error(areasParsed.errors.join('\n'));
    // up to 2000 blocks: a suite running beside this one may hold hundreds of agents' ports in a row
    const base = await findFreeUdpBlock(28_000 + (process.pid % 400) * 10, 3, '127.0.0.1', 2000);
    const devices = generateDemoDevices(areasParsed.value.areas, { ...DEMO_DEFAULTS, fibreNodes: 3, wifiAps: 19, snmpBasePort: base, telemetryIntervalS: 2 });
    apIds = devices.filter((d) => d.tech === 'wifi').map((d) => d.id);
    writeFileSync(path.join(dir, 'devices.yaml'), stringify({ devices }));
    const configFile = path.join(dir, 'netatlas.yaml');
    writeFileSync(configFile, stringify({
      http: { port: 0 },
      dataDir: './data',
      store: { influx: { url: services.influxUrl, database } },
      mqtt: { url: services.mqttUrl },
      inventory: { devicesFile: './devices.yaml', areasFile: DEMO_AREAS_FILE },
      simulator: { telemetryIntervalS: 2 },
      collectors: {
        snmp: { intervalS: 5, timeoutMs: 500, statusInterfaces: ['uplink*'] },
        mqtt: { topicPrefix: prefix, clientId: `netatlas-simulate-test-${unique}` },
      },
    }));

    const service = await startNetatlas(['start', '--config', configFile], cleanEnv({ NETATLAS_LOG_LEVEL: 'info' }), dir);
    children.push(service);
    expect(service.output()).toContain(`data: InfluxDB ${services.influxUrl} database ${database}`);
    expect(service.output()).not.toContain('simulated network on');
    const sim = await simulate(['--config', configFile, '--no-faults']);
    expect(sim.output()).toContain(`simulating 3 fibre nodes on 127.0.0.1:${base}-${base + 2} (SNMP v2c) and 19 wifi APs on ${services.mqttUrl}`);

    await waitFor('3 SNMP devices up and AP telemetry in /api/health', 60_000, async () => {
      const { body } = await getJson<{ collectors: { snmp: { up: number } | null; mqtt: { lastMessageAt?: number } } }>(`${service.url}/api/health`);
      return body.collectors.snmp?.up === 3 && body.collectors.mqtt.lastMessageAt !== undefined ? true : undefined;
    });
    const rates = await waitFor('in_bps in InfluxDB', 30_000, async () => {
      const r = await influxQuery('SELECT count(in_bps) FROM interface');
      const n = r.results[0]?.series?.[0]?.values[0]?.[1];
      return typeof n === 'number' && n > 0 ? n : undefined;
    });
    expect(rates).toBeGreaterThan(0);
    const wifi = await influxQuery('SELECT count(clients) FROM wifi_ap');
    expect(wifi.results[0]!.series![0]!.values[0]![1]).toBeGreaterThan(5);
    const bySource = await influxQuery('SELECT count(up) FROM device_status GROUP BY source');
    // the influx client prints each series of a GROUP BY as its own result
    const sources = bySource.results.flatMap((r) => r.series ?? []).map((s) => s.tags?.['source']).sort();
    expect(sources).toEqual(['mqtt', 'snmp']);

    const simStop = await stopWith(sim, 'SIGTERM');
    expect(simStop.code).toBe(0);
    expect(sim.output()).toContain('simulated network stopped');
    // The APs said `offline` as they left: the service records them down.
    await waitFor('APs recorded offline', 15_000, async () => {
      const r = await influxQuery(`SELECT count(up) FROM device_status WHERE source = 'mqtt' AND up = 0`);
      const n = r.results[0]?.series?.[0]?.values[0]?.[1];
      return typeof n === 'number' && n >= apIds.length ? n : undefined;
    });
    const stopped = await stopWith(service, 'SIGTERM');
    expect(stopped.code).toBe(0);
    expect(stopped.ms).toBeLessThan(10_000);
  }, 150_000);
});
