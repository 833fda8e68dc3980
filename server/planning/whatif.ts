/**
 * What-if: the same coverage, gaps and DESI computations as /api/coverage, /api/gaps and the DESI
 * report, run on the inventory plus proposed APs and fibre nodes, and the difference. Nothing
 * proposed is written anywhere: the proposals are Device objects that live for one call.
 *
 * - coverage figures (fibre as built, wifi area and population as built) and the DESI coverage
 *   indicators they feed (2b3, 2b2, DD-gigabit, R-wifi-population): before, after, change, per
 *   area and for the region;
 * - newly covered households = uncovered before − uncovered after, uncovered being the gaps'
 *   households × (1 − fibre share) × (1 − wifi share) summed over H3 cells (gaps.ts), on a finer
 *   grid (`resolution`, default 11 when an AP disc is under 100 m, else 9) in the areas the
 *   proposals change; population = households × the area's population / households;
 * - a fibre node's households passed count towards its area, capped by the area's households
 *   (coverage.ts caps the share at 1);
 * - remaining gaps: the worst cells after the proposals in the changed areas (that grid), and
 *   per area the uncovered households (resolution 9 elsewhere, where nothing changes).
 */
import type { Feature, Polygon } from 'geojson';
import type { Area } from '../inventory/areas.js';
import type { Device } from '../../core/device.js';
import { areaOf } from '../inventory/locate.js';
import { coverage, type CoverageCache, type CoverageReport } from '../analytics/coverage.js';
import { desiReport, type Indicator } from '../analytics/desi.js';
import { gaps, type GapProperties } from '../analytics/gaps.js';
import { parsePeriod } from '../analytics/period.js';
import type { HouseholdDensity } from '../inventory/population-grid.js';
import type { z } from 'zod';
import type { CHANGE, DESI_CHANGE, SCOPE_RESULT, WHAT_IF_RESULT } from './plan-body-schemas.js';

export interface ProposedAp { lat: number; lon: number; radiusM: number; id?: string | undefined }
export interface ProposedFibreNode { lat: number; lon: number; householdsPassed: number; accessTech: 'ftth' | 'fttb' | 'docsis31' | 'other'; id?: string | undefined }

export interface WhatIfInput {
  areas: readonly Area[];
  devices: readonly Device[];
  aps: readonly ProposedAp[];
  fibreNodes: readonly ProposedFibreNode[];
  resolution?: number | undefined;
  gapsLimit?: number | undefined;
  avgHouseholdSize: number;
  now: number;
  cache?: CoverageCache | undefined;
  /** the inventory's population grid, when one is configured (as /api/coverage and /api/gaps use it) */
  density?: HouseholdDensity | undefined;
}

// the answer's types are z.infer of the body schemas (the API documents them)
export type Change = z.infer<typeof CHANGE>;
export type DesiChange = z.infer<typeof DESI_CHANGE>;
export type ScopeResult = z.infer<typeof SCOPE_RESULT>;
export type WhatIfResult = z.infer<typeof WHAT_IF_RESULT>;

const DESI_CODES = ['2b3', '2b2', 'DD-gigabit', 'R-wifi-population'];

const change = (before: number | null, after: number | null): Change => ({ before, after, change: before === null || after === null ? null : after - before });

export function proposedDevices(areas: readonly Area[], aps: readonly ProposedAp[], nodes: readonly ProposedFibreNode[]): Device[] {
  return [
    ...aps.map((a, i): Device => ({ id: a.id ?? `proposed-ap-${i + 1}`, tech: 'wifi', site: 'proposed', location: { lat: a.lat, lon: a.lon }, area: areaOf(a.lon, a.lat, areas), radiusM: a.radiusM })),
    ...nodes.map((n, i): Device => ({ id: n.id ?? `proposed-fibre-${i + 1}`, tech: 'fibre', site: 'proposed', location: { lat: n.lat, lon: n.lon }, area: areaOf(n.lon, n.lat, areas), householdsPassed: n.householdsPassed, accessTech: n.accessTech })),
  ];
}

/** uncovered households per area id: Σ over the area's gap cells */
function uncoveredByArea(cells: readonly Feature<Polygon, GapProperties>[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const c of cells) m.set(c.properties.area, (m.get(c.properties.area) ?? 0) + c.properties.uncoveredHouseholds);
  return m;
}

const fibreShares = (c: CoverageReport): Map<string, number | null> => new Map(c.areas.map((a) => [a.id, a.fibre.asBuilt]));

function desiChanges(input: WhatIfInput, before: CoverageReport, after: CoverageReport, devicesAfter: readonly Device[]): Map<string, DesiChange[]> {
  const period = parsePeriod(String(new Date(input.now).getUTCFullYear()));
  if (!period.ok) throw new Error(period.error);
  const common = { period: period.period, areas: input.areas, uptimeByDevice: new Map(), avgHouseholdSize: input.avgHouseholdSize, now: input.now };
  const b = desiReport({ ...common, devices: input.devices, coverage: before });
  const a = desiReport({ ...common, devices: devicesAfter, coverage: after });
  const out = new Map<string, DesiChange[]>();
  b.scopes.forEach((scope, s) => {
    const pick = (list: readonly Indicator[]): Indicator[] => list.filter((i) => DESI_CODES.includes(i.code));
    const afterList = pick(a.scopes[s]!.indicators);
    out.set(scope.scope === 'region' ? '' : scope.id, pick(scope.indicators).map((i, k) => ({ code: i.code, name: i.name, unit: i.unit, ...change(i.value, afterList[k]!.value) })));
  });
  return out;
}

