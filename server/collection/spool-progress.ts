/**
 * On a TTY, one line every 5 s while the spool left by an earlier run (a long store outage) is
 * replayed: batches left and points replayed. Whole lines, as the JSON logs share the terminal.
 * Runs where the pipeline runs (the collection worker); main.ts re-exports it.
 */
import type { PipelineStats } from '../../collectors/pipeline/pipeline-metrics.js';

export function spoolReplayProgress(pipeline: { stats(): PipelineStats }, out: { isTTY?: boolean; write(s: string): unknown }, everyMs = 5000): () => void {
  const first = pipeline.stats();
  if (out.isTTY !== true || first.spoolRecords === 0) return () => {};
  const started = Date.now();
  out.write(`replaying the spool: ${first.spoolRecords} batches (${first.spoolBytes} bytes) from an earlier run\n`);
  const timer = setInterval(() => {
    const s = pipeline.stats();
    const elapsed = `${Math.round((Date.now() - started) / 1000)} s`;
    if (s.spoolRecords === 0) {
      out.write(`spool replayed: ${s.replayed} points in ${elapsed}\n`);
      clearInterval(timer);
    } else {
      out.write(`replaying the spool: ${s.spoolRecords} batches left, ${s.replayed} points replayed, ${elapsed}\n`);
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
