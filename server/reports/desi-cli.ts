/**
 * `netatlas report desi --period P --format csv|json [--config FILE]`: the same report as
 * `GET /api/reports/desi`, computed from the configured store and inventory, printed on stdout.
 * Exit code 0, or 1 with the reason on stderr (bad period, config, store or inventory).
 */
import { parsePeriod } from '../analytics/period.js';
import { toCsv } from '../analytics/desi.js';
import { ConfigError, loadConfig } from '../config.js';
import { loadInventory } from '../inventory/loader.js';
import { silentLogger } from '../../core/log.js';
import { createStore } from '../store/create-store.js';
import { inventoryFiles } from '../inventory/inventory-files.js';
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
  let config;
  try {
    config = loadConfig({ file: options.config, env: io.env });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    for (const issue of err.issues) io.err(`netatlas report desi: ${issue}`);
    io.setExitCode(1);
    return;
  }
  const files = await inventoryFiles({
    dataDir: config.dataDir, devicesFile: config.inventory.devicesFile, areasFile: config.inventory.areasFile,
    avgHouseholdSize: config.households.averageSize, simulator: config.simulator,
  }, silentLogger);
  const inv = await loadInventory({ ...files, avgHouseholdSize: config.households.averageSize });
  if (!inv.ok) { for (const e of inv.errors) io.err(`netatlas report desi: ${e}`); io.setExitCode(1); return; }
  const store = createStore({ influx: config.store.influx, dataDir: config.dataDir });
  try {
    await store.init();
    const report = await buildDesiReport({
      store, inventory: inv.inventory, now: now(), intervals: intervalsFromConfig(config), avgHouseholdSize: config.households.averageSize,
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
