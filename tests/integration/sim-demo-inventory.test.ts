/**
 * The committed demo inventory is the generator's output (so it can be regenerated, not
 * hand-edited), is valid, places every device inside an area, sizes the network by population, and
 * gives a plausible FTTP coverage.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEFAULT_AVERAGE_HOUSEHOLD_SIZE } from '../../server/config-schema.js';
import { parseAreasText } from '../../server/inventory/areas.js';
import { loadInventory } from '../../server/inventory/loader.js';
import { DEMO_DEFAULTS, generateDemoDevices } from '../../sim/demo-inventory.js';
import { DEMO_AREAS_FILE, DEMO_DEVICES_FILE } from '../../server/inventory/inventory-files.js';

const areas = (() => {
  const r = parseAreasText(readFileSync(DEMO_AREAS_FILE, 'utf8'), DEMO_AREAS_FILE, { avgHouseholdSize: DEFAULT_AVERAGE_HOUSEHOLD_SIZE });
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.value.areas;
})();

describe('the Brussels demo inventory', () => {
  it('is exactly what scripts/build-demo-devices.ts generates with the default seed', () => {
    const committed = parse(readFileSync(DEMO_DEVICES_FILE, 'utf8')) as { devices: unknown[] };
    expect(committed.devices).toEqual(JSON.parse(JSON.stringify(generateDemoDevices(areas, DEMO_DEFAULTS))));
  });

  it('loads as a valid inventory of 60 fibre nodes and 400 APs, each inside an area', async () => {
    const r = await loadInventory({ devicesPath: DEMO_DEVICES_FILE, areasPath: DEMO_AREAS_FILE, avgHouseholdSize: DEFAULT_AVERAGE_HOUSEHOLD_SIZE });
    if (!r.ok) throw new Error(r.errors.join('\n'));
    const devices = r.inventory.devices;
    expect(devices.filter((d) => d.tech === 'fibre')).toHaveLength(60);
    expect(devices.filter((d) => d.tech === 'wifi')).toHaveLength(400);
    expect(r.inventory.outside).toEqual([]);
    // ids carry the NIS code of the municipality they were placed in
    for (const d of devices) expect(d.id.split('-')[1]).toBe(d.area);
  });

  it('gives every municipality devices in proportion to its population', () => {
    const devices = generateDemoDevices(areas, DEMO_DEFAULTS);
    const byArea = (id: string, tech: string): number => devices.filter((d) => d.tech === tech && d.id.split('-')[1] === id).length;
    const pop = (id: string): number => areas.find((a) => a.id === id)!.population;
    for (const a of areas) {
      expect(byArea(a.id, 'fibre')).toBeGreaterThanOrEqual(1);
      expect(byArea(a.id, 'wifi')).toBeGreaterThanOrEqual(1);
    }
    // Bruxelles (21004, 185 103 inhabitants) has more of both than Koekelberg (21011, 21 959)
    expect(pop('21004')).toBeGreaterThan(pop('21011'));
    expect(byArea('21004', 'wifi')).toBeGreaterThan(3 * byArea('21011', 'wifi'));
    expect(byArea('21004', 'fibre')).toBeGreaterThan(byArea('21011', 'fibre'));
  });

  it('passes 20 to 40 % of the region\'s households with FTTP (FTTH/FTTB) nodes', () => {
    const devices = generateDemoDevices(areas, DEMO_DEFAULTS);
    const households = areas.reduce((s, a) => s + a.households, 0);
    const fttp = devices.filter((d) => d.accessTech === 'ftth' || d.accessTech === 'fttb').reduce((s, d) => s + d.householdsPassed!, 0);
    expect(fttp / households).toBeGreaterThan(0.2);
    expect(fttp / households).toBeLessThan(0.4);
  });

  it('puts fibre node i on SNMP port 16100 + i and is the same for the same seed, different for another', () => {
    const a = generateDemoDevices(areas, DEMO_DEFAULTS);
    expect(a.filter((d) => d.snmp).map((d) => d.snmp!.port)).toEqual(Array.from({ length: 60 }, (_, i) => 16100 + i));
    expect(generateDemoDevices(areas, DEMO_DEFAULTS)).toEqual(a);
    const b = generateDemoDevices(areas, { ...DEMO_DEFAULTS, seed: 8 });
    expect(b.map((d) => d.location)).not.toEqual(a.map((d) => d.location));
    const small = generateDemoDevices(areas, { ...DEMO_DEFAULTS, fibreNodes: 6, wifiAps: 20 });
    expect(small.filter((d) => d.tech === 'fibre')).toHaveLength(6);
    expect(small.filter((d) => d.tech === 'wifi')).toHaveLength(20);
  });
});
