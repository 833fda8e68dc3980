/**
 * `netatlas plan --sites FILE --count N --area ID` on the API fixture's inventory (api-fixture.ts;
 * a3 "East": lon 4.34..4.36, lat 50.84..50.86, 300 households, no devices), through runCli.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../../server/cli.js';
import { DEVICES, fixtureInventory } from './api-fixture.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netatlas-plan-cli-'));
const configFile = path.join(dir, 'netatlas.yaml');

function capture(tty: boolean): { io: CliIo; out: string[]; err: string[]; progress: string[]; code: () => number } {
  const out: string[] = [], err: string[] = [], progress: string[] = [];
  let code = -1;
  const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), env: {}, setExitCode: (c) => { code = c; }, ...(tty ? { progress: (t: string) => progress.push(t) } : {}) };
  return { io, out, err, progress, code: () => code };
}

beforeAll(() => {
  const inv = fixtureInventory();
  const areas = { type: 'FeatureCollection', features: inv.areas.map((a) => ({ type: 'Feature', properties: { id: a.id, name: a.name, population: a.population, households: a.households }, geometry: a.geometry })) };
  fs.writeFileSync(path.join(dir, 'areas.geojson'), JSON.stringify(areas));
  fs.writeFileSync(path.join(dir, 'devices.yaml'), stringify({ devices: DEVICES }));
  fs.writeFileSync(configFile, stringify({ dataDir: path.join(dir, 'data'), inventory: { devicesFile: 'devices.yaml', areasFile: 'areas.geojson' } }));
  // the centre of a3, and a corner site half outside it
  fs.writeFileSync(path.join(dir, 'sites.csv'), 'id,lat,lon\ncorner,50.8401,4.3401\ncentre,50.85,4.35\n');
  fs.writeFileSync(path.join(dir, 'sites.geojson'), JSON.stringify({ type: 'FeatureCollection', features: [
    { type: 'Feature', properties: { id: 'centre' }, geometry: { type: 'Point', coordinates: [4.35, 50.85] } },
  ] }));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('netatlas plan', () => {
  it('prints the picks as CSV, best first, with progress on a terminal', async () => {
    const c = capture(true);
    await runCli(['node', 'netatlas', 'plan', '--sites', path.join(dir, 'sites.csv'), '--count', '2', '--area', 'a3', '--radius', '50', '--format', 'csv', '--config', configFile], c.io);
    expect(c.err).toEqual([]);
    expect(c.code()).toBe(0);
    const lines = c.out.join('\n').split('\r\n');
    expect(lines[0]).toBe('rank,id,lat,lon,area,radius_m,gain_households,cumulative_households,cumulative_share');
    expect(lines[1]).toMatch(/^1,centre,50\.85,4\.35,a3,50,/);
    expect(lines[2]).toMatch(/^2,corner,/);
    expect(c.progress.some((t) => /picked 1\/2/.test(t))).toBe(true);
    expect(c.progress.at(-1)).toBe('');
  });

  it('reads GeoJSON sites and prints JSON; no progress without a terminal', async () => {
    const c = capture(false);
    await runCli(['node', 'netatlas', 'plan', '--sites', path.join(dir, 'sites.geojson'), '--count', '1', '--area', 'a3', '--config', configFile], c.io);
    expect(c.code()).toBe(0);
    const r = JSON.parse(c.out.join('\n'));
    expect(r.picks[0]).toMatchObject({ rank: 1, id: 'centre', area: 'a3' });
    expect(r.radiusM).toBeCloseTo(78.65, 1);
  });

  it('says what is wrong: an unknown area, a bad count, an unreadable file', async () => {
    const cases: [string[], RegExp][] = [
      [['--area', 'nowhere', '--count', '1', '--sites', path.join(dir, 'sites.csv')], /--area: no area "nowhere"/],
      [['--area', 'a3', '--count', '0', '--sites', path.join(dir, 'sites.csv')], /--count: /],
      [['--area', 'a3', '--count', '1', '--sites', path.join(dir, 'missing.csv')], /missing\.csv: cannot read: ENOENT/],
    ];
    for (const [args, message] of cases) {
      const c = capture(false);
      await runCli(['node', 'netatlas', 'plan', ...args, '--config', configFile], c.io);
      expect(c.code()).toBe(1);
      expect(c.err.join('\n')).toMatch(message);
    }
  });
});
