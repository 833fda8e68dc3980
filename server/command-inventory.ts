/**
 * What the one-shot commands that read the inventory (`netatlas report desi`, `netatlas plan`)
 * start with: the config, then the inventory files it names (the demo region's when it names
 * none), loaded once. A bad config or inventory is printed line by line, prefixed with the
 * command, and the exit code set to 1; the command then stops.
 */
import { silentLogger } from '../core/log.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import type { Inventory } from './inventory/inventory.js';
import { inventoryFiles } from './inventory/inventory-files.js';
import { loadInventory } from './inventory/loader.js';

export interface CommandIo {
  err: (line: string) => void;
  env: Readonly<Record<string, string | undefined>>;
  setExitCode: (code: number) => void;
}

/** The config and its inventory, or undefined once the errors are printed (`command`: e.g. `netatlas plan`). */
export async function loadCommandInventory(command: string, configFile: string | undefined, io: CommandIo): Promise<{ config: Config; inventory: Inventory } | undefined> {
  const fail = (lines: readonly string[]): undefined => {
    for (const line of lines) io.err(`${command}: ${line}`);
    io.setExitCode(1);
    return undefined;
  };
  let config: Config;
  try {
    config = loadConfig({ file: configFile, env: io.env });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return fail(err.issues);
  }
  const files = await inventoryFiles({
    dataDir: config.dataDir, devicesFile: config.inventory.devicesFile, areasFile: config.inventory.areasFile,
    avgHouseholdSize: config.households.averageSize, simulator: config.simulator,
  }, silentLogger);
  const inv = await loadInventory({ ...files, avgHouseholdSize: config.households.averageSize });
  if (!inv.ok) return fail(inv.errors);
  return { config, inventory: inv.inventory };
}
