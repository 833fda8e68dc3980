import { StoreRejectedError, StoreUnavailableError } from '../../core/point-writer.js';
import { redactUrl } from '../../core/redact.js';

/**
 * The data path to InfluxDB 1.x over its HTTP API: `/write` with line protocol and `/query` with
 * `epoch=ms`. Raw fetch rather than the `influx` package here, for three reasons: timestamps come
 * back as plain epoch ms, every request has a hard timeout (a paused InfluxDB must not hang a write
 * forever), and errors map cleanly (refusalOf below): only a refusal of the points themselves
 * (HTTP 400: partial write, field type conflict, points beyond retention, unparsable line) is a
 * StoreRejectedError; everything else (network errors, timeouts, 401, 403, 404, 408, 413, 429,
 * 5xx) is a StoreUnavailableError naming the cause, so the write pipeline spools and retries
 * instead of dead-lettering good points because of a revoked password or a missing database.
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

  /**
   * A batch InfluxDB answers 413 (larger than its max-body-size) is split in halves until each part
   * fits, rather than spooled and retried whole forever; a single line that still does not fit is
   * a refusal of that point (dead-lettered, replayable once max-body-size is raised). Depth is at
   * most log2(lines). Halves already written are written again if a later half fails: points
   * overwrite by identity, so that is harmless.
   */
  async write(database: string, retentionPolicy: string, body: string): Promise<void> {
    const params = new URLSearchParams({ db: database, rp: retentionPolicy, precision: 'ms' });
    const send = async (text: string): Promise<void> => {
      try {
        await this.request('POST', `/write?${params.toString()}`, text, 'text/plain; charset=utf-8', `write to ${database}`);
      } catch (err) {
        if (!(err instanceof StorePayloadTooLargeError)) throw err;
        const lines = text.split('\n').filter((l) => l.length > 0);
        if (lines.length <= 1) throw new StoreRejectedError(`InfluxDB write to ${database}: a single point of ${text.length} bytes is larger than InfluxDB accepts (HTTP 413; raise max-body-size)`);
        const mid = Math.ceil(lines.length / 2);
        await send(lines.slice(0, mid).join('\n'));
        await send(lines.slice(mid).join('\n'));
      }
    };
    await send(body);
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
    throw refusalOf(res.status, influxMessage(text) ?? `HTTP ${res.status}`, what);
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

/** 413: the pipeline never sees it, write() splits the batch (or refuses a single huge point) */
export class StorePayloadTooLargeError extends StoreUnavailableError {}

/** What a non-2xx answer means for the points: their own refusal, or a store we cannot use now. */
export function refusalOf(status: number, message: string, what: string): StoreRejectedError | StoreUnavailableError {
  const text = `InfluxDB ${what}: HTTP ${status}: ${message}`;
  // A missing database or retention policy is a setup problem, not a bad point: once init() (or
  // an operator) creates it the same points are accepted, so they must be spooled, not refused.
  if (/database not found|retention policy not found/.test(message)) return new StoreUnavailableError(`${text} (database or retention policy missing)`);
  if (status === 400) return new StoreRejectedError(text);
  const cause = UNAVAILABLE_CAUSES[status];
  if (status === 413) return new StorePayloadTooLargeError(`${text} (${cause})`);
  return new StoreUnavailableError(cause ? `${text} (${cause})` : text);
}

const UNAVAILABLE_CAUSES: Record<number, string> = {
  401: 'authentication failed: check store.influx username/password',
  403: 'not authorized: the user lacks the WRITE (or READ) privilege on the database',
  404: 'database missing',
  408: 'InfluxDB timed out reading the request',
  413: 'batch larger than InfluxDB max-body-size',
  429: 'InfluxDB is rate limiting',
};

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
