/**
 * The `netatlas import areas FILE.geojson` command: reads the files, runs importAreas (pure),
 * prints every problem, and writes the areas file only when there is none (temporary file and
 * rename, so the inventory watcher of a running service never reads half a file).
 */
import { readFileSync } from 'node:fs';
import { writeFileAtomicSync } from '../../io/atomic-write.js';
import type { CliIo } from '../cli.js';
import { importAreas, type CountSource } from './areas-import.js';

export interface ImportAreasFlags {
  out: string;
  idProperty: string;
  nameProperty: string[];
  populationProperty?: string;
  populationCsv?: string;
  populationKey?: string;
  populationColumn?: string;
  householdsProperty?: string;
  householdsCsv?: string;
  householdsKey?: string;
  householdsColumn?: string;
  fromCrs?: string;
}

function readText(file: string, errors: string[]): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    errors.push(`${file}: cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    return undefined;
  }
}

/** `--X-property` or `--X-csv` with `--X-key` and `--X-column`: exactly one way, complete. */
function countSource(what: 'population' | 'households', property: string | undefined, csv: string | undefined, key: string | undefined, column: string | undefined, errors: string[]): CountSource | undefined {
  if (property !== undefined && csv !== undefined) { errors.push(`--${what}-property and --${what}-csv: give one of them, not both`); return undefined; }
  if (property !== undefined) return { property };
  if (csv === undefined) {
    if (key !== undefined || column !== undefined) errors.push(`--${what}-key and --${what}-column go with --${what}-csv`);
    return undefined;
  }
  if (key === undefined || column === undefined) { errors.push(`--${what}-csv needs --${what}-key (the column matched to the area id) and --${what}-column (the count)`); return undefined; }
  const text = readText(csv, errors);
  return text === undefined ? undefined : { csv: { text, file: csv, key, column } };
}

export function importAreasCommand(file: string, flags: ImportAreasFlags, io: CliIo): void {
  const errors: string[] = [];
  const text = readText(file, errors);
  const population = countSource('population', flags.populationProperty, flags.populationCsv, flags.populationKey, flags.populationColumn, errors);
  if (!population && flags.populationProperty === undefined && flags.populationCsv === undefined) errors.push('population: give --population-property P, or --population-csv F with --population-key and --population-column');
  const households = countSource('households', flags.householdsProperty, flags.householdsCsv, flags.householdsKey, flags.householdsColumn, errors);
  if (errors.length > 0 || text === undefined || !population) {
    for (const e of errors) io.err(e);
    io.err(`${file}: nothing written`);
    io.setExitCode(1);
    return;
  }
  const progress = io.progress;
  const result = importAreas(text, file, {
    idProperty: flags.idProperty,
    nameProperties: flags.nameProperty,
    population,
    households,
    fromCrs: flags.fromCrs,
    ...(progress ? { onProgress: (done: number, total: number) => progress(`${file}: feature ${done} of ${total}…`) } : {}),
  });
  progress?.('');
  if (!result.ok) {
    for (const e of result.errors) io.err(e.startsWith('features[') ? `${file}: ${e}` : e);
    io.err(`${file}: ${result.errors.length} problem(s); nothing written`);
    io.setExitCode(1);
    return;
  }
  const target = flags.out;
  writeFileAtomicSync(target, JSON.stringify(result.collection) + '\n');
  const feats = result.collection.features;
  const people = feats.reduce((s, f) => s + f.properties.population, 0);
  io.out(`${file}: ${feats.length} areas (population ${people}${flags.fromCrs ? `, reprojected from ${flags.fromCrs}` : ''}) written to ${target}`);
  io.setExitCode(0);
}
