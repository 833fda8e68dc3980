import { StoreRejectedError, StoreUnavailableError } from './metric-store.js';
import { redactUrl } from '../redact.js';

/**
 * The data path to InfluxDB 1.x over its HTTP API: `/write` with line protocol and `/query` with
 * `epoch=ms`. Raw fetch rather than the `influx` package here, for three reasons: timestamps come
 * back as plain epoch ms, every request has a hard timeout (a paused InfluxDB must not hang a write
 * forever), and errors map cleanly: network errors, timeouts and 5xx → StoreUnavailableError (retry
 * later), 4xx → StoreRejectedError with InfluxDB's own message.
 */
export interface InfluxHttpOptions {
  url: string;
  username?: string;
  password?: string;
  timeoutMs: number;
}

export interface InfluxSeries {
  name?: string;
  tags?: Record<string, string>;
  columns: string[];
  values?: unknown[][];
}

interface QueryResult {
  statement_id?: number;
  series?: InfluxSeries[];
  error?: string;
}

export class InfluxHttp {
  constructor(private readonly opts: InfluxHttpOptions) {}

  async write(database: string, retentionPolicy: string, body: string): Promise<void> {
    const params = new URLSearchParams({ db: database, rp: retentionPolicy, precision: 'ms' });
    await this.request('POST', `/write?${params.toString()}`, body, 'text/plain; charset=utf-8', `write to ${database}`);
  }

  /**
   * One statement; returns its series. Statement errors (e.g. bad syntax) are StoreRejectedError.
   * POST by default: a device list of a few thousand ids would overflow a GET URL.
   */
  async query(database: string | undefined, q: string, method: 'GET' | 'POST' = 'POST'): Promise<InfluxSeries[]> {
    const params = new URLSearchParams({ q, epoch: 'ms' });
    if (database !== undefined) params.set('db', database);
    const text = method === 'GET'
      ? await this.request('GET', `/query?${params.toString()}`, undefined, undefined, 'query')
      : await this.request('POST', '/query', params.toString(), 'application/x-www-form-urlencoded', 'query');
    let parsed: { results?: QueryResult[]; error?: string };
    try {
      parsed = JSON.parse(text) as { results?: QueryResult[]; error?: string };
    } catch (cause) {
      throw new StoreUnavailableError(`InfluxDB query: unreadable response`, { cause });
    }
    if (parsed.error) throw new StoreRejectedError(`InfluxDB query: ${parsed.error}`);
    const result = parsed.results?.[0];
    if (result?.error) throw new StoreRejectedError(`InfluxDB query: ${result.error} (query: ${q})`);
    return result?.series ?? [];
  }

  async ping(): Promise<string> {
    const res = await this.fetch('GET', '/ping', undefined, undefined, 'ping');
    if (res.status !== 204 && res.status !== 200) throw new StoreUnavailableError(`InfluxDB ping: HTTP ${res.status}`);
    return res.headers.get('x-influxdb-version') ?? 'unknown';
  }

  private async request(method: string, path: string, body: string | undefined, contentType: string | undefined, what: string): Promise<string> {
    const res = await this.fetch(method, path, body, contentType, what);
    const text = await res.text().catch((cause: unknown) => {
      throw new StoreUnavailableError(`InfluxDB ${what}: reading response failed`, { cause });
    });
    if (res.status >= 200 && res.status < 300) return text;
    const message = influxMessage(text) ?? `HTTP ${res.status}`;
    // A missing database is a setup problem, not a bad point: retrying after init() succeeds, so
    // the write pipeline must keep (spool) the points rather than drop them.
    if (res.status >= 500 || /database not found/.test(message)) {
      throw new StoreUnavailableError(`InfluxDB ${what}: HTTP ${res.status}: ${message}`);
    }
    throw new StoreRejectedError(`InfluxDB ${what}: HTTP ${res.status}: ${message}`);
  }

  private async fetch(method: string, path: string, body: string | undefined, contentType: string | undefined, what: string): Promise<Response> {
    const headers: Record<string, string> = {};
    if (contentType) headers['content-type'] = contentType;
    if (this.opts.username !== undefined) {
      const token = Buffer.from(`${this.opts.username}:${this.opts.password ?? ''}`).toString('base64');
      headers['authorization'] = `Basic ${token}`;
    }
    try {
      return await fetch(new URL(path, this.opts.url), {
        method, headers, body, signal: AbortSignal.timeout(this.opts.timeoutMs),
      });
    } catch (cause) {
      const reason = cause instanceof Error && cause.name === 'TimeoutError'
        ? `no answer within ${this.opts.timeoutMs} ms`
        : describeNetworkError(cause);
      throw new StoreUnavailableError(`InfluxDB ${what} at ${redactUrl(this.opts.url)}: ${reason}`, { cause });
    }
  }
}

function influxMessage(text: string): string | undefined {
  try {
    const parsed = JSON.parse(text) as { error?: unknown };
    return typeof parsed.error === 'string' ? parsed.error : undefined;
  } catch {
    return text.trim() || undefined;
  }
}

function describeNetworkError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as Error & { cause?: unknown }).cause;
  if (cause instanceof Error) return `${err.message}: ${cause.message}`;
  return err.message;
}
