import { describe, expect, it } from 'vitest';
import { parseAreas } from '../../server/inventory/areas.js';
import type { Device } from '../../core/device.js';
import { coverage } from '../../server/analytics/coverage.js';
import { desiReport, toCsv, CSV_HEADER, type DesiScope } from '../../server/analytics/desi.js';
import { parsePeriod } from '../../server/analytics/period.js';
import type { UptimeResult } from '../../server/analytics/uptime.js';

const sq = (x0: number) => ({ type: 'Polygon', coordinates: [[[x0, 0], [x0 + 0.01, 0], [x0 + 0.01, 0.01], [x0, 0.01], [x0, 0]]] });
const parsed = parseAreas({
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', properties: { id: 'A', name: 'Alpha', population: 2000, households: 1000 }, geometry: sq(0) },
    { type: 'Feature', properties: { id: 'B', name: 'Beta', population: 420 }, geometry: sq(0.02) }, // 420 / 2.1 = 200
    { type: 'Feature', properties: { id: 'C', name: 'Gamma, empty', population: 210 }, geometry: sq(0.04) }, // 100
  ],
}, { avgHouseholdSize: 2.1 });
if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
const areas = parsed.areas;
const at = { lat: 0.005, lon: 0.005 };
const devices: Device[] = [
  { id: 'f1', tech: 'fibre', site: 's', area: 'A', location: at, householdsPassed: 300, accessTech: 'ftth', subscriptions: { total: 150, atLeast100Mbps: 100, atLeast1Gbps: 20 } },
  { id: 'f2', tech: 'fibre', site: 's', area: 'A', location: at, householdsPassed: 200, accessTech: 'docsis31' },
  { id: 'f3', tech: 'fibre', site: 's', area: 'B', location: { lat: 0.005, lon: 0.025 }, householdsPassed: 50, accessTech: 'fttb' },
  { id: 'ap', tech: 'wifi', site: 's', area: 'A', location: at, radiusM: 50 },
];
const u = (up: number, down: number): UptimeResult => ({ up_ms: up, down_ms: down, unknown_ms: 0, maintenance_ms: 0, counted_ms: up + down, uptime: up + down > 0 ? up / (up + down) : null });
const uptimeByDevice = new Map([['f1', u(90, 10)], ['f2', u(100, 0)], ['f3', u(0, 0)], ['ap', u(50, 50)]]);
const p = parsePeriod('2026-Q3');
if (!p.ok) throw new Error(p.error);
const cov = coverage(areas, devices);
const report = desiReport({ period: p.period, areas, devices, uptimeByDevice, coverage: cov, avgHouseholdSize: 2.1, now: Date.UTC(2026, 9, 2) });
const get = (scope: string, code: string) => report.scopes.find((s: DesiScope) => (s.scope === 'region' ? '' : s.id) === scope)!.indicators.find((i) => i.code === code)!;

describe('parsePeriod', () => {
  it('reads a quarter, a year and a month as half-open UTC ranges', () => {
    expect(parsePeriod('2026-Q3')).toEqual({ ok: true, period: { label: '2026-Q3', kind: 'quarter', from: Date.UTC(2026, 6, 1), to: Date.UTC(2026, 9, 1) } });
    expect(parsePeriod('2026')).toEqual({ ok: true, period: { label: '2026', kind: 'year', from: Date.UTC(2026, 0, 1), to: Date.UTC(2027, 0, 1) } });
    expect(parsePeriod('2026-12')).toEqual({ ok: true, period: { label: '2026-12', kind: 'month', from: Date.UTC(2026, 11, 1), to: Date.UTC(2027, 0, 1) } });
  });
  it('rejects anything else, naming the parameter', () => {
    expect(parsePeriod('2026-Q5')).toEqual({ ok: false, error: 'period: expected YYYY, YYYY-Qn (n = 1..4) or YYYY-MM, got "2026-Q5"' });
    expect(parsePeriod("2026'; DROP").ok).toBe(false);
  });
});

