/**
 * Keeps the inventory current: watches the directories of the devices and areas files (editors
 * and `mv` replace files, which a watch on the file itself would lose), reloads after a debounce,
 * and swaps in the new snapshot only when it is valid. An invalid file keeps the last good
 * inventory and reports the errors, so a typo never takes the service down.
 */
import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import type { InventoryView } from '../../core/inventory-view.js';
import { silentLogger, type Logger } from '../../core/log.js';
import type { Device } from '../../core/device.js';
import { Inventory } from './inventory.js';
import { loadInventory, type InventoryFiles, type LoadResult } from './loader.js';

export interface WatchOptions extends InventoryFiles {
  debounceMs?: number;
  log?: Logger;
  /** called after every reload attempt triggered by a file change */
  onReload?: (result: LoadResult) => void;
  /**
   * Checks of the collectors that depend on the inventory (e.g. an SNMP device's intervalS must
   * be a multiple of the SNMP collector's): errors refuse the first load and every reload, like a
   * schema error, so the status owner's intervals always agree with the schedule.
   */
  validate?: (devices: readonly Device[]) => string[];
}

export interface InventoryWatcher {
  /** the current (last good) inventory */
  current(): Inventory;
  /** a live view for collectors: always answers from the current inventory */
  readonly view: InventoryView;
  /** reload now (also what a file change triggers) */
  reload(): Promise<LoadResult>;
  /** `listener` is called with each new inventory a reload makes current; returns its removal */
  onChange(listener: (inventory: Inventory) => void): () => void;
  close(): void;
}

export class InventoryLoadError extends Error {
  override readonly name = 'InventoryLoadError';
  constructor(readonly errors: readonly string[]) {
    super(`inventory is invalid:\n  ${errors.join('\n  ')}`);
  }
}

async function loadChecked(opts: WatchOptions): Promise<LoadResult> {
  const result = await loadInventory(opts);
  if (!result.ok || !opts.validate) return result;
  const errors = opts.validate(result.inventory.devices);
  return errors.length > 0 ? { ok: false, errors } : result;
}

/** Loads the files (throwing InventoryLoadError with every error when invalid) and watches them. */
export async function watchInventory(opts: WatchOptions): Promise<InventoryWatcher> {
  const log = opts.log ?? silentLogger;
  const first = await loadChecked(opts);
  if (!first.ok) throw new InventoryLoadError(first.errors);
  let current = first.inventory;
  logOutside(log, current);

  // Serialise reloads: a change during a reload schedules one more, never two at once.
  let running: Promise<LoadResult> | undefined;
  let again = false;
  const listeners = new Set<(inventory: Inventory) => void>();
  const reload = async (): Promise<LoadResult> => {
    if (running) { again = true; return running; }
    running = (async () => {
      let result: LoadResult;
      do {
        again = false;
        result = await loadChecked(opts);
        if (result.ok) {
          current = result.inventory;
          log.info({ devices: current.devices.length, areas: current.areas.length }, 'inventory reloaded');
          logOutside(log, current);
          for (const listener of listeners) {
            try { listener(current); } catch (err) { log.error({ err: (err as Error).message }, 'inventory change listener failed'); }
          }
        } else {
          log.error({ errors: result.errors }, 'inventory file invalid: keeping the last good inventory');
        }
        opts.onReload?.(result);
      } while (again);
      return result;
    })();
    try { return await running; } finally { running = undefined; }
  };

  const names = new Set([path.resolve(opts.devicesPath), path.resolve(opts.areasPath)]);
  const dirs = new Set([...names].map((n) => path.dirname(n)));
  let timer: NodeJS.Timeout | undefined;
  const debounceMs = opts.debounceMs ?? 200;
  const watchers: FSWatcher[] = [...dirs].map((dir) =>
    watch(dir, (_event, file) => {
      if (file !== null && !names.has(path.resolve(dir, file.toString()))) return;
      clearTimeout(timer);
      timer = setTimeout(() => { void reload(); }, debounceMs);
    }),
  );

  const view: InventoryView = {
    all: (): readonly Device[] => current.all(),
    byId: (id: string) => current.byId(id),
    byMqttId: (id: string) => current.byMqttId(id),
  };
  return {
    current: () => current,
    view,
    reload,
    onChange: (listener) => { listeners.add(listener); return () => { listeners.delete(listener); }; },
    close: () => { clearTimeout(timer); for (const w of watchers) w.close(); },
  };
}

function logOutside(log: Logger, inv: Inventory): void {
  if (inv.outside.length > 0) log.warn({ devices: inv.outside }, `${inv.outside.length} device(s) outside every area`);
}
