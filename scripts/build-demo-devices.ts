/**
 * Writes regions/brussels/devices.yaml, the demo inventory, from regions/brussels/areas.geojson
 * with the generator's defaults (sim/demo-inventory.ts). Deterministic: running it again gives the
 * same file, and tests/unit check that the committed file is the generator's output.
 *
 *   npx tsx scripts/build-demo-devices.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { parseAreasText } from '../server/inventory/areas.js';
import { DEFAULT_AVERAGE_HOUSEHOLD_SIZE } from '../server/config-schema.js';
import { DEMO_DEFAULTS, demoDevicesHeader, generateDemoDevices } from '../sim/demo-inventory.js';

const dir = fileURLToPath(new URL('../regions/brussels/', import.meta.url));
const areasFile = `${dir}areas.geojson`;
const parsed = parseAreasText(readFileSync(areasFile, 'utf8'), areasFile, { avgHouseholdSize: DEFAULT_AVERAGE_HOUSEHOLD_SIZE });
if (!parsed.ok) throw new Error(`${areasFile}: ${parsed.errors.join('; ')}`);
const devices = generateDemoDevices(parsed.value.areas, DEMO_DEFAULTS);
writeFileSync(`${dir}devices.yaml`, demoDevicesHeader(DEMO_DEFAULTS) + stringify({ devices }));
const households = parsed.value.areas.reduce((s, a) => s + a.households, 0);
const fttp = devices.filter((d) => d.accessTech === 'ftth' || d.accessTech === 'fttb').reduce((s, d) => s + (d.householdsPassed ?? 0), 0);
process.stdout.write(`${dir}devices.yaml: ${devices.length} devices; FTTP ${(100 * fttp / households).toFixed(1)} % of ${households} households\n`);
