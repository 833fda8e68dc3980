/**
 * The DESI connectivity report (DESIGN.md "Definitions", DESI 2022 numbering, dimension 2) per
 * area and for the region, for a period. Raw indicator values only, no composite score.
 *
 * Coverage indicators (2b2, 2b3, gigabit, public wifi) are "as built" from the inventory, like
 * DESI's own coverage figures; how often the network was actually up is the separate network
 * availability indicator. An indicator the data cannot support is `available: false` with the
 * reason and value null, never 0. Percentages are capped at 100 (estimated households may be
 * fewer than the households passed). The region is the union of the areas: devices outside
 * every area are left out of it.
 */
import type { Area } from '../inventory/areas.js';
import type { Device } from '../../core/device.js';
import type { CoverageReport } from './coverage.js';
import type { Period } from './period.js';
import { groupUptime, type UptimeResult } from './uptime.js';
import { csvRow } from '../csv.js';
import { CODE_SYSTEMS, digitalDecadeOf } from './desi-codes.js';
import type { DesiIndicator, DesiReport, DesiScope } from './body-schemas.js';

// the body types are z.infer of the schemas the OpenAPI document (and so the web's types) carries
export type Indicator = DesiIndicator;
export type { DesiScope, DesiReport };

export interface DesiInput {
  period: Period;
  areas: readonly Area[];
  devices: readonly Device[];
  /** each device's uptime over the period */
  uptimeByDevice: ReadonlyMap<string, UptimeResult>;
  /** coverage as built (coverage() without uptimes), for the wifi indicator */
  coverage: CoverageReport;
  avgHouseholdSize: number;
  now: number;
}

const FTTP = new Set(['ftth', 'fttb']);
const VHCN = new Set(['ftth', 'fttb', 'docsis31']);
const pct = (n: number, d: number): number => Math.min(100, (100 * n) / d);
const share = (n: number, d: number): number | null => (d > 0 ? n / d : null);

const NOT_AVAILABLE: readonly { code: string; name: string; definition: string; reason: string }[] = [
  { code: '2b1', name: 'Fixed NGA coverage', definition: 'Households covered by VDSL, VDSL2 vectoring, cable DOCSIS 3.0/3.1 or FTTP, % of households.', reason: 'needs copper (VDSL) and cable network data, which netatlas does not monitor' },
  { code: '2c', name: 'Mobile broadband (4G coverage, 5G spectrum, mobile take-up)', definition: 'DESI 2c1, 2c2, 2c4: 4G coverage, 5G spectrum assigned and mobile broadband take-up (5G coverage, 2c3, is listed on its own).', reason: 'netatlas monitors fixed fibre and public wifi only; it has no mobile network data' },
  { code: '2c3', name: '5G coverage (Digital Decade KPI)', definition: 'Populated areas (DESI: households) covered by 5G of any operator, % of households.', reason: 'netatlas monitors fixed fibre and public wifi only: it has no mobile network, antenna or spectrum data, so 5G coverage cannot be computed (use the operators\' or the regulator\'s coverage maps)' },
  { code: '2d', name: 'Broadband price index', definition: 'DESI 2d1: price index of fixed, mobile and converged retail offers.', reason: 'retail prices are not network data; netatlas has none' },
];

