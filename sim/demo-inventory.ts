/**
 * The demo inventory generator: fibre access nodes (OLTs) and public wifi APs for a region's
 * areas, sized by population, placed inside the areas, deterministic for a seed. Pure: the areas
 * come in, devices go out; scripts/build-demo-devices.ts writes regions/brussels/devices.yaml with
 * the defaults, and the service generates a smaller or larger one when the simulator's size is
 * configured.
 *
 * Households passed: each area gets a fibre share drawn between 18 % and 38 % of its households,
 * split over its nodes, so the region's FTTP coverage lands near 25 %. That is plausible for a
 * Belgian city: Belgium had about 17 % FTTP coverage in 2022 (DESI 2022 country report), with
 * Brussels among the early roll-outs. The figures are invented for the demo; do not quote them.
 */
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import type { MultiPolygon, Polygon } from 'geojson';
import type { Device } from '../core/device.js';
import { apportion, createRng, type Rng } from './rng.js';

/** What the generator reads of an area (server/inventory's Area has it): sim/ depends on no server part. */
export interface DemoArea {
  id: string;
  name: string;
  population: number;
  households: number;
  geometry: Polygon | MultiPolygon;
  /** [minLon, minLat, maxLon, maxLat] */
  bbox: [number, number, number, number];
  properties: Record<string, unknown>;
}

/** A device as an inventory file writes it (its area is derived from its location on load). */
export type DeviceInput = Omit<Device, 'area'>;

export interface DemoInventoryOptions {
  seed: number;
  /** fibre access nodes in the whole region (default 60) */
  fibreNodes: number;
  /** public wifi APs in the whole region (default 400) */
  wifiAps: number;
  /** SNMP port of the first fibre node; node i listens on snmpBasePort + i */
  snmpBasePort: number;
  /** AP telemetry interval */
  telemetryIntervalS: number;
}

export const DEMO_DEFAULTS: DemoInventoryOptions = {
  seed: 7,
  fibreNodes: 60,
  wifiAps: 400,
  snmpBasePort: 16100,
  telemetryIntervalS: 10,
};

/** v2c community of the simulated agents (loopback only). */
export const DEMO_COMMUNITY = 'public';

/** A random point inside the area (rejection sampling in its bounding box; bounded tries). */
function pointIn(area: DemoArea, rng: Rng): { lat: number; lon: number } {
  const [minLon, minLat, maxLon, maxLat] = area.bbox;
  for (let i = 0; i < 10_000; i++) {
    const lon = rng.range(minLon, maxLon);
    const lat = rng.range(minLat, maxLat);
    if (booleanPointInPolygon([lon, lat], area.geometry)) return { lat: round6(lat), lon: round6(lon) };
  }
  throw new Error(`area ${area.id}: no point found inside it after 10 000 tries`);
}

/** A point near `c` (within about `radiusM`) that is still inside the area, else `c` itself. */
function near(c: { lat: number; lon: number }, radiusM: number, area: DemoArea, rng: Rng): { lat: number; lon: number } {
  for (let i = 0; i < 20; i++) {
    const dLat = rng.range(-radiusM, radiusM) / 111_320;
    const dLon = rng.range(-radiusM, radiusM) / (111_320 * Math.cos((c.lat * Math.PI) / 180));
    const p = { lat: round6(c.lat + dLat), lon: round6(c.lon + dLon) };
    if (booleanPointInPolygon([p.lon, p.lat], area.geometry)) return p;
  }
  return c;
}

const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;
const pad = (n: number, w: number): string => String(n).padStart(w, '0');
const shortName = (a: DemoArea): string => String(a.properties['name_fr'] ?? a.name.split(' / ')[0] ?? a.name);

export function generateDemoDevices(areas: readonly DemoArea[], o: DemoInventoryOptions): DeviceInput[] {
  const rng = createRng(o.seed);
  const sorted = [...areas].sort((a, b) => a.id.localeCompare(b.id));
  const pops = sorted.map((a) => a.population);
  const fibrePer = apportion(o.fibreNodes, pops, o.fibreNodes >= sorted.length ? 1 : 0);
  const wifiPer = apportion(o.wifiAps, pops, o.wifiAps >= sorted.length ? 1 : 0);
  const fibre: DeviceInput[] = [];
  const wifi: DeviceInput[] = [];
  sorted.forEach((area, ai) => {
    const nodes = fibrePer[ai]!;
    const share = rng.range(0.18, 0.38);
    const passed = apportion(Math.round(area.households * share), Array.from({ length: nodes }, () => rng.range(0.7, 1.3)));
    for (let k = 0; k < nodes; k++) {
      const index = fibre.length;
      const roll = rng.next();
      fibre.push({
        id: `olt-${area.id}-${pad(k + 1, 2)}`,
        tech: 'fibre',
        site: `${shortName(area)} POP ${k + 1}`,
        location: pointIn(area, rng),
        snmp: { host: '127.0.0.1', port: o.snmpBasePort + index, version: '2c', community: DEMO_COMMUNITY },
        householdsPassed: passed[k]!,
        accessTech: roll < 0.65 ? 'ftth' : roll < 0.9 ? 'fttb' : 'docsis31',
      });
    }
    // APs come in hotspots (a square, a library, a station) of 2 to 6 APs within ~70 m.
    let left = wifiPer[ai]!;
    let site = 0;
    let n = 0;
    while (left > 0) {
      site += 1;
      const size = Math.min(left, rng.int(2, 6));
      const centre = pointIn(area, rng);
      for (let k = 0; k < size; k++) {
        n += 1;
        wifi.push({
          id: `ap-${area.id}-${pad(n, 3)}`,
          tech: 'wifi',
          site: `${shortName(area)} wifi ${site}`,
          location: k === 0 ? centre : near(centre, 70, area, rng),
          radiusM: rng.pick([40, 50, 50, 60, 75]),
          intervalS: o.telemetryIntervalS,
        });
      }
      left -= size;
    }
  });
  return [...fibre, ...wifi];
}

/** The YAML text of a generated inventory, with a header saying where it comes from. */
export function demoDevicesHeader(o: DemoInventoryOptions): string {
  return [
    '# The demo inventory of the Brussels-Capital Region: INVENTED devices for the simulated network.',
    `# Generated by scripts/build-demo-devices.ts (seed ${o.seed}, ${o.fibreNodes} fibre nodes, ${o.wifiAps} wifi APs);`,
    '# do not edit by hand: change the generator and run `npx tsx scripts/build-demo-devices.ts`.',
    `# Fibre node i answers SNMP on 127.0.0.1:${o.snmpBasePort}+i; the demo moves the block when those ports are taken.`,
    '# Households passed give a region FTTP coverage near 25 % (Belgium: ~17 % FTTP in 2022, DESI).',
    '',
  ].join('\n');
}
