/**
 * Long operations say how far they are on a TTY, and say nothing when the output is not one:
 * the devices import, the DESI report and the replay of a spool left by an earlier run.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PipelineStats } from '../../collectors/pipeline/pipeline-metrics.js';
import { importDevicesCommand, runCli, type CliIo } from '../../server/cli.js';
import { spoolReplayProgress } from '../../server/collection/spool-progress.js';

const dir = mkdtempSync(path.join(tmpdir(), 'netatlas-progress-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function recordingIo(tty: boolean): { io: CliIo; progress: string[]; out: string[]; err: string[]; code: () => number | undefined } {
  const progress: string[] = [], out: string[] = [], err: string[] = [];
  let code: number | undefined;
  const io: CliIo = {
    out: (l) => out.push(l), err: (l) => err.push(l), env: { NETATLAS_DATA_DIR: path.join(dir, 'data') },
    setExitCode: (c) => { code = c; },
    ...(tty ? { progress: (t: string) => progress.push(t) } : {}),
  };
  return { io, progress, out, err, code: () => code };
}

const CSV = 'id,tech,site,lat,lon,radius_m\nap-1,wifi,s1,50.85,4.35,50\nap-2,wifi,s1,50.851,4.351,50\n';

function stats(spoolRecords: number, replayed: number): PipelineStats {
  return { accepted: 0, written: 0, spooled: 0, replayed, dropped: 0, rejected: 0, queuedPoints: 0, spoolRecords, spoolBytes: spoolRecords * 100 };
}

describe('progress of long operations', () => {
  it('import devices says how many rows it validates on a TTY, then clears the line before the result', async () => {
    const file = path.join(dir, 'devices.csv');
    writeFileSync(file, CSV);
    const r = recordingIo(true);
    await importDevicesCommand(file, { out: path.join(dir, 'devices.yaml') }, r.io);
    expect(r.code()).toBe(0);
    expect(r.progress).toEqual([`${file}: validating 2 rows…`, '']);
    expect(r.out).toEqual([`${file}: 2 devices (0 fibre, 2 wifi) written to ${path.join(dir, 'devices.yaml')}`]);
    expect(readFileSync(path.join(dir, 'devices.yaml'), 'utf8')).toContain('ap-2');
  });

  it('import devices writes no progress when the output is not a TTY', async () => {
    const file = path.join(dir, 'devices-2.csv');
    writeFileSync(file, CSV);
    const r = recordingIo(false);
    await importDevicesCommand(file, { out: path.join(dir, 'devices-2.yaml') }, r.io);
    expect(r.code()).toBe(0);
    expect(r.progress).toEqual([]);
    expect(r.err).toEqual([]);
  });

  it('report desi says what it computes on a TTY and clears the line before printing the report', async () => {
    const r = recordingIo(true);
    await runCli(['node', 'netatlas', 'report', 'desi', '--period', '2026', '--format', 'csv'], r.io);
    expect(r.err).toEqual([]);
    expect(r.code()).toBe(0);
    expect(r.progress[0]).toBe('computing the DESI report for 2026…');
    expect(r.progress.at(-1)).toBe('');
    expect(r.out[0]).toMatch(/^scope,area_id,area_name,code,/);
  }, 60_000);

  it('spool replay prints batches left and points replayed every interval on a TTY, and a last line when done', async () => {
    const seq = [stats(3, 0), stats(2, 500), stats(0, 1500)];
    let i = 0;
    const lines: string[] = [];
    const stop = spoolReplayProgress({ stats: () => seq[Math.min(i++, seq.length - 1)]! }, { isTTY: true, write: (s: string) => lines.push(s) }, 20);
    try {
      await expect.poll(() => lines.length, { timeout: 5000 }).toBe(3);
      expect(lines[0]).toBe('replaying the spool: 3 batches (300 bytes) from an earlier run\n');
      expect(lines[1]).toMatch(/^replaying the spool: 2 batches left, 500 points replayed, \d+ s\n$/);
      expect(lines[2]).toMatch(/^spool replayed: 1500 points in \d+ s\n$/);
    } finally {
      stop();
    }
  });

  it('spool replay prints nothing when the output is not a TTY or the spool is empty', () => {
    const lines: string[] = [];
    spoolReplayProgress({ stats: () => stats(3, 0) }, { isTTY: false, write: (s: string) => lines.push(s) }, 20)();
    spoolReplayProgress({ stats: () => stats(0, 0) }, { isTTY: true, write: (s: string) => lines.push(s) }, 20)();
    expect(lines).toEqual([]);
  });
});
