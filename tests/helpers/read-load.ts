/**
 * Load helpers of the collection-isolation test and the soak benchmark: history seeded into an
 * embedded store before the service starts (so that reads cost what they cost after a while),
 * concurrent map loads bounded in count and time, and a QoS 1 publisher that times each PUBACK.
 */
import { performance } from 'node:perf_hooks';
import mqtt from 'mqtt';
import { loadInventory } from '../../server/inventory/loader.js';
import type { Point } from '../../core/point.js';
import { SqliteStore } from '../../server/store/sqlite-store.js';

/** the q-th percentile (0..100) of the values, nearest rank; NaN when empty */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((q / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

/**
 * Writes `minutes` of device_status history (every device up, at its inventory interval, else
 * `snmpIntervalS` for an SNMP device and 60 s for others) ending now into
 * `<dataDir>/metrics.sqlite`, as the collectors would have: the reads then rebuild that much
 * history. Returns the number of points written.
 */
export async function seedStatusHistory(dataDir: string, files: { devicesPath: string; areasPath: string }, minutes: number, snmpIntervalS: number, now = Date.now()): Promise<number> {
  const loaded = await loadInventory({ ...files, avgHouseholdSize: 2.1 });
  if (!loaded.ok) throw new Error(loaded.errors.join('; '));
  const store = new SqliteStore({ dataDir });
  await store.init();
  const from = now - minutes * 60_000;
  let written = 0;
  let batch: Point[] = [];
  for (const d of loaded.inventory.all()) {
    const stepMs = (d.intervalS ?? (d.snmp ? snmpIntervalS : 60)) * 1000;
    const source = d.snmp ? 'snmp' : 'mqtt';
    for (let t = from; t < now && batch.length < 1_000_000; t += stepMs) {
      batch.push({ measurement: 'device_status', tags: { device: d.id, site: d.site, area: d.area, tech: d.tech, source }, fields: { up: 1 }, time: t });
      if (batch.length >= 5000) { await store.write(batch); written += batch.length; batch = []; }
    }
  }
  await store.write(batch);
  written += batch.length;
  await store.close();
  return written;
}

export interface BurstResult {
  requests: number;
  failed: number;
  /** the first few failures: HTTP status or error message */
  failures: string[];
  seconds: number;
  perSecond: number;
  medianMs: number;
  p99Ms: number;
  maxMs: number;
}

/**
 * `concurrency` clients each loading `url` in a loop until `durationMs` has passed (a request
 * started before then is waited for, up to its `timeoutMs`), at most `maxRequests` in all.
 */
export async function concurrentLoads(url: string, o: { concurrency: number; durationMs: number; maxRequests: number; timeoutMs?: number; headers?: Record<string, string> }): Promise<BurstResult> {
  const latencies: number[] = [];
  let failed = 0;
  const failures: string[] = [];
  let started = 0;
  const t0 = performance.now();
  const deadline = t0 + o.durationMs;
  const client = async (): Promise<void> => {
    while (performance.now() < deadline && started < o.maxRequests) {
      started += 1;
      const s = performance.now();
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(o.timeoutMs ?? 120_000), ...(o.headers ? { headers: o.headers } : {}) });
        await res.arrayBuffer();
        if (res.ok) latencies.push(performance.now() - s);
        else { failed += 1; if (failures.length < 5) failures.push(`HTTP ${res.status} after ${Math.round(performance.now() - s)} ms`); }
      } catch (err) {
        failed += 1;
        if (failures.length < 5) failures.push(`${(err as Error).message}${(err as { cause?: Error }).cause ? ` (${(err as { cause: Error }).cause.message})` : ''} after ${Math.round(performance.now() - s)} ms`);
      }
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, client));
  const seconds = (performance.now() - t0) / 1000;
  return {
    requests: latencies.length, failed, failures, seconds: round1(seconds), perSecond: round1(latencies.length / seconds),
    medianMs: round1(percentile(latencies, 50)), p99Ms: round1(percentile(latencies, 99)), maxMs: round1(Math.max(0, ...latencies)),
  };
}

export interface PubackProbe {
  /** Stops publishing; resolves with every PUBACK latency measured (ms). */
  stop(): Promise<{ latenciesMs: number[]; failed: number }>;
}

/**
 * A test publisher on `brokerUrl`: one QoS 1 message every `everyMs` on `topic` (no collector
 * subscribes to it), each timed from publish to PUBACK; one at a time, at most `maxMessages`.
 */
export async function startPubackProbe(brokerUrl: string, o: { topic: string; everyMs: number; maxMessages: number; protocolVersion?: 4 | 5 }): Promise<PubackProbe> {
  const client = mqtt.connect(brokerUrl, { protocolVersion: o.protocolVersion ?? 4, reconnectPeriod: 0, connectTimeout: 10_000, clientId: `puback-probe-${process.pid}-${Date.now()}` });
  await new Promise<void>((resolve, reject) => { client.once('connect', () => resolve()); client.once('error', reject); });
  const latenciesMs: number[] = [];
  let failed = 0;
  let stopped = false;
  const loop = (async () => {
    for (let i = 0; i < o.maxMessages && !stopped; i++) {
      const s = performance.now();
      try {
        await client.publishAsync(o.topic, `probe ${i}`, { qos: 1 });
        latenciesMs.push(performance.now() - s);
      } catch {
        failed += 1;
      }
      const wait = o.everyMs - (performance.now() - s);
      if (wait > 0 && !stopped) await new Promise((r) => setTimeout(r, wait));
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await loop;
      await client.endAsync();
      return { latenciesMs, failed };
    },
  };
}
