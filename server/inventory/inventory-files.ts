/**
 * Which inventory files the service loads: the configured ones, else the demo region's
 * (regions/brussels/). With the simulator on and a simulator size (or seed, ports, telemetry
 * interval) other than the committed inventory's, an inventory of that size is generated into
 * `<dataDir>/demo-devices.yaml`; only then is the simulator's generator (sim/) loaded, by a
 * dynamic import, so a deployment with its own files never loads sim/.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import type { Logger } from '../../core/log.js';
import { parseAreasText } from './areas.js';

export const DEMO_REGION_DIR = fileURLToPath(new URL('../../regions/brussels/', import.meta.url));
export const DEMO_DEVICES_FILE = path.join(DEMO_REGION_DIR, 'devices.yaml');
export const DEMO_AREAS_FILE = path.join(DEMO_REGION_DIR, 'areas.geojson');

export interface InventoryFileSettings {
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

export interface InventoryFiles {
  devicesPath: string;
  areasPath: string;
  /** true when the demo devices were generated for the simulator's size */
  generated: boolean;
}

export async function inventoryFiles(s: InventoryFileSettings, log: Logger): Promise<InventoryFiles> {
  const areasPath = s.areasFile ?? DEMO_AREAS_FILE;
  if (s.devicesFile !== undefined) return { devicesPath: s.devicesFile, areasPath, generated: false };
  // without the simulator the demo devices answer nothing anyway: the committed file serves
  if (!s.simulator.enabled && areasPath === DEMO_AREAS_FILE) return { devicesPath: DEMO_DEVICES_FILE, areasPath, generated: false };
  const { DEMO_DEFAULTS, demoDevicesHeader, generateDemoDevices } = await import('../../sim/demo-inventory.js');
  const sim = s.simulator;
  const wanted = {
    ...DEMO_DEFAULTS,
    seed: sim.seed,
    fibreNodes: sim.fibreNodes ?? DEMO_DEFAULTS.fibreNodes,
    wifiAps: sim.wifiAps ?? DEMO_DEFAULTS.wifiAps,
    snmpBasePort: sim.snmpBasePort,
    telemetryIntervalS: sim.telemetryIntervalS,
  };
  const same = (Object.keys(DEMO_DEFAULTS) as (keyof typeof DEMO_DEFAULTS)[]).every((k) => wanted[k] === DEMO_DEFAULTS[k]);
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