function scopeIndicators(input: DesiInput, devices: readonly Device[], households: number, estimated: boolean, wifiPopulation: number | null): Indicator[] {
  const period = input.period.label;
  const hhMeta = { householdsEstimated: estimated, avgHouseholdSize: estimated ? input.avgHouseholdSize : null };
  const base = (code: string, name: string, definition: string, unit: string) => {
    const dd = digitalDecadeOf(code);
    return { code, name, definition, unit, period, ...hhMeta, digitalDecadeCodes: [...dd.codes], digitalDecadeDifference: dd.difference };
  };
  const na = (b: ReturnType<typeof base>, reason: string): Indicator => ({ ...b, value: null, available: false, reason, completeness: null });
  const inventoryFibre = input.devices.filter((d) => d.tech === 'fibre');
  const fibre = devices.filter((d) => d.tech === 'fibre');
  const wifi = devices.filter((d) => d.tech === 'wifi');
  const out: Indicator[] = [];

  const coverageOf = (code: string, name: string, definition: string, techs: ReadonlySet<string>): Indicator => {
    const b = base(code, name, definition, '% of households');
    if (!inventoryFibre.some((d) => d.householdsPassed !== undefined)) return na(b, 'the inventory has no fibre nodes with householdsPassed');
    if (households <= 0) return na(b, 'no households in this scope');
    const passed = fibre.filter((d) => d.accessTech !== undefined && techs.has(d.accessTech)).reduce((s, d) => s + (d.householdsPassed ?? 0), 0);
    const complete = fibre.filter((d) => d.householdsPassed !== undefined && d.accessTech !== undefined).length;
    // nodes here but none with the figures: unknown, not 0 (no nodes at all: truly 0 passed)
    if (fibre.length > 0 && complete === 0) return { ...na(b, 'no fibre node in this scope has householdsPassed and accessTech'), completeness: 0 };
    return { ...b, value: pct(passed, households), available: true, completeness: share(complete, fibre.length) };
  };
  out.push(coverageOf('2b3', 'FTTP coverage', 'Households passed by fibre to the premises (FTTH, FTTB) of the monitored network, % of households.', FTTP));
  const vhcn = coverageOf('2b2', 'Fixed very high capacity network (VHCN) coverage', 'Households passed by FTTH, FTTB or cable DOCSIS 3.1 nodes of the monitored network, % of households.', VHCN);
  out.push(vhcn);
  const gigabit = digitalDecadeOf('DD-gigabit');
  out.push({ ...vhcn, code: 'DD-gigabit', name: 'Gigabit coverage (Digital Decade KPI)', definition: 'Equal to fixed VHCN coverage (2b2), as in the Digital Decade gigabit target.', digitalDecadeCodes: [...gigabit.codes], digitalDecadeDifference: gigabit.difference });

  const takeUp = (code: string, name: string, field: 'total' | 'atLeast100Mbps' | 'atLeast1Gbps', what: string): Indicator => {
    const b = base(code, name, `Households subscribing to fixed broadband ${what} on the monitored network, % of households.`, '% of households');
    const has = (d: Device): boolean => d.subscriptions !== undefined && d.subscriptions[field] !== undefined;
    if (!inventoryFibre.some(has)) return na(b, `the inventory has no subscription counts (devices[].subscriptions.${field})`);
    if (households <= 0) return na(b, 'no households in this scope');
    const n = fibre.filter(has).reduce((s, d) => s + (d.subscriptions![field] ?? 0), 0);
    if (fibre.length > 0 && !fibre.some(has)) return { ...na(b, `no fibre node in this scope has subscriptions.${field}`), completeness: 0 };
    return { ...b, value: pct(n, households), available: true, completeness: share(fibre.filter(has).length, fibre.length) };
  };
  out.push(takeUp('2a1', 'Overall fixed broadband take-up', 'total', 'of any speed'));
  out.push(takeUp('2a2', 'At least 100 Mbps fixed broadband take-up', 'atLeast100Mbps', 'of at least 100 Mbps'));
  out.push(takeUp('2a3', 'At least 1 Gbps take-up', 'atLeast1Gbps', 'of at least 1 Gbps'));

  const known = (d: Device): boolean => { const u = input.uptimeByDevice.get(d.id); return u !== undefined && u.up_ms + u.down_ms > 0; };
  const byGrid = input.coverage.region.wifi.populationSpread === 'grid';
  const wifiB = base('R-wifi-population', 'Public wifi coverage of population', `Households within the coverage disc (radiusM) of a public wifi AP, households ${byGrid ? 'placed by the population grid within each area' : 'spread evenly in each area'}, % of households.`, '% of households');
  if (!input.devices.some((d) => d.tech === 'wifi')) out.push(na(wifiB, 'the inventory has no wifi access points'));
  else if (households <= 0 || wifiPopulation === null) out.push(na(wifiB, 'no households in this scope'));
  else out.push({ ...wifiB, value: Math.min(100, 100 * wifiPopulation), available: true, completeness: share(wifi.filter(known).length, wifi.length) });

  const availB = { ...base('R-availability', 'Network availability', 'Σ up time / Σ (up + down) time of the monitored devices over the period; unknown time and maintenance excluded.', '%'), householdsEstimated: false, avgHouseholdSize: null };
  const members = devices.map((d) => input.uptimeByDevice.get(d.id)).filter((u): u is UptimeResult => u !== undefined).map((result) => ({ result }));
  const g = groupUptime(members);
  if (devices.length === 0) out.push({ ...na(availB, 'no monitored devices in this scope'), householdsEstimated: false, avgHouseholdSize: null });
  else if (g.uptime === null) out.push({ ...na(availB, 'no device had known status in the period'), householdsEstimated: false, avgHouseholdSize: null, completeness: 0 });
  else out.push({ ...availB, value: 100 * g.uptime, available: true, completeness: share(devices.filter(known).length, devices.length) });

  for (const x of NOT_AVAILABLE) out.push({ ...na(base(x.code, x.name, x.definition, '—'), x.reason), householdsEstimated: false, avgHouseholdSize: null });
  return out;
}

