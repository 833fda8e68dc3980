/**
 * `netatlas import areas`: official-looking boundary files built here (foreign property names,
 * names in two languages, population in a separate CSV, a Lambert 72 copy) become an areas file
 * that the service's loader reads back as the expected areas; every problem names its feature and
 * property, and nothing is written when there is one.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import proj4 from 'proj4';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../../server/cli.js';
import { parseAreasText } from '../../server/inventory/areas.js';

const dir = mkdtempSync(path.join(tmpdir(), 'netatlas-areas-import-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const LAMBERT72 = '+proj=lcc +lat_0=90 +lat_1=51.1666672333333 +lat_2=49.8333339 +lon_0=4.36748666666667 +x_0=150000.013 +y_0=5400088.438 +ellps=intl +towgs84=-106.8686,52.2978,-103.7239,0.3366,-0.457,1.8422,-1.2747 +units=m +no_defs';

function io(tty = false): { io: CliIo; out: string[]; err: string[]; progress: string[]; code: () => number | undefined } {
  const out: string[] = [], err: string[] = [], progress: string[] = [];
  let code: number | undefined;
  return {
    io: { out: (l) => out.push(l), err: (l) => err.push(l), env: {}, setExitCode: (c) => { code = c; }, ...(tty ? { progress: (t: string) => progress.push(t) } : {}) },
    out, err, progress, code: () => code,
  };
}

type Ring = number[][];
const square = (lon: number, lat: number, d: number): Ring => [[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]];
/** Two municipalities as a statistics office ships them: CODE_INS, NAME_FR, NAME_NL, no population. */
const RINGS: Record<string, Ring> = { '21001': square(4.30, 50.80, 0.02), '21004': square(4.34, 50.84, 0.01) };
const official = (ring: (r: Ring) => Ring = (r) => r): string => JSON.stringify({
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', properties: { CODE_INS: 21001, NAME_FR: 'Anderlecht', NAME_NL: 'Anderlecht', SHAPE_AREA: 1 }, geometry: { type: 'Polygon', coordinates: [ring(RINGS['21001']!)] } },
    { type: 'Feature', properties: { CODE_INS: '21004', NAME_FR: 'Bruxelles', NAME_NL: 'Brussel' }, geometry: { type: 'MultiPolygon', coordinates: [[ring(RINGS['21004']!)]] } },
  ],
});
// the statistics table: its own column names, a thousands separator, and a row for a code not in the file
const POP_CSV = 'refnis,commune,ms_population\n21004,Bruxelles,"185 103"\n21001,Anderlecht,120887\n21099,Elsewhere,5\n';
const HH_CSV = 'refnis,total_households\n21001,53000\n21004,91000\n';
const write = (name: string, text: string): string => { const p = path.join(dir, name); writeFileSync(p, text); return p; };
const COMMON = ['--id-property', 'CODE_INS', '--name-property', 'NAME_FR', '--name-property', 'NAME_NL'];
const popArgs = (csv: string): string[] => ['--population-csv', csv, '--population-key', 'refnis', '--population-column', 'ms_population'];

