import { InfluxDB, ResultError } from 'influx';
import type { Logger } from '../../core/log.js';
import { StoreRejectedError, StoreUnavailableError } from '../../core/point-writer.js';
import { redactUrl } from '../../core/redact.js';

/**
 * Database and retention-policy set-up through the `influx` package (what it is good at). Idempotent:
 * a second run with the same options changes nothing; a changed duration is altered in place.
 */
export interface InfluxAdminOptions {
  url: string;
  database: string;
  username?: string;
  password?: string;
  timeoutMs: number;
  retentionPolicies: ReadonlyArray<{ name: string; duration: string; isDefault: boolean }>;
}

export async function ensureDatabase(opts: InfluxAdminOptions, log: Logger): Promise<void> {
  const u = new URL(opts.url);
  const client = new InfluxDB({
    host: u.hostname,
    port: Number(u.port || (u.protocol === 'https:' ? 443 : 80)),
    protocol: u.protocol === 'https:' ? 'https' : 'http',
    ...(opts.username !== undefined ? { username: opts.username, password: opts.password ?? '' } : {}),
    // The pool's own retries would multiply the timeout; the caller (main, the pipeline) retries.
    pool: { maxRetries: 0, requestTimeout: opts.timeoutMs },
  });
  try {
    const names = await client.getDatabaseNames();
    if (!names.includes(opts.database)) {
      await client.createDatabase(opts.database);
      log.info({ database: opts.database }, 'influx database created');
    }
    const existing = await client.showRetentionPolicies(opts.database);
    for (const rp of opts.retentionPolicies) {
      const found = existing.find((e) => e.name === rp.name);
      const wantMs = parseDurationMs(rp.duration);
      if (!found) {
        await client.createRetentionPolicy(rp.name, { database: opts.database, duration: rp.duration, replication: 1, isDefault: rp.isDefault });
        log.info({ database: opts.database, rp: rp.name, duration: rp.duration }, 'influx retention policy created');
      } else if (parseDurationMs(found.duration) !== wantMs || found.default !== rp.isDefault) {
        await client.alterRetentionPolicy(rp.name, { database: opts.database, duration: rp.duration, replication: found.replicaN, isDefault: rp.isDefault });
        log.info({ database: opts.database, rp: rp.name, duration: rp.duration, was: found.duration }, 'influx retention policy altered');
      }
    }
  } catch (err) {
    if (err instanceof StoreRejectedError || err instanceof StoreUnavailableError) throw err;
    if (err instanceof ResultError) throw new StoreRejectedError(`InfluxDB init of ${opts.database}: ${err.message}`, { cause: err });
    throw new StoreUnavailableError(`InfluxDB init of ${opts.database} at ${redactUrl(opts.url)}: ${(err as Error).message}`, { cause: err });
  }
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * InfluxQL durations (`90d`, `1825d`, `2160h0m0s`, `INF`/`0s` = forever) in ms, so that the
 * configured `90d` and the `2160h0m0s` that SHOW RETENTION POLICIES reports compare equal.
 */
export function parseDurationMs(text: string): number {
  const t = text.trim();
  if (/^inf$/i.test(t)) return 0;
  const re = /(\d+)(ms|s|m|h|d|w)/g;
  let total = 0;
  let consumed = 0;
  for (const m of t.matchAll(re)) {
    total += Number(m[1]) * (UNIT_MS[m[2] as string] ?? 0);
    consumed += m[0].length;
  }
  if (consumed !== t.length || consumed === 0) throw new StoreRejectedError(`retention duration ${JSON.stringify(text)}: not an InfluxQL duration (e.g. 90d)`);
  return total;
}
