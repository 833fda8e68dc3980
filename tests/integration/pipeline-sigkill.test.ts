/**
 * A process running the pipeline is killed with SIGKILL while it spools (its store is a dead
 * port). A new pipeline on the same data dir, with a real InfluxDB, must replay every point the
 * dead process acknowledged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { InfluxStore } from '../../server/store/influx-store.js';
import { BatchingWriter } from '../../collectors/pipeline/index.js';
import { freePort, startInfluxProcess, type InfluxProcess } from '../helpers/influx-process.js';

const here = path.dirname(fileURLToPath(import.meta.url));
let influx: InfluxProcess;
beforeAll(async () => { influx = await startInfluxProcess(); });
afterAll(async () => { await influx?.cleanup(); });

describe('write pipeline killed with SIGKILL', () => {
  it('replays every acknowledged point after the process that spooled them was killed mid-stream', async () => {
    const database = `netatlas_pipeline_sigkill_${process.pid}_${Date.now()}`;
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'netatlas-sigkill-'));
    const t0 = Date.now() - 3_600_000;
    const total = 200_000;
    const perWrite = 50;
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'pipeline-sigkill-child.ts'), dataDir, String(await freePort()), String(t0), String(total), String(perWrite)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NETATLAS_LOG_LEVEL: 'silent' },
    });
    let stderr = '';
    child.stderr!.on('data', (b: Buffer) => { stderr += b.toString(); });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    let acked = 0;
    let done = false;
    try {
      // kill it once a good number of writes were acknowledged, without waiting for the end
      for await (const line of readline.createInterface({ input: child.stdout! })) {
        if (line === 'DONE') { done = true; break; }
        const m = /^ACK (\d+)$/.exec(line);
        if (m) acked = Number(m[1]);
        if (acked >= 5000) { child.kill('SIGKILL'); break; }
      }
      await exited;
      expect(done, `the child should have been killed before finishing; stderr: ${stderr}`).toBe(false);
      expect(child.signalCode).toBe('SIGKILL');
      expect(acked).toBeGreaterThanOrEqual(5000);

      const store = new InfluxStore({ url: influx.url, database, timeoutMs: 5000 });
      await store.init();
      const writer = await BatchingWriter.open({ store, dataDir });
      await writer.whenSpoolDrained();
      const stats = writer.stats();
      await writer.close();
      expect(stats.replayed).toBeGreaterThanOrEqual(acked);
      expect(stats.dropped).toBe(0);

      const ackedCount = await influx.query(database,
        `SELECT count("ifHCInOctets") FROM "raw"."interface" WHERE time >= ${t0}ms AND time < ${t0 + acked}ms`);
      expect(ackedCount.results[0]?.series?.[0]?.values[0]?.[1]).toBe(acked);
      // points are 0..n-1 in order: their sum proves the acknowledged ones are the ones present
      const sum = await influx.query(database,
        `SELECT sum("ifHCInOctets") FROM "raw"."interface" WHERE time >= ${t0}ms AND time < ${t0 + acked}ms`);
      expect(sum.results[0]?.series?.[0]?.values[0]?.[1]).toBe((acked * (acked - 1)) / 2);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await influx.query(undefined, `DROP DATABASE "${database}"`);
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
