/**
 * Real netatlas processes for the cluster tests and bench: `node --import tsx server/cli.ts start
 * --role R --config F` (one process each, so SIGKILL kills exactly it), an inventory of N SNMP
 * devices on simulated agents, one config per process (own data dir, so own instance id), all on
 * the same InfluxDB database, broker and topic prefix. Loopback only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { defaultClientId } from '../../collectors/mqtt/config.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = path.join(root, 'server/cli.ts');

export interface ClusterFiles {
  dir: string;
  devicesFile: string;
  areasFile: string;
  deviceIds: string[];
}

/** The one area every device of these tests lies in. */
function writeArea(dir: string): string {
  const areasFile = path.join(dir, 'areas.geojson');
  writeFileSync(areasFile, JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { id: 'a1', name: 'Area 1', population: 2140, households: 1000 }, geometry: { type: 'Polygon', coordinates: [[[4.35, 50.81], [4.39, 50.81], [4.39, 50.84], [4.35, 50.84], [4.35, 50.81]]] } }] }));
  return areasFile;
}

/** `count` fibre devices `dev-000`… answering SNMP v2c on 127.0.0.1:basePort+i, in one area. */
export function writeInventory(dir: string, count: number, basePort: number): ClusterFiles {
  mkdirSync(dir, { recursive: true });
  const deviceIds = Array.from({ length: count }, (_, i) => `dev-${String(i).padStart(3, '0')}`);
  const devices = deviceIds.map((id, i) => ({
    id, tech: 'fibre', site: `site-${i % 20}`, location: { lat: 50.82 + (i % 30) * 0.0005, lon: 4.36 + Math.floor(i / 30) * 0.0005 },
    snmp: { host: '127.0.0.1', port: basePort + i, version: '2c', community: 'public' }, householdsPassed: 10,
  }));
  const devicesFile = path.join(dir, 'devices.yaml');
  writeFileSync(devicesFile, stringify({ devices }));
  const areasFile = writeArea(dir);
  return { dir, devicesFile, areasFile, deviceIds };
}

/**
 * `count` wifi APs `ap-000`… (or `idOf(i)`; MQTT id = id) in the same one area, for processes whose
 * MQTT collectors share a group; their topics are `<topicPrefix>/wifi/<id>/telemetry|status`.
 */
export function writeApInventory(dir: string, count: number, idOf: (i: number) => string = (i) => `ap-${String(i).padStart(3, '0')}`): ClusterFiles {
  mkdirSync(dir, { recursive: true });
  const deviceIds = Array.from({ length: count }, (_, i) => idOf(i));
  const devices = deviceIds.map((id, i) => ({
    id, tech: 'wifi', site: `site-${i % 20}`, location: { lat: 50.82 + (i % 30) * 0.0005, lon: 4.36 + Math.floor(i / 30) * 0.0005 }, radiusM: 50,
  }));
  const devicesFile = path.join(dir, 'devices.yaml');
  writeFileSync(devicesFile, stringify({ devices }));
  const areasFile = writeArea(dir);
  return { dir, devicesFile, areasFile, deviceIds };
}

export interface ClusterSettings {
  influxUrl: string;
  database: string;
  mqttUrl: string;
  /** a topic prefix of this run only: retained presences of other runs must not count */
  topicPrefix: string;
  intervalS: number;
  heartbeatS: number;
  keepaliveS: number;
  /** SNMP request timeout (one retry); default 4000 */
  timeoutMs?: number;
  /** mqtt.sharedGroup: the MQTT collectors of the processes share the APs' messages */
  sharedGroup?: string;
}

/** Writes the config of process `name` (its data dir under files.dir/name) and returns its path and instance id. */
export function writeConfig(files: ClusterFiles, name: string, s: ClusterSettings): { file: string; dataDir: string; instance: string } {
  const dataDir = path.join(files.dir, name, 'data');
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(files.dir, name, 'netatlas.yaml');
  writeFileSync(file, stringify({
    dataDir,
    http: { host: '127.0.0.1', port: 0 },
    store: { influx: { url: s.influxUrl, database: s.database } },
    mqtt: { url: s.mqttUrl, topicPrefix: s.topicPrefix, ...(s.sharedGroup !== undefined ? { sharedGroup: s.sharedGroup } : {}) },
    simulator: { enabled: false },
    inventory: { devicesFile: files.devicesFile, areasFile: files.areasFile },
    collectors: {
      // generous timeouts: on a busy shared machine a slow answer must not read as down
      snmp: { intervalS: s.intervalS, heartbeatS: s.heartbeatS, timeoutMs: s.timeoutMs ?? 4000, retries: 1, optical: false, concurrency: 64 },
    },
    cluster: { keepaliveS: s.keepaliveS },
    alerts: { enabled: false },
    log: { level: 'warn' },
  }));
  return { file, dataDir, instance: defaultClientId(dataDir) };
}

export interface NetatlasProcess {
  readonly child: ChildProcess;
  readonly url: string;
  readonly exit: Promise<number | null>;
  output(): string;
  /** SIGTERM and wait (SIGKILL after 15 s) */
  stop(): Promise<void>;
}

function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('NETATLAS_') && !k.startsWith('VITEST')) env[k] = v;
  return env;
}

/** Starts `netatlas start --role ROLE --config FILE` and waits for its "netatlas is running" line (at most 120 s). */
export function startNetatlas(configFile: string, role: 'all' | 'collector' | 'api'): Promise<NetatlasProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', cli, 'start', '--role', role, '--config', configFile], { cwd: root, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => { out += c.toString(); });
  child.stderr!.on('data', (c: Buffer) => { out += c.toString(); });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${role} process not running after 120 s:\n${out.slice(-3000)}`)); }, 120_000);
    void exit.then((code) => { clearTimeout(timer); reject(new Error(`${role} process exited with ${code} before it was running:\n${out.slice(-3000)}`)); });
    const check = (): void => {
      const m = /netatlas is running: open (\S+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.stdout!.off('data', check);
      resolve({
        child, url: m[1]!, exit, output: () => out,
        stop: async () => {
          if (child.exitCode !== null || child.signalCode !== null) return;
          child.kill('SIGTERM');
          const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
          await exit;
          clearTimeout(t);
        },
      });
    };
    child.stdout!.on('data', check);
  });
}
