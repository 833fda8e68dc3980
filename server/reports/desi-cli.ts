/**
 * `netatlas report desi --period P --format csv|json [--config FILE]`: the same report as
 * `GET /api/reports/desi`, computed from the configured store and inventory, printed on stdout.
 * Exit code 0, or 1 with the reason on stderr (bad period, config, store or inventory).
 */
import { parsePeriod } from '../analytics/period.js';
import { toCsv } from '../analytics/desi.js';
import { createStore } from '../store/create-store.js';
import { loadCommandInventory } from '../command-inventory.js';
import { intervalsFromConfig } from '../config-collectors.js';
import { buildDesiReport } from './desi-report.js';

export interface DesiCliIo {
  out: (text: string) => void;
  err: (line: string) => void;
  env: Readonly<Record<string, string | undefined>>;
  setExitCode: (code: number) => void;
}

export async function reportDesiCli(options: { period: string; format: 'csv' | 'json'; config?: string | undefined }, io: DesiCliIo, now: () => number = Date.now): Promise<void> {
  const p = parsePeriod(options.period);
  if (!p.ok) { io.err(`netatlas report desi: ${p.error}`); io.setExitCode(1); return; }
  const loaded = await loadCommandInventory('netatlas report desi', options.config, io);
  if (!loaded) return;
  const { config, inventory } = loaded;
  const store = createStore({ influx: config.store.influx, dataDir: config.dataDir });
  try {
    await store.init();
    const report = await buildDesiReport({
      store, inventory, now: now(), intervals: intervalsFromConfig(config), avgHouseholdSize: config.households.averageSize,
    }, p.period);
    io.out(options.format === 'csv' ? toCsv(report) : `${JSON.stringify(report, null, 2)}\n`);
    io.setExitCode(0);
  } catch (err) {
    io.err(`netatlas report desi: ${(err as Error).message}`);
    io.setExitCode(1);
  } finally {
    await store.close();
  }
}