export function desiReport(input: DesiInput): DesiReport {
  const areaIds = new Set(input.areas.map((a) => a.id));
  const inRegion = input.devices.filter((d) => areaIds.has(d.area));
  const cov = new Map(input.coverage.areas.map((c) => [c.id, c]));
  const regionHouseholds = input.areas.reduce((s, a) => s + a.households, 0);
  const regionEstimated = input.areas.some((a) => a.householdsEstimated);
  const scopes: DesiScope[] = [{
    scope: 'region', id: '', name: 'region', households: regionHouseholds,
    indicators: scopeIndicators(input, inRegion, regionHouseholds, regionEstimated, input.coverage.region.wifi.populationAsBuilt),
  }];
  for (const a of input.areas) {
    scopes.push({
      scope: 'area', id: a.id, name: a.name, households: a.households,
      indicators: scopeIndicators(input, inRegion.filter((d) => d.area === a.id), a.households, a.householdsEstimated, cov.get(a.id)?.wifi.populationAsBuilt ?? null),
    });
  }
  return { period: input.period.label, from: new Date(input.period.from).toISOString(), to: new Date(input.period.to).toISOString(), generatedAt: new Date(input.now).toISOString(), codeSystems: CODE_SYSTEMS, scopes };
}

export const CSV_HEADER = [
  'scope', 'area_id', 'area_name', 'code', 'name', 'unit', 'value', 'available', 'reason', 'period',
  'completeness', 'households_estimated', 'avg_household_size', 'definition',
  'digital_decade_codes', 'digital_decade_difference',
] as const;

/**
 * RFC 4180 CSV (server/csv.ts: text cells that could start a formula are escaped), one row per
 * scope × indicator, columns in CSV_HEADER order (stable; new columns only ever appended).
 * `digital_decade_codes` holds the hub's codes separated by spaces.
 */
export function toCsv(report: DesiReport): string {
  const rows = [CSV_HEADER.join(',')];
  for (const s of report.scopes) {
    for (const i of s.indicators) {
      rows.push(csvRow([s.scope, s.id, s.name, i.code, i.name, i.unit, i.value, i.available, i.reason, i.period, i.completeness, i.householdsEstimated, i.avgHouseholdSize, i.definition, i.digitalDecadeCodes.map((c) => c.code).join(' '), i.digitalDecadeDifference]));
    }
  }
  return rows.join('\r\n') + '\r\n';
}
