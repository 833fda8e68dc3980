/**
 * Reads the devices file and the areas file and builds an Inventory, or returns every error
 * (prefixed with the file name) without throwing, so the watcher can keep its last good version.
 */
import { readFile } from 'node:fs/promises';
import { parseAreasText } from './areas.js';
import { parseInventoryText } from './devices-schema.js';
import { Inventory } from './inventory.js';
import { parsePopulationGrid, type PopulationGridOptions } from './population-grid-file.js';

export interface InventoryFiles {
  /** devices file, YAML or JSON */
  devicesPath: string;
  /** areas file, GeoJSON */
  areasPath: string;
  /** persons per household, for areas without a `households` count */
  avgHouseholdSize: number;
  /** optional population grid file (config inventory.populationGrid) */
  populationGrid?: (PopulationGridOptions & { file: string }) | undefined;
}

export type LoadResult = { ok: true; inventory: Inventory } | { ok: false; errors: string[] };

async function read(path: string): Promise<{ text: string } | { error: string }> {
  try {
    return { text: await readFile(path, 'utf8') };
  } catch (err) {
    return { error: `${path}: cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` };
  }
}

export async function loadInventory(files: InventoryFiles): Promise<LoadResult> {
  const [devText, areaText] = await Promise.all([read(files.devicesPath), read(files.areasPath)]);
  const errors: string[] = [];
  if ('error' in devText) errors.push(devText.error);
  if ('error' in areaText) errors.push(areaText.error);
  const devices = 'text' in devText ? parseInventoryText(devText.text, files.devicesPath) : undefined;
  const areas = 'text' in areaText ? parseAreasText(areaText.text, files.areasPath, { avgHouseholdSize: files.avgHouseholdSize }) : undefined;
  if (devices && !devices.ok) errors.push(...devices.errors.map((e) => `${files.devicesPath}: ${e}`));
  if (areas && !areas.ok) errors.push(...areas.errors.map((e) => `${files.areasPath}: ${e}`));
  let grid;
  if (files.populationGrid) {
    const g = await read(files.populationGrid.file);
    const parsed = 'text' in g ? parsePopulationGrid(g.text, files.populationGrid.file, files.populationGrid) : { ok: false as const, errors: [g.error] };
    if (parsed.ok) grid = parsed.grid;
    else errors.push(...parsed.errors);
  }
  if (errors.length > 0 || !devices?.ok || !areas?.ok) return { ok: false, errors };
  return { ok: true, inventory: new Inventory(devices.value.devices, areas.value, grid) };
}