export function whatIf(input: WhatIfInput): WhatIfResult {
  const proposed = proposedDevices(input.areas, input.aps, input.fibreNodes);
  const after = [...input.devices, ...proposed];
  const covBefore = coverage(input.areas, input.devices, { cache: input.cache, density: input.density });
  const covAfter = coverage(input.areas, after, { cache: input.cache, density: input.density });
  const minRadius = Math.min(Infinity, ...input.aps.map((a) => a.radiusM));
  const resolution = input.resolution ?? (minRadius < 100 ? 11 : 9);

  const changedIds = new Set<string>();
  covBefore.areas.forEach((b, i) => {
    const a = covAfter.areas[i]!;
    if (a.fibre.householdsPassed !== b.fibre.householdsPassed || Math.abs(a.wifi.coveredAsBuilt_m2 - b.wifi.coveredAsBuilt_m2) > 1e-6 || a.wifi.aps !== b.wifi.aps) changedIds.add(b.id);
  });
  const changed = input.areas.filter((a) => changedIds.has(a.id));
  // the whole region at the default resolution (cached per areas version, as /api/gaps)
  const coarse = uncoveredByArea(gaps(input.areas, input.devices, { fibreShareByArea: fibreShares(covBefore), density: input.density }).features);
  let fineBefore = new Map<string, number>(), fineAfter = new Map<string, number>();
  let remaining: Feature<Polygon, GapProperties>[] = [];
  if (changed.length > 0) {
    fineBefore = uncoveredByArea(gaps(changed, input.devices, { resolution, fibreShareByArea: fibreShares(covBefore), density: input.density }).features);
    const fcAfter = gaps(changed, after, { resolution, fibreShareByArea: fibreShares(covAfter), density: input.density });
    fineAfter = uncoveredByArea(fcAfter.features);
    remaining = fcAfter.features.slice(0, input.gapsLimit ?? 50);
  }
  const desi = desiChanges(input, covBefore, covAfter, after);

  const areas = input.areas.map((area, i): ScopeResult => {
    const b = covBefore.areas[i]!, a = covAfter.areas[i]!;
    const newly = changedIds.has(area.id) ? Math.max(0, (fineBefore.get(area.id) ?? 0) - (fineAfter.get(area.id) ?? 0)) : 0;
    const before = coarse.get(area.id) ?? 0;
    const perHousehold = area.households > 0 ? area.population / area.households : 0;
    return {
      id: area.id, name: area.name, households: area.households, population: area.population, changed: changedIds.has(area.id),
      proposed: { aps: proposed.filter((d) => d.tech === 'wifi' && d.area === area.id).length, fibreNodes: proposed.filter((d) => d.tech === 'fibre' && d.area === area.id).length },
      newlyCoveredHouseholds: newly, newlyCoveredPopulation: newly * perHousehold,
      uncoveredHouseholds: { before, after: Math.max(0, before - newly) },
      coverage: { fibre: change(b.fibre.asBuilt, a.fibre.asBuilt), wifiArea: change(b.wifi.areaAsBuilt, a.wifi.areaAsBuilt), wifiPopulation: change(b.wifi.populationAsBuilt, a.wifi.populationAsBuilt) },
      desi: desi.get(area.id) ?? [],
    };
  });
  const sum = (f: (s: ScopeResult) => number): number => areas.reduce((t, s) => t + f(s), 0);
  const rb = covBefore.region, ra = covAfter.region;
  const region: WhatIfResult['region'] = {
    households: rb.households, population: input.areas.reduce((t, a) => t + a.population, 0), changed: changedIds.size > 0,
    proposed: { aps: proposed.filter((d) => d.tech === 'wifi').length, fibreNodes: proposed.filter((d) => d.tech === 'fibre').length },
    newlyCoveredHouseholds: sum((s) => s.newlyCoveredHouseholds), newlyCoveredPopulation: sum((s) => s.newlyCoveredPopulation),
    uncoveredHouseholds: { before: sum((s) => s.uncoveredHouseholds.before), after: sum((s) => s.uncoveredHouseholds.after) },
    coverage: { fibre: change(rb.fibre.asBuilt, ra.fibre.asBuilt), wifiArea: change(rb.wifi.areaAsBuilt, ra.wifi.areaAsBuilt), wifiPopulation: change(rb.wifi.populationAsBuilt, ra.wifi.populationAsBuilt) },
    desi: desi.get('') ?? [],
  };
  return { resolution, region, areas, remainingGaps: remaining };
}
