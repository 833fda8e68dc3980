/**
 * `netatlas plan --sites FILE --count N --area ID [--radius M] [--format json|csv|geojson]
 * [--config FILE]`: siting from the command line on the configured inventory (as built; no
 * store is needed). Progress on the status line when stderr is a terminal. Exit 0, or 1 with
 * the reason on stderr (file, area, count, config, inventory).
 */
import { readFileSync } from 'node:fs';
import { loadCommandInventory } from '../command-inventory.js';
import { parseCandidatesText } from './candidates.js';
import { sitingBodySchema } from './plan-schema.js';
import { PlanInputError, planSiting } from './plan-service.js';
import { sitingCsv, sitingGeoJson } from './plan-output.js';

export interface PlanCliOptions { sites: string; count: string; area: string[]; radius?: string; format: 'json' | 'csv' | 'geojson'; resolution?: string; config?: string }

export interface PlanCliIo {
  out: (text: string) => void;
  err: (line: string) => void;
  env: Readonly<Record<string, string | undefined>>;
  setExitCode: (code: number) => void;
  progress?: ((text: string) => void) | undefined;
}

export async function planCli(options: PlanCliOptions, io: PlanCliIo, now: () => number = Date.now): Promise<void> {
  const fail = (line: string): void => { io.progress?.(''); io.err(`netatlas plan: ${line}`); io.setExitCode(1); };
  const body = sitingBodySchema.safeParse({
    count: Number(options.count), areas: options.area, format: options.format,
    ...(options.radius !== undefined ? { radiusM: Number(options.radius) } : {}),
    ...(options.resolution !== undefined ? { resolution: Number(options.resolution) } : {}),
  });
  if (!body.success) {
    const issue = body.error.issues[0]!;
    const flag: Record<string, string> = { count: '--count', areas: '--area', radiusM: '--radius', resolution: '--resolution', format: '--format' };
    return fail(`${flag[String(issue.path[0])] ?? String(issue.path[0])}: ${issue.message}`);
  }
  let text: string;
  try {
    text = readFileSync(options.sites, 'utf8');
  } catch (err) {
    return fail(`${options.sites}: cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const parsed = parseCandidatesText(text);
  if (!parsed.ok) return fail(`${options.sites}: ${parsed.error}`);
  const loaded = await loadCommandInventory('netatlas plan', options.config, io);
  if (!loaded) return;
  const { config, inventory } = loaded;
  let result;
  try {
    result = planSiting(body.data, { areas: inventory.areas, devices: inventory.all(), avgHouseholdSize: config.households.averageSize, now: now(), density: inventory.density }, parsed.candidates, io.progress);
  } catch (err) {
    if (err instanceof PlanInputError) return fail(`${err.field === 'areas' || err.field.startsWith('areas[') ? '--area' : err.field}: ${err.problem}`);
    throw err;
  }
  io.progress?.('');
  if (options.format === 'csv') io.out(sitingCsv(result).replace(/\r\n$/, ''));
  else if (options.format === 'geojson') io.out(JSON.stringify(sitingGeoJson(result), null, 2));
  else io.out(JSON.stringify(result, null, 2));
  io.setExitCode(0);
}
