import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BatchingWriter } from '../../collectors/pipeline/index.js';
import { pipelineHealth } from '../../collectors/pipeline/pipeline-health.js';
import type { PipelineState } from '../../collectors/pipeline/pipeline-metrics.js';
import { FaultyStore } from './pipeline-fake-store.js';

let dataDir: string;
beforeEach(async () => { dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'netatlas-health-')); });
afterEach(async () => { await fs.rm(dataDir, { recursive: true, force: true }); });

const MiB = 1024 ** 2;
const quiet: PipelineState = {
  accepted: 0, written: 0, spooled: 0, replayed: 0, dropped: 0, rejected: 0, queuedPoints: 0, spoolRecords: 0, spoolBytes: 0,
  maxSpoolBytes: 1024 * MiB, spoolFullSince: null, spoolFullWaits: 0, storeUnavailable: null,
};

describe('pipeline health (issue 14)', () => {
  it('is degraded below the free-space threshold, naming both figures', () => {
    const h = pipelineHealth({ stats: quiet, deadLetters: 0, deadLetterFile: 'x/rejected.jsonl', freeBytes: 300 * MiB, minFreeBytes: 512 * MiB });
    expect(h.ok).toBe(false);
    expect(h.detail).toBe('data dir has 300 MiB free, below 512 MiB');
    expect(pipelineHealth({ stats: quiet, deadLetters: 0, deadLetterFile: 'x', freeBytes: 600 * MiB, minFreeBytes: 512 * MiB }).ok).toBe(true);
  });

  it('names the store refusal and a full spool; dead letters are shown without degrading', () => {
    const stats: PipelineState = { ...quiet, spoolBytes: 1024 * MiB, spoolFullSince: '2026-12-01T10:00:00.000Z', storeUnavailable: { since: '2026-12-01T09:00:00.000Z', cause: 'InfluxDB write to netatlas: HTTP 403: forbidden (not authorized: the user lacks the WRITE (or READ) privilege on the database)' } };
    const h = pipelineHealth({ stats, deadLetters: 2, deadLetterFile: 'd/rejected.jsonl', freeBytes: null, minFreeBytes: 1 });
    expect(h.ok).toBe(false);
    expect(h.detail).toContain('store not taking writes since 2026-12-01T09:00:00.000Z: InfluxDB write to netatlas: HTTP 403');
    expect(h.detail).toContain('spool full (1024 MiB of 1024 MiB) since 2026-12-01T10:00:00.000Z: ingestion paused');
    const onlyLetters = pipelineHealth({ stats: quiet, deadLetters: 2, deadLetterFile: 'd/rejected.jsonl', freeBytes: null, minFreeBytes: 1 });
    expect([onlyLetters.ok, onlyLetters.deadLetters]).toEqual([true, 2]);
    expect(onlyLetters.detail).toBe('2 points refused by the store kept in d/rejected.jsonl (fix, then netatlas replay-rejected)');
  });

  it('reads the data dir free space with statfs (a threshold above any disk degrades)', async () => {
    const writer = await BatchingWriter.open({ store: new FaultyStore(), dataDir, minFreeBytes: Number.MAX_SAFE_INTEGER });
    try {
      const h = await writer.health();
      expect(typeof h.freeBytes).toBe('number');
      expect(h.freeBytes).toBeGreaterThan(0);
      expect(h.ok).toBe(false);
      expect(h.detail).toMatch(/^data dir has \d+ MiB free, below \d+ MiB$/);
    } finally {
      await writer.close();
    }
  });
});
