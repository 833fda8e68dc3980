/**
 * The HTTP side of the heavy-reads test (api-heavy-reads-ingest.test.ts), run in a worker thread
 * of its own (heavy-readers.ts) so that the service's API thread (the test's main thread) does no
 * client work and the latencies measured are the service's: `readers` clients asking `readPath`
 * in a loop (not waiting for Retry-After), and /api/health plus the OpenAPI document (which only
 * the API thread serves) sampled every `sampleEveryMs`, all for `forMs` and at most `maxReads`
 * heavy answers. Posts back every answer's status, error code, Retry-After and time.
 */
import os from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';

export interface HeavyReadersInput {
  url: string;
  readPath: string;
  readers: number;
  maxReads: number;
  forMs: number;
  /** 0: no sampling of /api/health and the OpenAPI document */
  sampleEveryMs: number;
  /** raise this thread's nice value by this much (Linux): a load generator yields the CPU to the service under test */
  nice?: number;
}

export interface HeavyAnswer { status: number; code: string | undefined; retryAfter: string | null; ms: number; rows: number | undefined }
export interface HealthSample { status: number; ms: number; atMs: number }

export interface HeavyReadersResult {
  answers: HeavyAnswer[];
  readFailures: string[];
  health: HealthSample[];
  healthFailures: string[];
  /** the OpenAPI document's times; Infinity for a failure */
  apiThreadMs: number[];
}

const input = workerData as HeavyReadersInput;
if (input.nice !== undefined && input.nice > 0 && process.platform === 'linux') os.setPriority(0, Math.min(19, os.getPriority(0) + input.nice));
const port = parentPort!;

const failure = (err: unknown, since: number): string => `${(err as Error).message} (${String((err as { cause?: Error }).cause?.message)}) after ${Math.round(performance.now() - since)} ms`;

async function run(): Promise<HeavyReadersResult> {
  const out: HeavyReadersResult = { answers: [], readFailures: [], health: [], healthFailures: [], apiThreadMs: [] };
  const start = performance.now();
  const going = (): boolean => performance.now() - start < input.forMs;
  const sampler = async (): Promise<void> => {
    while (going()) {
      const s = performance.now();
      try {
        const res = await fetch(`${input.url}/api/health`, { signal: AbortSignal.timeout(5000) });
        await res.arrayBuffer();
        out.health.push({ status: res.status, ms: performance.now() - s, atMs: Math.round(s - start) });
      } catch (err) {
        out.healthFailures.push(failure(err, s));
      }
      const o = performance.now();
      try {
        await (await fetch(`${input.url}/api/openapi.json`, { signal: AbortSignal.timeout(5000) })).arrayBuffer();
        out.apiThreadMs.push(performance.now() - o);
      } catch { out.apiThreadMs.push(Number.POSITIVE_INFINITY); }
      await new Promise((r) => setTimeout(r, input.sampleEveryMs));
    }
  };
  const reader = async (): Promise<void> => {
    while (going() && out.answers.length < input.maxReads) {
      const s = performance.now();
      try {
        const res = await fetch(`${input.url}${input.readPath}`, { signal: AbortSignal.timeout(60_000) });
        const body = await res.json() as unknown;
        const code = (body as { error?: { code?: string } }).error?.code;
        out.answers.push({ status: res.status, code, retryAfter: res.headers.get('retry-after'), ms: performance.now() - s, rows: Array.isArray(body) ? body.length : undefined });
      } catch (err) {
        out.readFailures.push(failure(err, s));
      }
    }
  };
  await Promise.all([...(input.sampleEveryMs > 0 ? [sampler()] : []), ...Array.from({ length: input.readers }, reader)]);
  return out;
}

port.once('message', () => { void run().then((r) => port.postMessage(r)); });
// Node loads fetch (undici) on its first call, which costs this thread a few hundred ms: done
// before the measurement, so the first health sample times the service, not the client
await (await fetch(`${input.url}/api/health`)).arrayBuffer();
port.postMessage('ready');
