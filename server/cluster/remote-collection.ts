/**
 * The collection part of an api process (`role: api`): collection runs in the collector
 * processes, so there is no pipeline here. What stands in for it (compose/collection.ts's
 * CollectionPart):
 *
 * - the feed of status points comes from the store, read every `pollMs` (2 s): the points the
 *   collector processes wrote since the last look, so that the live state, the map and the events
 *   follow them within seconds instead of the live state's 30 s reconciliation (which still
 *   catches late points, e.g. a spool replayed after an outage);
 * - /api/health's `collectors` lists the collector members from their presence on the broker
 *   (devices, last cycle, lag), and `broker` says whether the api process reaches it.
 */
import type { Logger } from '../../core/log.js';
import type { Point } from '../../core/point.js';
import type { ComponentHealth } from '../app.js';
import type { Config } from '../config.js';
import type { MetricStore } from '../store/metric-store.js';
import type { CollectionHandle } from '../collection/collection.js';
import type { CollectionPart } from '../compose/collection.js';
import { snmpSection } from '../config-collectors.js';
import { PointFeed } from '../status/feed.js';
import { ClusterMembership } from '../../collectors/cluster/membership.js';
import { redactUrl } from '../../core/redact.js';
import { memberHealth } from '../collection/cluster-side.js';

/** how far back each store read looks: points reach the store up to a pipeline flush (and a poll) late */
const OVERLAP_MS = 15_000;
const MEASUREMENTS = ['device_status', 'collector_status'] as const;

/** Publishes to `feed` the status points written to `store` by other processes, every `pollMs`. */
export function feedFromStore(store: Pick<MetricStore, 'querySeries'>, feed: PointFeed, log: Logger, pollMs = 2000, now: () => number = Date.now): () => void {
  let from = now() - OVERLAP_MS;
  /** keys of the points already published that the overlap will read again */
  let seen = new Map<string, number>();
  let busy = false;
  const look = async (): Promise<void> => {
    if (busy) return;
    busy = true;
    const to = now() + 1;
    try {
      const points: Point[] = [];
      const next = new Map<string, number>();
      for (const measurement of MEASUREMENTS) {
        for (const r of await store.querySeries({ measurement, from, to })) {
          const key = `${measurement}\u0000${JSON.stringify(r.tags)}\u0000${r.time}`;
          if (r.time >= to - OVERLAP_MS) next.set(key, r.time);
          if (seen.has(key)) continue;
          points.push({ measurement, tags: r.tags, fields: r.fields, time: r.time });
        }
      }
      seen = next;
      from = to - OVERLAP_MS;
      points.sort((a, b) => a.time - b.time);
      feed.publish(points);
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'api process: status points not read from the store; trying again');
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void look(), pollMs);
  timer.unref();
  void look();
  return () => clearInterval(timer);
}

export function startRemoteCollectionPart(opts: { config: Config; store: Pick<MetricStore, 'querySeries'>; log: Logger; pollMs?: number }): CollectionPart {
  const { config, log } = opts;
  const feed = new PointFeed();
  const stopFeed = feedFromStore(opts.store, feed, log, opts.pollMs);
  const url = config.mqtt.url;
  const watcher = url === undefined ? undefined : new ClusterMembership({
    url, instance: `netatlas-api-${process.pid}`, topicPrefix: config.mqtt.topicPrefix, intervalS: snmpSection(config).intervalS,
    keepaliveS: config.cluster.keepaliveS, username: config.mqtt.username, password: config.mqtt.password, announce: false, log,
  });
  // the broker may come later: the api serves meanwhile, and health says so
  const watching = watcher?.start().catch((err: Error) => log.warn({ err: err.message }, 'api process: collector members not watched yet (broker not reachable); mqtt.js keeps trying'));
  const handle: CollectionHandle = {
    where: 'collector-processes',
    brokerUrl: url ?? '',
    snapshot: () => Promise.reject(new Error('collection runs in the collector processes: ask their /api/health')),
    metricsText: async () => '',
    onPoints: (fn) => feed.onPoints(fn),
    failure: () => undefined,
    close: async () => {
      stopFeed();
      await watching;
      await watcher?.stop();
    },
  };
  const collectors = async (): Promise<ComponentHealth> => {
    if (!watcher) return { ok: false, detail: 'mqtt.url is not set: the collector members cannot be seen', members: [] };
    const now = Date.now();
    const members = watcher.members().map((m) => memberHealth(m, now));
    const devices = members.reduce((n, m) => n + (m['devices'] as number), 0);
    return {
      ok: members.length > 0,
      detail: members.length > 0 ? `${members.length} collector member(s) polling ${devices} SNMP device(s)` : 'no collector member on the broker',
      members,
    };
  };
  const broker = async (): Promise<ComponentHealth> => (watcher
    ? { ok: watcher.isConnected(), detail: `${redactUrl(url!)}: ${watcher.isConnected() ? 'connected' : 'not connected'} (membership watch)` }
    : { ok: false, detail: 'no broker configured' });
  return {
    feed,
    ready: Promise.resolve(handle),
    components: {
      broker,
      collectors,
      collection: async () => ({ ok: true, detail: 'role api: collection runs in the collector processes (each answers its own /api/health)' }),
    },
    close: () => handle.close(),
  };
}
