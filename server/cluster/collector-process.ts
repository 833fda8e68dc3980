/**
 * `netatlas start --role collector`: the collectors and the write pipeline (collection-side.ts,
 * in this process's own thread: it has nothing else to do), and an HTTP endpoint of its own with
 * only GET /api/health and GET /metrics. No API, map, rollups, reports or alerts: those are the
 * api process's. With sharding on (the default for this role) it shares the SNMP devices with
 * the other collector processes through the broker (collectors/cluster/).
 */
import { mkdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../config.js';
import type { Logger } from '../../core/log.js';
import { createMetricsRegistry } from '../../core/self-metrics.js';
import { inventoryFiles } from '../inventory/inventory-files.js';
import { startCollectionSide } from '../collection/collection-side.js';
import { collectionComponent } from '../collection/collection-health.js';
import { memberHealth } from '../collection/cluster-side.js';
import { errorBody } from '../errors.js';

export interface CollectorProcess {
  readonly url: string;
  readonly config: Config;
  /** this process's collector instance id */
  readonly instance: string;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown, type = 'application/json'): void {
  const text = type === 'application/json' ? JSON.stringify(body) : String(body);
  res.writeHead(status, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store' });
  res.end(text);
}

export async function startCollectorProcess(config: Config, log: Logger): Promise<CollectorProcess> {
  mkdirSync(config.dataDir, { recursive: true });
  const files = await inventoryFiles({
    dataDir: config.dataDir, devicesFile: config.inventory.devicesFile, areasFile: config.inventory.areasFile,
    avgHouseholdSize: config.households.averageSize, simulator: config.simulator,
  }, log);
  const metrics = createMetricsRegistry();
  const side = await startCollectionSide({ config, files: { devicesPath: files.devicesPath, areasPath: files.areasPath }, log, metrics, progressOut: process.stderr });
  const startedAt = Date.now();
  const health = async (): Promise<{ ok: boolean; body: Record<string, unknown> }> => {
    const snap = await side.snapshot('in-process');
    const membership = side.cluster.membership;
    const now = Date.now();
    const cluster = {
      ok: membership === undefined || membership.members().some((m) => m.instance === side.cluster.instance),
      detail: membership ? `${membership.members().length} collector member(s) on the broker` : 'sharding off: this process polls every SNMP device',
      instance: side.cluster.instance,
      sharding: membership !== undefined,
      self: side.cluster.report(),
      members: membership?.members().map((m) => memberHealth(m, now)) ?? [],
    };
    const parts = { pipeline: snap.pipeline, broker: snap.broker, collectors: snap.collectors, collection: collectionComponent(snap, undefined), cluster };
    const ok = Object.values(parts).every((p) => p.ok);
    return { ok, body: { status: ok ? 'ok' : 'degraded', role: 'collector', uptime_s: Math.round((now - startedAt) / 1000), ...parts } };
  };
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 404, errorBody('not_found', `${req.method} ${path}: a collector process answers GET /api/health and GET /metrics only`));
    if (path === '/api/health') {
      const h = await health();
      return send(res, h.ok ? 200 : 503, h.body);
    }
    if (path === '/metrics') return send(res, 200, await metrics.metrics(), metrics.contentType.split(';')[0]);
    return send(res, 404, errorBody('not_found', `${path}: a collector process serves /api/health and /metrics only; the API is on the api process`));
  };
  const http = createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      log.error({ err }, 'collector health endpoint failed');
      if (!res.headersSent) send(res, 500, errorBody('internal'));
    });
  });
  try {
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(config.http.port, config.http.host, () => { http.off('error', reject); resolve(); });
    });
  } catch (err) {
    await side.close();
    throw err;
  }
  const port = (http.address() as AddressInfo).port;
  const host = config.http.host === '0.0.0.0' || config.http.host === '::' ? '127.0.0.1' : config.http.host;
  const url = `http://${host}:${port}`;
  log.info({ url, instance: side.cluster.instance, sharding: side.cluster.membership !== undefined }, `netatlas collector process: health on ${url}/api/health`);
  let closing: Promise<void> | undefined;
  return {
    url,
    config,
    instance: side.cluster.instance,
    close: () => (closing ??= (async () => {
      await new Promise<void>((resolve) => { http.close(() => resolve()); http.closeAllConnections(); });
      await side.close();
    })()),
  };
}