describe('desiReport', () => {
  it('computes FTTP (2b3) and VHCN (2b2) coverage from households passed', () => {
    // region: FTTP = f1 300 + f3 50 = 350 of 1000 + 200 + 100 = 1300 households -> 26.923… %
    expect(get('', '2b3')).toMatchObject({ value: (100 * 350) / 1300, available: true, completeness: 1, householdsEstimated: true, avgHouseholdSize: 2.1, period: '2026-Q3' });
    // A: 300 / 1000 = 30 %, households given so not estimated; VHCN adds DOCSIS 3.1: 500 / 1000 = 50 %
    expect(get('A', '2b3')).toMatchObject({ value: 30, householdsEstimated: false, avgHouseholdSize: null });
    expect(get('A', '2b2').value).toBe(50);
    expect(get('A', 'DD-gigabit').value).toBe(50);
    // B: 50 / 200 = 25 %; C has no fibre nodes: 0 % passed, nothing to be complete about
    expect(get('B', '2b3').value).toBe(25);
    expect(get('C', '2b3')).toMatchObject({ value: 0, available: true, completeness: null });
  });

  it('computes take-up where subscriptions are known and says not available where they are not', () => {
    // region 2a1: 150 / 1300; completeness: 1 of 3 fibre nodes has counts
    expect(get('', '2a1')).toMatchObject({ value: (100 * 150) / 1300, completeness: 1 / 3 });
    // A: 100 / 1000 = 10 % at ≥ 100 Mbps, 20 / 1000 = 2 % at ≥ 1 Gbps, completeness 1 of 2
    expect(get('A', '2a2')).toMatchObject({ value: 10, completeness: 0.5 });
    expect(get('A', '2a3').value).toBe(2);
    // B has a node but no counts: not available, never 0
    expect(get('B', '2a1')).toMatchObject({ value: null, available: false, reason: 'no fibre node in this scope has subscriptions.total', completeness: 0 });
  });

  it('reports network availability as time-weighted uptime with the share of devices that had data', () => {
    // region: (90 + 100 + 0 + 50) / (100 + 100 + 0 + 100) = 240 / 300 = 80 %; f3 had no known time: 3 of 4
    expect(get('', 'R-availability')).toMatchObject({ value: 80, completeness: 0.75, householdsEstimated: false });
    expect(get('B', 'R-availability')).toMatchObject({ value: null, available: false, reason: 'no device had known status in the period', completeness: 0 });
    expect(get('C', 'R-availability')).toMatchObject({ value: null, available: false, reason: 'no monitored devices in this scope' });
  });

  it('takes public wifi population coverage from the coverage figures, as a percentage', () => {
    expect(get('A', 'R-wifi-population').value).toBeCloseTo(100 * cov.areas[0]!.wifi.populationAsBuilt!, 12);
    expect(get('', 'R-wifi-population').value).toBeCloseTo(100 * cov.region.wifi.populationAsBuilt!, 12);
    expect(get('C', 'R-wifi-population').value).toBe(0);
  });

  it('lists 2b1, 2c and 2d as not available with a reason', () => {
    for (const code of ['2b1', '2c', '2d']) {
      const i = get('A', code);
      expect(i.available).toBe(false);
      expect(i.value).toBeNull();
      expect(i.reason!.length).toBeGreaterThan(10);
    }
  });

  it('says take-up is not available when the inventory has no subscription counts at all', () => {
    const bare = devices.map(({ subscriptions: _s, ...d }) => d);
    const r = desiReport({ period: p.period, areas, devices: bare, uptimeByDevice, coverage: cov, avgHouseholdSize: 2.1, now: 0 });
    expect(r.scopes[0]!.indicators.find((i) => i.code === '2a1')).toMatchObject({ available: false, value: null, reason: 'the inventory has no subscription counts (devices[].subscriptions.total)' });
  });
});