describe('netatlas import areas', () => {
  it('maps foreign property names and a population CSV to areas the loader reads back', async () => {
    const src = write('official.geojson', official());
    const csv = write('pop.csv', POP_CSV);
    const hh = write('hh.csv', HH_CSV);
    const out = path.join(dir, 'areas.geojson');
    const r = io();
    await runCli(['node', 'netatlas', 'import', 'areas', src, ...COMMON, ...popArgs(csv), '--households-csv', hh, '--households-key', 'refnis', '--households-column', 'total_households', '--out', out], r.io);
    expect(r.err).toEqual([]);
    expect(r.code()).toBe(0);
    // 120 887 + 185 103 = 305 990
    expect(r.out).toEqual([`${src}: 2 areas (population 305990) written to ${out}`]);
    const loaded = parseAreasText(readFileSync(out, 'utf8'), out, { avgHouseholdSize: 2 });
    if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
    expect(loaded.value.areas.map((a) => ({ id: a.id, name: a.name, population: a.population, households: a.households, est: a.householdsEstimated }))).toEqual([
      { id: '21001', name: 'Anderlecht / Anderlecht', population: 120887, households: 53000, est: false },
      { id: '21004', name: 'Bruxelles / Brussel', population: 185103, households: 91000, est: false },
    ]);
    expect(loaded.value.areas[0]!.geometry).toEqual({ type: 'Polygon', coordinates: [RINGS['21001']] });
    expect(loaded.value.areas[1]!.geometry).toEqual({ type: 'MultiPolygon', coordinates: [[RINGS['21004']]] });
  });

  it('reprojects a Lambert 72 copy (--from-crs EPSG:31370) to the same areas, within 1e-6 degree', async () => {
    const toL72 = proj4('EPSG:4326', LAMBERT72);
    const src = write('official-l72.geojson', official((ring) => ring.map((p) => toL72.forward(p))));
    const out = path.join(dir, 'areas-l72.geojson');
    const r = io();
    await runCli(['node', 'netatlas', 'import', 'areas', src, ...COMMON, ...popArgs(write('pop2.csv', POP_CSV)), '--from-crs', 'EPSG:31370', '--out', out], r.io);
    expect(r.err).toEqual([]);
    expect(r.out[0]).toContain('reprojected from EPSG:31370');
    const loaded = parseAreasText(readFileSync(out, 'utf8'), out, { avgHouseholdSize: 2 });
    if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
    // no households given: population / 2 persons per household, rounded (120 887 / 2 = 60 443.5 -> 60 444)
    expect(loaded.value.areas.map((a) => [a.id, a.name, a.population, a.households, a.householdsEstimated])).toEqual([
      ['21001', 'Anderlecht / Anderlecht', 120887, 60444, true],
      ['21004', 'Bruxelles / Brussel', 185103, 92552, true],
    ]);
    const got = (loaded.value.areas[0]!.geometry.coordinates as number[][][])[0]!;
    got.forEach((p, i) => {
      expect(p[0]).toBeCloseTo(RINGS['21001']![i]![0]!, 6);
      expect(p[1]).toBeCloseTo(RINGS['21001']![i]![1]!, 6);
    });
  });

  it('refuses the Lambert 72 copy without --from-crs, naming the likely projection, and writes nothing', async () => {
    const toL72 = proj4('EPSG:4326', LAMBERT72);
    const src = write('l72-no-crs.geojson', official((ring) => ring.map((p) => toL72.forward(p))));
    const out = path.join(dir, 'never.geojson');
    const r = io();
    await runCli(['node', 'netatlas', 'import', 'areas', src, ...COMMON, ...popArgs(write('pop3.csv', POP_CSV)), '--out', out], r.io);
    expect(r.code()).toBe(1);
    expect(r.err[0]).toMatch(/features\[0\]\.geometry: coordinates \[\d+, \d+\] are not longitude\/latitude; the file is likely in EPSG:31370 \(Belgian Lambert 72\)/);
    expect(existsSync(out)).toBe(false);
  });

  it('reports every problem with its feature index and property, and writes nothing', async () => {
    const bad = JSON.stringify({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { CODE_INS: 21001, NAME_FR: 'Anderlecht', NAME_NL: 'Anderlecht' }, geometry: { type: 'Polygon', coordinates: [RINGS['21001']] } },
        { type: 'Feature', properties: { CODE_INS: 21001, NAME_FR: 'Copie', NAME_NL: 'Kopie' }, geometry: { type: 'Polygon', coordinates: [RINGS['21004']] } },
        { type: 'Feature', properties: { CODE_INS: 21007, NAME_FR: 'Ixelles' }, geometry: { type: 'Polygon', coordinates: [[[4.3, 50.8], [4.31, 50.8], [4.31, 50.81], [4.3, 50.81]]] } },
        { type: 'Feature', properties: { CODE_INS: 21004, NAME_FR: 'Bruxelles', NAME_NL: 'Brussel' }, geometry: { type: 'Polygon', coordinates: [[[4.3, 50.8], [4.31, 50.81], [4.31, 50.8], [4.3, 50.81], [4.3, 50.8]]] } },
      ],
    });
    const src = write('bad.geojson', bad);
    const out = path.join(dir, 'bad-out.geojson');
    const r = io();
    await runCli(['node', 'netatlas', 'import', 'areas', src, ...COMMON, ...popArgs(write('pop4.csv', POP_CSV)), '--out', out], r.io);
    expect(r.code()).toBe(1);
    expect(r.err).toEqual([
      `${src}: features[1].properties.CODE_INS: duplicate id "21001" (first at features[0])`,
      `${src}: features[2].properties.NAME_NL: missing`,
      `${src}: features[2].properties.CODE_INS "21007": no population row in ${path.join(dir, 'pop4.csv')} (refnis → ms_population)`,
      `${src}: features[2].geometry.coordinates[0]: invalid ring: does not end where it starts`,
      `${src}: features[3].geometry: invalid ring: it crosses itself at [4.305, 50.805]`,
      `${src}: 5 problem(s); nothing written`,
    ]);
    expect(existsSync(out)).toBe(false);
  });

  it('reports a bad population CSV row by its line', async () => {
    const src = write('ok.geojson', official());
    const r = io();
    await runCli(['node', 'netatlas', 'import', 'areas', src, ...COMMON, ...popArgs(write('pop5.csv', 'refnis,ms_population\n21001,12x\n21004,5\n21004,6\n')), '--out', path.join(dir, 'x.geojson')], r.io);
    expect(r.code()).toBe(1);
    const csv = path.join(dir, 'pop5.csv');
    expect(r.err.slice(0, 3)).toEqual([
      `${csv}:2: ms_population: "12x" is not a whole population count`,
      `${csv}:4: refnis "21004" appears twice (first at line 3)`,
      `${src}: features[0].properties.CODE_INS "21001": no population row in ${csv} (refnis → ms_population)`,
    ]);
  });

  it('shows progress on a terminal and clears it before the result', async () => {
    const r = io(true);
    await runCli(['node', 'netatlas', 'import', 'areas', write('p.geojson', official()), ...COMMON, '--population-csv', write('pop6.csv', POP_CSV), '--population-key', 'refnis', '--population-column', 'ms_population', '--out', path.join(dir, 'p-out.geojson')], r.io);
    expect(r.code()).toBe(0);
    expect(r.progress[0]).toMatch(/feature 0 of 2…$/);
    expect(r.progress.at(-2)).toMatch(/feature 2 of 2…$/);
    expect(r.progress.at(-1)).toBe('');
  });
});
