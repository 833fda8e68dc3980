/**
 * `netatlas report desi` prints the same report as GET /api/reports/desi, from the configured
 * (SQLite) store and inventory files.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportDesiCli } from '../../server/reports/desi-cli.js';
import { SqliteStore } from '../../server/store/sqlite-store.js';
import { runCli } from '../../server/cli.js';
import { DEVICES, fixtureApp, fixtureInventory, fixturePoints, NOW, T0 } from './api-fixture.js';

describe('netatlas report desi', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netatlas-desi-cli-'));
  const configFile = path.join(dir, 'netatlas.yaml');
  const inv = fixtureInventory();
  let store: SqliteStore;

  beforeAll(async () => {
    const areas = { type: 'FeatureCollection', features: inv.areas.map((a) => ({ type: 'Feature', properties: { id: a.id, name: a.name, population: a.population, households: a.households }, geometry: a.geometry })) };
    fs.writeFileSync(path.join(dir, 'areas.geojson'), JSON.stringify(areas));
    fs.writeFileSync(path.join(dir, 'devices.yaml'), stringify({ devices: DEVICES }));
    fs.writeFileSync(configFile, stringify({
      dataDir: path.join(dir, 'data'),
      inventory: { devicesFile: 'devices.yaml', areasFile: 'areas.geojson' },
      collectors: { snmp: { intervalS: 600 }, mqtt: { expectedIntervalS: 600 } },
    }));
    store = new SqliteStore({ dataDir: path.join(dir, 'data') });
    await store.init();
    await store.write(fixturePoints(inv));
  });
  afterAll(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('prints the same CSV as the API for the same period and clock', async () => {
    const period = String(new Date(T0).getUTCFullYear());
    let out = '';
    const errors: string[] = [];
    let code = -1;
    await reportDesiCli({ period, format: 'csv', config: configFile }, { out: (t) => { out += t; }, err: (l) => errors.push(l), env: {}, setExitCode: (c) => { code = c; } }, () => NOW);
    expect(errors).toEqual([]);
    expect(code).toBe(0);
    const api = await request(fixtureApp(store, inv)).get(`/api/reports/desi?period=${period}&format=csv`).expect(200);
    expect(out).toBe(api.text);
    expect(out).toContain(',2b3,FTTP coverage,');
  });

  it('fails with exit code 1 naming the period when it is not one', async () => {
    const errors: string[] = [];
    let code = -1;
    await runCli(['node', 'netatlas', 'report', 'desi', '--period', '2026-Q9', '--config', configFile], { out: () => {}, err: (l) => errors.push(l), env: {}, setExitCode: (c) => { code = c; } });
    expect(code).toBe(1);
    expect(errors.join('\n')).toMatch(/period: expected YYYY, YYYY-Qn/);
  });
});
