import { mkdtempSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InventoryLoadError, watchInventory, type InventoryWatcher } from '../../server/inventory/watcher.js';
import type { LoadResult } from '../../server/inventory/loader.js';

const areas = JSON.stringify({
  type: 'FeatureCollection',
  features: [{ type: 'Feature', properties: { id: 'A', name: 'A', population: 100 }, geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]] } }],
});
const devicesYaml = (ids: string[]) => `devices:\n${ids.map((id) => `  - { id: ${id}, tech: wifi, site: s, location: { lat: 0.5, lon: 0.5 } }`).join('\n')}\n`;

let dir = '';
let watcher: InventoryWatcher | undefined;
afterEach(() => {
  watcher?.close();
  watcher = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function setup(devices: string): { devicesPath: string; areasPath: string } {
  dir = mkdtempSync(path.join(tmpdir(), 'netatlas-inv-'));
  const devicesPath = path.join(dir, 'devices.yaml');
  const areasPath = path.join(dir, 'areas.geojson');
  writeFileSync(devicesPath, devices);
  writeFileSync(areasPath, areas);
  return { devicesPath, areasPath };
}

/** resolves with the next reload result (bounded by the test timeout) */
function nextReload(results: LoadResult[]): Promise<LoadResult> {
  const seen = results.length;
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = (): void => {
      if (results.length > seen) resolve(results[results.length - 1]!);
      else if (Date.now() - started > 10_000) reject(new Error('no reload within 10 s'));
      else setTimeout(tick, 10);
    };
    tick();
  });
}

describe('watchInventory', () => {
  it('refuses the first load and a reload that a collector check rejects, keeping the last good inventory', async () => {
    // the check the SNMP collector gives in main.ts: here, any device named bad-* is refused
    const validate = (devices: readonly { id: string }[]) => devices.filter((d) => d.id.startsWith('bad')).map((d) => `inventory device "${d.id}": intervalS 10 must be a multiple of collectors.snmp.intervalS (60)`);
    const files = setup(devicesYaml(['bad-1']));
    const err = await watchInventory({ ...files, avgHouseholdSize: 2, validate }).catch((e: unknown) => e);
    expect((err as InventoryLoadError).errors).toEqual(['inventory device "bad-1": intervalS 10 must be a multiple of collectors.snmp.intervalS (60)']);
    writeFileSync(files.devicesPath, devicesYaml(['ap-1']));

    const results: LoadResult[] = [];
    watcher = await watchInventory({ ...files, avgHouseholdSize: 2, debounceMs: 50, validate, onReload: (r) => results.push(r) });
    const next = nextReload(results);
    writeFileSync(files.devicesPath, devicesYaml(['ap-1', 'bad-2']));
    const r = await next;
    expect(r.ok).toBe(false);
    expect(r.ok ? [] : r.errors).toEqual(['inventory device "bad-2": intervalS 10 must be a multiple of collectors.snmp.intervalS (60)']);
    expect(watcher.view.all().map((d) => d.id)).toEqual(['ap-1']);
  });

  it('refuses to start on an invalid file, listing every error', async () => {
    const files = setup('devices:\n  - { id: x, tech: lte, site: s, location: { lat: 0.5, lon: 0.5 } }\n');
    const err = await watchInventory({ ...files, avgHouseholdSize: 2 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InventoryLoadError);
    expect((err as InventoryLoadError).errors).toHaveLength(1);
    expect((err as InventoryLoadError).errors[0]).toMatch(/devices\.yaml: devices\[0\]\.tech: /);
  });

  it('reloads when the devices file changes and keeps the last good inventory when the new file is invalid', async () => {
    const files = setup(devicesYaml(['ap-1']));
    const results: LoadResult[] = [];
    watcher = await watchInventory({ ...files, avgHouseholdSize: 2, debounceMs: 50, onReload: (r) => results.push(r) });
    expect(watcher.view.all().map((d) => [d.id, d.area])).toEqual([['ap-1', 'A']]);

    const changes: string[][] = [];
    watcher.onChange((inv) => changes.push(inv.devices.map((d) => d.id)));
    let next = nextReload(results);
    // replace the file the way editors do: write a new file and rename it over the old one
    writeFileSync(`${files.devicesPath}.tmp`, devicesYaml(['ap-1', 'ap-2']));
    renameSync(`${files.devicesPath}.tmp`, files.devicesPath);
    expect((await next).ok).toBe(true);
    expect(watcher.view.byId('ap-2')?.area).toBe('A');

    next = nextReload(results);
    writeFileSync(files.devicesPath, devicesYaml(['ap-1', 'ap-1']));
    const bad = await next;
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors).toEqual([`${files.devicesPath}: devices[1].id: duplicate id "ap-1" (first at devices[0])`]);
    expect(watcher.current().devices.map((d) => d.id)).toEqual(['ap-1', 'ap-2']);
    // listeners hear of the new inventory, not of the refused file
    expect(changes).toEqual([['ap-1', 'ap-2']]);
  });

  it('reports devices that fall outside every area', async () => {
    const files = setup(`devices:\n  - { id: in, tech: wifi, site: s, location: { lat: 0.5, lon: 0.5 } }\n  - { id: out, tech: wifi, site: s, location: { lat: 5, lon: 5 } }\n`);
    watcher = await watchInventory({ ...files, avgHouseholdSize: 2 });
    expect(watcher.current().outside).toEqual(['out']);
    expect(watcher.view.byMqttId('out')?.area).toBe('');
  });
});