describe('toCsv', () => {
  it('writes a stable header and one quoted row per scope and indicator', () => {
    const csv = toCsv(report);
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe(CSV_HEADER.join(','));
    // 4 scopes (region + 3 areas) × 12 indicators (2b3 2b2 DD-gigabit 2a1 2a2 2a3 wifi availability 2b1 2c 2c3 2d)
    expect(lines).toHaveLength(1 + 4 * 12);
    // A 2b3: value 30, completeness 1, households given, then the Digital Decade codes and the difference
    const a2b3 = lines.find((l) => l.startsWith('area,A,Alpha,2b3,'))!;
    expect(a2b3.startsWith('area,A,Alpha,2b3,FTTP coverage,% of households,30,true,,2026-Q3,1,false,,"Households passed by fibre to the premises (FTTH, FTTB) of the monitored network, % of households.",desi_fttp dd_fttpc,"netatlas counts only the nodes of the monitored network')).toBe(true);
    expect(lines.some((l) => l.startsWith('area,C,"Gamma, empty",2b3,'))).toBe(true);
  });

  it('escapes an area name a spreadsheet would run as a formula (server/csv.ts)', () => {
    const hostile = { ...report, scopes: report.scopes.map((s) => (s.id === 'A' ? { ...s, name: '=HYPERLINK("http://x.example","Alpha")' } : s)) };
    const line = toCsv(hostile).split('\r\n').find((l) => l.startsWith('area,A,'))!;
    expect(line.startsWith('area,A,"\'=HYPERLINK(""http://x.example"",""Alpha"")",2b3,')).toBe(true);
  });
});

describe('Digital Decade codes beside the DESI 2022 numbering', () => {
  const codesOf = (code: string): string[] => report.scopes[0]!.indicators.find((i) => i.code === code)!.digitalDecadeCodes.map((c) => c.code);
  it('gives each indicator of the JSON report the hub codes of the same quantity, with the difference', () => {
    expect(report.codeSystems.digitalDecade).toContain('Digital Decade data hub');
    expect(codesOf('2b3')).toEqual(['desi_fttp', 'dd_fttpc']);
    expect(codesOf('2b2')).toEqual(['desi_vhcn', 'dd_vhcnc']);
    expect(codesOf('DD-gigabit')).toEqual(['dd_vhcnc']);
    expect(codesOf('2a1')).toEqual(['desi_2a1']);
    expect(codesOf('2a2')).toEqual(['desi_2a2']);
    // regional indicators have no hub code, and say nothing about a difference
    expect(codesOf('R-availability')).toEqual([]);
    const vhcn = report.scopes[0]!.indicators.find((i) => i.code === '2b2')!;
    expect(vhcn.digitalDecadeDifference).toMatch(/every operator in the country/);
    expect(vhcn.digitalDecadeDifference).toMatch(/BEREC/);
  });

  it('lists 5G coverage (2c3) as not available, with the reason, never 0', () => {
    const g5 = report.scopes[0]!.indicators.find((i) => i.code === '2c3')!;
    expect(g5).toMatchObject({ available: false, value: null, name: '5G coverage (Digital Decade KPI)' });
    expect(g5.reason).toMatch(/no mobile network, antenna or spectrum data/);
  });

  it('writes both code systems in the CSV: the DESI code column and the digital_decade_codes column', () => {
    const lines = toCsv(report).trimEnd().split('\r\n');
    expect(lines[0]!.endsWith(',definition,digital_decade_codes,digital_decade_difference')).toBe(true);
    const region2b2 = lines.find((l) => l.startsWith('region,,region,2b2,'))!;
    expect(region2b2).toContain(',desi_vhcn dd_vhcnc,');
    expect(lines.find((l) => l.startsWith('region,,region,2a2,'))).toContain(',desi_2a2,');
  });
});
