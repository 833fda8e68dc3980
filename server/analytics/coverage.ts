/**
 * Coverage per area and for the region (DESIGN.md "Definitions"):
 *
 * - fibre "as built" = Σ households passed by the fibre nodes in the area / households;
 *   "live" = Σ (households passed × the node's uptime in the window) / households. A node whose
 *   uptime is unknown (null) contributes nothing to live, and `fibre.liveCompleteness` says which
 *   share of the households passed had a known uptime. Values above 1 (estimated households
 *   below the passed count) are capped at 1 and flagged `capped`.
 * - wifi area coverage "as built" = area of (union of every AP's disc of radiusM) ∩ area / area.
 *   APs in neighbouring areas count for the part of their disc that falls inside. "live" weights
 *   each AP's share by its uptime: as built × Σ(aᵢ·uᵢ)/Σ aᵢ, aᵢ = AP i's disc area inside the
 *   area; exact when discs do not overlap, otherwise an approximation. Unknown uptime counts as 0.
 * - wifi population coverage = area coverage × households (households assumed spread evenly).
 * - region totals are sums over areas (covered households / households, covered m² / m²).
 */
import * as turf from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import type { Area } from '../inventory/areas.js';
import type { Device } from '../inventory/device.js';

export interface CoverageOptions {
  /** vertices per disc (turf circle steps); 32 keeps the area within 0.7 % of a true circle */
  circleSteps?: number;
  /** uptime (0..1 or null) of each device over the window; absent = live figures equal as built */
  uptimeByDevice?: ReadonlyMap<string, number | null>;
  cache?: CoverageCache;
}

export interface AreaCoverage {
  id: string;
  name: string;
  households: number;
  householdsEstimated: boolean;
  area_m2: number;
  fibre: {
    nodes: number;
    householdsPassed: number;
    asBuilt: number | null;
    live: number | null;
    liveCompleteness: number | null;
    capped: boolean;
  };
  wifi: {
    aps: number;
    coveredAsBuilt_m2: number;
    areaAsBuilt: number | null;
    areaLive: number | null;
    populationAsBuilt: number | null;
    populationLive: number | null;
    /** households covered (as built / live), for totals */
    householdsCoveredAsBuilt: number;
    householdsCoveredLive: number;
  };
}

export interface CoverageReport {
  areas: AreaCoverage[];
  region: Omit<AreaCoverage, 'id' | 'name'>;
}

/**
 * Caches the covered area per (area, set of discs): reports over many windows reuse the same
 * geometry, and the union/intersect is the only expensive step.
 */
export class CoverageCache {
  private readonly entries = new Map<string, { covered: number; perAp: number[] }>();
  get(key: string): { covered: number; perAp: number[] } | undefined { return this.entries.get(key); }
  set(key: string, v: { covered: number; perAp: number[] }): void {
    if (this.entries.size > 10_000) this.entries.clear(); // bounded; geometry rarely changes
    this.entries.set(key, v);
  }
}

const ratio = (n: number, d: number): number | null => (d > 0 ? n / d : null);

function disc(ap: Device, steps: number): Feature<Polygon> {
  return turf.circle([ap.location.lon, ap.location.lat], ap.radiusM ?? 50, { steps, units: 'meters' });
}

function bboxesTouch(a: number[], b: number[]): boolean {
  return !(a[2]! < b[0]! || b[2]! < a[0]! || a[3]! < b[1]! || b[3]! < a[1]!);
}

/** m² of the area covered by the union of the discs, and each disc's own m² inside the area. */
export function wifiCoveredM2(area: Area, aps: readonly Device[], steps = 32, cache?: CoverageCache): { covered: number; perAp: number[] } {
  const areaFeature: Feature<Polygon | MultiPolygon> = { type: 'Feature', properties: {}, geometry: area.geometry };
  const discs = aps.map((ap) => disc(ap, steps));
  const near = discs.map((d) => bboxesTouch(turf.bbox(d), area.bbox));
  const key = `${area.id}|${steps}|${aps.map((a, i) => (near[i] ? `${a.id}@${a.location.lon},${a.location.lat},${a.radiusM ?? 50}` : '')).join(';')}`;
  const hit = cache?.get(key);
  if (hit) return hit;
  const perAp = discs.map((d, i) => {
    if (!near[i]) return 0;
    const part = turf.intersect(turf.featureCollection([d, areaFeature]));
    return part ? turf.area(part) : 0;
  });
  const inside = discs.filter((_d, i) => perAp[i]! > 0);
  let covered = 0;
  if (inside.length > 0) {
    const union = inside.length === 1 ? inside[0]! : turf.union(turf.featureCollection(inside));
    const part = union ? turf.intersect(turf.featureCollection([union, areaFeature])) : null;
    covered = part ? turf.area(part) : 0;
  }
  const result = { covered, perAp };
  cache?.set(key, result);
  return result;
}

