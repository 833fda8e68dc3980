/**
 * Broker + pipeline + collectors: the collection side (server/collection/), which starts the
 * embedded broker when none is configured, the write pipeline, the simulated network with the
 * simulator on, and the collectors, in a worker thread of its own by default. Started first and
 * awaited just before listening, so the worker starts while the API side builds its parts.
 * Status points reach the live state through `feed` from the first one on.
 */
import type { Logger } from '../../core/log.js';
import type { ComponentHealth } from '../app.js';
import type { Config } from '../config.js';
import { collectionProbes } from '../collection/collection-health.js';
import { startCollection, type CollectionHandle, type CollectionMode } from '../collection/collection.js';
import type { MergedMetricsRegistry } from '../collection/merged-metrics.js';
import { PointFeed } from '../status/feed.js';

export interface CollectionPart {
  /** the status points the pipeline made durable, for the live state */
  feed: PointFeed;
  /** /api/health components the collection side answers for (pipeline, broker, collectors, …) */
  components: Record<string, () => Promise<ComponentHealth>>;
  /** the running side; rejects when it could not start */
  ready: Promise<CollectionHandle>;
  close(): Promise<void>;
}

export function startCollectionPart(opts: {
  config: Config;
  files: { devicesPath: string; areasPath: string };
  log: Logger;
  metrics: MergedMetricsRegistry;
  mode: CollectionMode;
  onFailure?: ((reason: string) => void) | undefined;
}): CollectionPart {
  const feed = new PointFeed();
  const ready = startCollection({
    config: opts.config, files: opts.files, log: opts.log, mode: opts.mode,
    onPoints: (points) => feed.publish(points),
    ...(opts.onFailure ? { onFailure: opts.onFailure } : {}),
  });
  // a failed start is thrown where `ready` is awaited; a start that does not get there is closed
  ready.catch(() => {});
  opts.metrics.attach(async () => (await ready).metricsText());
  let handle: CollectionHandle | undefined;
  void ready.then((h) => { handle = h; }, () => {});
  return {
    feed,
    ready,
    components: collectionProbes({ snapshot: async () => (await ready).snapshot(), failure: () => handle?.failure() }, opts.config.simulator.enabled),
    close: async () => { await (await ready.catch(() => undefined))?.close(); },
  };
}
