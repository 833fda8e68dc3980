/**
 * The soak's simulated network in a process of its own (`netatlas simulate`), so the service's
 * RSS, CPU and open files sampled from /proc/<pid> are the service's alone: with the simulator
 * inside, 10 000 devices put 8696 simulated MQTT clients' sockets and 1304 agents' UDP sockets in
 * the service process too (#18 item 5).
 *
 * The bench writes the inventory (the demo's generator at the wanted size, SNMP ports on a free
 * block) and a config that both `netatlas start --config` and `netatlas simulate --config` read:
 * simulator off in the service, the embedded broker on a free port, the demo's SNMP settings with
 * the given concurrency.
 */
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { DEFAULT_AVERAGE_HOUSEHOLD_SIZE } from '../../server/config-schema.js';
import { DEMO_SNMP_CONFIG } from '../../server/config-collectors.js';
import { parseAreasText } from '../../server/inventory/areas.js';
import { DEMO_AREAS_FILE } from '../../server/inventory/inventory-files.js';
import { DEMO_DEFAULTS, generateDemoDevices } from '../../sim/demo-inventory.js';
import { findFreeUdpBlock } from '../../sim/udp-ports.js';
import { cleanEnv, cliArgv, type RunningChild } from '../integration/first-run-helpers.js';

export interface SeparateSimSettings {
  fibreNodes: number;
  wifiAps: number;
  httpPort: number;
  brokerPort: number;
  snmpConcurrency: number;
  snmpIntervalS: number;
}

/** Writes `<cwd>/devices.yaml` and `<cwd>/netatlas.yaml`; returns the config's path. */
export async function writeSeparateSimConfig(cwd: string, s: SeparateSimSettings): Promise<string> {
  const areas = parseAreasText(readFileSync(DEMO_AREAS_FILE, 'utf8'), DEMO_AREAS_FILE, { avgHouseholdSize: DEFAULT_AVERAGE_HOUSEHOLD_SIZE });
  if (!areas.ok) throw new Error(`${DEMO_AREAS_FILE}: ${areas.errors.join('; ')}`);
  // below Linux's ephemeral range (32768-60999): the collector's own UDP sockets, bound before the
  // simulator starts, would otherwise take some of the block's ports
  const base = await findFreeUdpBlock(21_000, Math.max(1, s.fibreNodes));
  const devices = generateDemoDevices(areas.value.areas, { ...DEMO_DEFAULTS, fibreNodes: s.fibreNodes, wifiAps: s.wifiAps, snmpBasePort: base });
  writeFileSync(path.join(cwd, 'devices.yaml'), stringify({ devices }));
  const file = path.join(cwd, 'netatlas.yaml');
  writeFileSync(file, stringify({
    http: { port: s.httpPort },
    dataDir: './data',
    mqtt: { embeddedPort: s.brokerPort },
    inventory: { devicesFile: './devices.yaml', areasFile: DEMO_AREAS_FILE },
    simulator: { enabled: false, telemetryIntervalS: DEMO_DEFAULTS.telemetryIntervalS },
    collectors: { snmp: { ...DEMO_SNMP_CONFIG, statusInterfaces: [...DEMO_SNMP_CONFIG.statusInterfaces], intervalS: s.snmpIntervalS, concurrency: s.snmpConcurrency } },
  }));
  return file;
}

/** `netatlas simulate --config FILE --broker URL` once it prints `running:` (bounded by withinMs). */
export function startSimulateProcess(cwd: string, configFile: string, brokerUrl: string, withinMs: number): Promise<RunningChild> {
  const child = spawn(process.execPath, cliArgv(['simulate', '--config', configFile, '--broker', brokerUrl]), { cwd, env: cleanEnv({ NETATLAS_LOG_LEVEL: 'warn' }), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const r: RunningChild = { child, url: brokerUrl, output: () => out, exit };
  child.stderr!.on('data', (c: Buffer) => { out = (out + c.toString()).slice(-8000); });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`simulate did not start within ${withinMs} ms:\n${out}`)); }, withinMs);
    child.stdout!.on('data', (c: Buffer) => {
      out = (out + c.toString()).slice(-8000);
      if (/^running: /m.test(out)) { clearTimeout(timer); resolve(r); }
    });
    void exit.then((code) => { clearTimeout(timer); reject(new Error(`simulate exited with ${code}:\n${out}`)); });
  });
}

/** What a process's open files are, by kind (socket, anon_inode, file path's folder...), for an EMFILE hunt. */
export function openFiles(pid: number): { total: number; byKind: Record<string, number> } {
  const byKind: Record<string, number> = {};
  let total = 0;
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    let target: string;
    try { target = readlinkSync(`/proc/${pid}/fd/${fd}`); } catch { continue; /* closed meanwhile */ }
    const kind = target.startsWith('/') ? path.dirname(target) : target.replace(/\[\d+\]$/, '').replace(/:$/, '');
    byKind[kind] = (byKind[kind] ?? 0) + 1;
    total += 1;
  }
  return { total, byKind };
}