export function coverage(areas: readonly Area[], devices: readonly Device[], opts: CoverageOptions = {}): CoverageReport {
  const steps = opts.circleSteps ?? 32;
  const uptime = (id: string): number | null => (opts.uptimeByDevice ? opts.uptimeByDevice.get(id) ?? null : 1);
  const aps = devices.filter((d) => d.tech === 'wifi');
  const apsInRegion = new Set<string>();
  const list = areas.map((area): AreaCoverage => {
    const nodes = devices.filter((d) => d.tech === 'fibre' && d.area === area.id);
    const passed = nodes.reduce((s, n) => s + (n.householdsPassed ?? 0), 0);
    let liveSum = 0, knownPassed = 0;
    for (const n of nodes) {
      const u = uptime(n.id);
      if (u !== null) { liveSum += (n.householdsPassed ?? 0) * u; knownPassed += n.householdsPassed ?? 0; }
    }
    const asBuiltRaw = ratio(passed, area.households);
    const liveRaw = ratio(liveSum, area.households);
    const { covered, perAp } = wifiCoveredM2(area, aps, steps, opts.cache);
    perAp.forEach((a, i) => { if (a > 0) apsInRegion.add(aps[i]!.id); });
    const apM2 = perAp.reduce((s, a) => s + a, 0);
    const apLive = perAp.reduce((s, a, i) => s + a * (uptime(aps[i]!.id) ?? 0), 0);
    const areaAsBuilt = ratio(covered, area.areaM2);
    const liveFactor = apM2 > 0 ? apLive / apM2 : 0;
    const areaLive = areaAsBuilt === null ? null : areaAsBuilt * liveFactor;
    return {
      id: area.id,
      name: area.name,
      households: area.households,
      householdsEstimated: area.householdsEstimated,
      area_m2: area.areaM2,
      fibre: {
        nodes: nodes.length,
        householdsPassed: passed,
        asBuilt: asBuiltRaw === null ? null : Math.min(1, asBuiltRaw),
        live: liveRaw === null ? null : Math.min(1, liveRaw),
        liveCompleteness: ratio(knownPassed, passed),
        capped: (asBuiltRaw ?? 0) > 1,
      },
      wifi: {
        aps: perAp.filter((a) => a > 0).length,
        coveredAsBuilt_m2: covered,
        areaAsBuilt,
        areaLive,
        populationAsBuilt: area.households > 0 ? areaAsBuilt : null,
        populationLive: area.households > 0 ? areaLive : null,
        householdsCoveredAsBuilt: (areaAsBuilt ?? 0) * area.households,
        householdsCoveredLive: (areaLive ?? 0) * area.households,
      },
    };
  });
  return { areas: list, region: regionTotals(list, apsInRegion.size) };
}

function regionTotals(list: readonly AreaCoverage[], aps: number): CoverageReport['region'] {
  const sum = (f: (a: AreaCoverage) => number): number => list.reduce((s, a) => s + f(a), 0);
  const households = sum((a) => a.households);
  const m2 = sum((a) => a.area_m2);
  const passed = sum((a) => a.fibre.householdsPassed);
  const livePassed = sum((a) => (a.fibre.live ?? 0) * a.households);
  const knownWeighted = sum((a) => (a.fibre.liveCompleteness ?? 0) * a.fibre.householdsPassed);
  const covered = sum((a) => a.wifi.coveredAsBuilt_m2);
  const coveredLive = sum((a) => (a.wifi.areaLive ?? 0) * a.area_m2);
  const hhAsBuilt = sum((a) => a.wifi.householdsCoveredAsBuilt);
  const hhLive = sum((a) => a.wifi.householdsCoveredLive);
  // capped per area first: an area cannot lend its surplus of passed households to another
  const cappedPassed = sum((a) => (a.fibre.asBuilt ?? 0) * a.households);
  return {
    households,
    householdsEstimated: list.some((a) => a.householdsEstimated),
    area_m2: m2,
    fibre: {
      nodes: sum((a) => a.fibre.nodes),
      householdsPassed: passed,
      asBuilt: ratio(cappedPassed, households),
      live: ratio(livePassed, households),
      liveCompleteness: ratio(knownWeighted, passed),
      capped: list.some((a) => a.fibre.capped),
    },
    wifi: {
      aps,
      coveredAsBuilt_m2: covered,
      areaAsBuilt: ratio(covered, m2),
      areaLive: ratio(coveredLive, m2),
      populationAsBuilt: ratio(hhAsBuilt, households),
      populationLive: ratio(hhLive, households),
      householdsCoveredAsBuilt: hhAsBuilt,
      householdsCoveredLive: hhLive,
    },
  };
}
