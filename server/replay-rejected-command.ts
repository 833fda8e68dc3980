/**
 * `netatlas replay-rejected`: re-sends the points the store refused (`<dataDir>/spool/rejected.jsonl`)
 * once their cause is fixed, removing those it now takes (collectors/pipeline/replay-rejected.ts).
 * Uses the configured store directly, like the service; safe while the service runs.
 * Exit code 0 when the file is left empty, 1 when points remain (still refused, or not sent
 * because the store is unavailable), 2 on a bad config.
 */
import { ConfigError, loadConfig } from './config.js';
import { createStore } from './store/create-store.js';
import { replayRejected } from '../collectors/pipeline/replay-rejected.js';

export interface ReplayRejectedIo {
  out: (line: string) => void;
  err: (line: string) => void;
  env: Readonly<Record<string, string | undefined>>;
  setExitCode: (code: number) => void;
}

export async function replayRejectedCommand(options: { config?: string }, io: ReplayRejectedIo): Promise<void> {
  let config;
  try {
    config = loadConfig({ file: options.config, env: io.env });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    for (const issue of err.issues) io.err(issue);
    io.setExitCode(2);
    return;
  }
  const store = createStore({ influx: config.store.influx, dataDir: config.dataDir });
  try {
    await store.init();
    const r = await replayRejected({ store, dataDir: config.dataDir, batchSize: config.pipeline.batchSize });
    io.out(`replay-rejected: ${r.stored} points stored and removed, ${r.stillRejected} still refused (kept), ${r.notSent} not sent (kept), ${r.unreadable} unreadable lines (kept)`);
    if (r.stoppedBy !== undefined) io.err(`replay-rejected: stopped, the store is unavailable: ${r.stoppedBy}`);
    io.setExitCode(r.stillRejected + r.notSent + r.unreadable === 0 ? 0 : 1);
  } catch (err) {
    io.err(`replay-rejected: ${(err as Error).message}`);
    io.setExitCode(1);
  } finally {
    await store.close().catch(() => undefined);
  }
}
