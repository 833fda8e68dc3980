/**
 * Replacing a file so that a reader, a crash or a power cut finds the old content or the new one,
 * never half of either: the data goes to a temporary file in the same folder (so the rename stays
 * on one file system), is fsynced, is renamed over the target, and the folder is fsynced so the
 * rename itself is on disk. Every file netatlas rewrites goes through here (spool cursor, MQTT
 * status floors and broker counters, maintenance windows, reports, imported inventories and
 * broker credentials), so they all have the same durability.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';

export interface AtomicWriteOptions {
  /** permission bits of the new file from its creation on (0o600 for files holding secrets) */
  mode?: number;
}

let seq = 0;
/** Unique per process and call: two writers of one target never share a temporary file. */
function tempFor(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${++seq}.tmp`);
}

export function writeFileAtomicSync(file: string, data: string | Uint8Array, opts: AtomicWriteOptions = {}): void {
  const tmp = tempFor(file);
  try {
    const fd = fs.openSync(tmp, 'w', opts.mode ?? 0o666);
    try {
      // exactly the mode asked for, whatever the umask
      if (opts.mode !== undefined) fs.fchmodSync(fd, opts.mode);
      fs.writeFileSync(fd, data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  fsyncDirSync(path.dirname(file));
}

export async function writeFileAtomic(file: string, data: string | Uint8Array, opts: AtomicWriteOptions = {}): Promise<void> {
  const tmp = tempFor(file);
  try {
    const fh = await fsp.open(tmp, 'w', opts.mode ?? 0o666);
    try {
      if (opts.mode !== undefined) await fh.chmod(opts.mode);
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fsp.rename(tmp, file);
  } catch (err) {
    await fsp.rm(tmp, { force: true });
    throw err;
  }
  await fsyncDir(path.dirname(file));
}

/** Makes the folder's entries (a file created, renamed or deleted in it) survive a power cut. */
export async function fsyncDir(dir: string): Promise<void> {
  const fh = await fsp.open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

export function fsyncDirSync(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
