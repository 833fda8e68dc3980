import fs from 'node:fs/promises';
import type { PipelineState } from './pipeline-metrics.js';

/**
 * The write pipeline's health, as /api/health shows it: degraded (ok false) while points are being
 * lost (dropped), while the store refuses writes for a reason that is not the points' fault (the
 * cause is named: authentication, privilege, missing database, rate limiting, unreachable…),
 * while the spool is full, and while the data dir's file system has less than `minFreeBytes` free.
 * Points in the dead-letter file are shown (count and file) without degrading: they are the
 * points' own fault, kept for an operator, and would otherwise keep health red until pruned.
 */
export interface PipelineHealth extends PipelineState {
  ok: boolean;
  detail: string;
  /** lines in rejected.jsonl (points the store refused; `netatlas replay-rejected` re-sends them) */
  deadLetters: number | null;
  deadLetterFile: string;
  /** free bytes on the data dir's file system, null when it could not be read */
  freeBytes: number | null;
  minFreeBytes: number;
  [extra: string]: unknown;
}

export interface PipelineHealthInput {
  stats: PipelineState;
  deadLetters: number | null;
  deadLetterFile: string;
  freeBytes: number | null;
  minFreeBytes: number;
}

const mib = (bytes: number): string => `${(bytes / 1024 ** 2).toFixed(0)} MiB`;

export function pipelineHealth(input: PipelineHealthInput): PipelineHealth {
  const { stats } = input;
  const problems: string[] = [];
  if (stats.dropped > 0) problems.push(`${stats.dropped} points lost (spool not writable)`);
  if (stats.storeUnavailable) problems.push(`store not taking writes since ${stats.storeUnavailable.since}: ${stats.storeUnavailable.cause}; points are spooled`);
  if (stats.spoolFullSince) problems.push(`spool full (${mib(stats.spoolBytes)} of ${mib(stats.maxSpoolBytes)}) since ${stats.spoolFullSince}: ingestion paused`);
  if (input.freeBytes !== null && input.freeBytes < input.minFreeBytes) problems.push(`data dir has ${mib(input.freeBytes)} free, below ${mib(input.minFreeBytes)}`);
  const notes = [...problems];
  if (input.deadLetters !== null && input.deadLetters > 0) notes.push(`${input.deadLetters} points refused by the store kept in ${input.deadLetterFile} (fix, then netatlas replay-rejected)`);
  return {
    ok: problems.length === 0,
    detail: notes.length === 0 ? 'no points lost' : notes.join('; '),
    ...stats,
    deadLetters: input.deadLetters,
    deadLetterFile: input.deadLetterFile,
    freeBytes: input.freeBytes,
    minFreeBytes: input.minFreeBytes,
  };
}

/** Bytes available to this (unprivileged) process on the file system holding `dir`. */
export async function freeBytes(dir: string): Promise<number> {
  const st = await fs.statfs(dir);
  return st.bavail * st.bsize;
}
