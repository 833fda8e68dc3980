/**
 * What the demo (`netatlas start` without a config file, or with `simulator.enabled`) adds to a
 * plain start: the demo inventory and areas when none are configured (the committed Brussels
 * files, or a resized inventory generated under the data dir), and SNMP settings that make the
 * simulated network come alive within a minute.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { parseAreasText } from '../server/inventory/areas.js';
import type { Logger } from '../core/log.js';
import { DEMO_DEFAULTS, demoDevicesHeader, generateDemoDevices, type DemoInventoryOptions } from './demo-inventory.js';

export const DEMO_REGION_DIR = fileURLToPath(new URL('../regions/brussels/', import.meta.url));
export const DEMO_DEVICES_FILE = path.join(DEMO_REGION_DIR, 'devices.yaml');
export const DEMO_AREAS_FILE = path.join(DEMO_REGION_DIR, 'areas.geojson');

/**
 * `collectors.snmp` for the demo when the config has none: a 15 s cycle so rates (two polls) show
 * within a minute, short timeouts (loopback), and the uplink deciding the status so a flapping
 * link shows as an outage.
 */
export const DEMO_SNMP_CONFIG = { intervalS: 15, timeoutMs: 1000, retries: 1, concurrency: 16, statusInterfaces: ['uplink*'] } as const;

export interface DemoSettings {
  dataDir: string;
  devicesFile?: string | undefined;
  areasFile?: string | undefined;
  avgHouseholdSize: number;
  simulator: {
    enabled: boolean;
    seed: number;
    fibreNodes?: number | undefined;
    wifiAps?: number | undefined;
    snmpBasePort: number;
    telemetryIntervalS: number;
  };
}

/**
 * The devices and areas files to load. Configured files win. Otherwise the demo's: the committed
 * inventory, unless the simulator's size (or seed, or ports, or telemetry interval) differs from
 * it, in which case an inventory of that size is generated into `<dataDir>/demo-devices.yaml`.
 */
export function demoInventoryFiles(s: DemoSettings, log: Logger): { devicesPath: string; areasPath: string; generated: boolean } {
  const areasPath = s.areasFile ?? DEMO_AREAS_FILE;
  if (s.devicesFile !== undefined) return { devicesPath: s.devicesFile, areasPath, generated: false };
  const sim = s.simulator;
  const wanted: DemoInventoryOptions = {
    ...DEMO_DEFAULTS,
    seed: sim.seed,
    fibreNodes: sim.fibreNodes ?? DEMO_DEFAULTS.fibreNodes,
    wifiAps: sim.wifiAps ?? DEMO_DEFAULTS.wifiAps,
    snmpBasePort: sim.snmpBasePort,
    telemetryIntervalS: sim.telemetryIntervalS,
  };
  const same = (Object.keys(DEMO_DEFAULTS) as (keyof DemoInventoryOptions)[]).every((k) => wanted[k] === DEMO_DEFAULTS[k]);
  if (same && areasPath === DEMO_AREAS_FILE) return { devicesPath: DEMO_DEVICES_FILE, areasPath, generated: false };
  const parsed = parseAreasText(readFileSync(areasPath, 'utf8'), areasPath, { avgHouseholdSize: s.avgHouseholdSize });
  if (!parsed.ok) throw new Error(`${areasPath}: ${parsed.errors.join('; ')}`);
  const devices = generateDemoDevices(parsed.value.areas, wanted);
  mkdirSync(s.dataDir, { recursive: true });
  const devicesPath = path.join(s.dataDir, 'demo-devices.yaml');
  writeFileSync(devicesPath, demoDevicesHeader(wanted) + stringify({ devices }));
  log.info({ devicesPath, fibreNodes: wanted.fibreNodes, wifiAps: wanted.wifiAps, seed: wanted.seed }, 'demo inventory generated for the configured simulator size');
  return { devicesPath, areasPath, generated: true };
}
