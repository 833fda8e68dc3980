/**
 * The collection side of the service: the write pipeline (and its spool), the embedded MQTT broker
 * when none is configured, the demo's simulated network, and the collectors. It runs in a worker
 * thread of its own in the service (collection-in-worker.ts), so that API work on the main
 * thread cannot delay a poll cycle, a PUBACK or a write; it can also run in the calling thread
 * (tests, tools). Either way it answers with the same snapshot (collection-health.ts).
 *
 * It opens its own connection to the store: the pipeline is the only writer of collected points.
 * With the embedded SQLite store the main thread also writes (hourly rollups, alert state), on
 * its own connection: WAL lets readers run beside the writer, and a writer that finds the lock
 * taken waits for it (busy_timeout, 5 s by default) instead of failing.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Counter } from 'prom-client';
import type { ComponentHealth } from '../app.js';
import type { Config } from '../config.js';
import type { Logger } from '../../core/log.js';
import { registered, type Registry } from '../../core/self-metrics.js';
import type { Point } from '../../core/point.js';
import type { MetricStore } from '../store/metric-store.js';
import { openStore } from '../store/open-store.js';
import { startEmbeddedBroker, type EmbeddedBroker } from '../broker/embedded-broker.js';
import { brokerHealth, brokerSysOf } from '../broker/broker-health.js';
import { watchInventory } from '../inventory/watcher.js';
import { intervalMsOf, intervalSOf } from '../status/intervals.js';
import { EvidenceThinner } from '../status/evidence-thinning.js';
import { BatchingWriter } from '../../collectors/pipeline/index.js';
import { CollectorRunner } from '../../collectors/runner.js';
import { registry as collectorRegistry } from '../../collectors/registry.js';
import { type InventoryView } from '../../core/inventory-view.js';
import type { Collector } from '../../collectors/types.js';
import { spoolReplayProgress } from './spool-progress.js';
import { startClusterSide, type ClusterSide, type CycleReport } from './cluster-side.js';
import { collectorHealth, inventoryChecks, STATUS_MEASUREMENTS, type CollectionSnapshot } from './collection-health.js';
import { collectorSections, intervalsFromConfig } from '../config-collectors.js';

export interface CollectionOptions {
  config: Config;
  /** the inventory files main.ts chose (the demo's when none are configured) */
  files: { devicesPath: string; areasPath: string };
  log: Logger;
  /** where the collectors and the pipeline register their metrics */
  metrics: Registry;
  /** device_status and collector_status points of each batch the store accepted, in write order */
  onPoints?: (points: readonly Point[]) => void;
  /** where the spool replay's progress lines go (only on a TTY) */
  progressOut?: { isTTY?: boolean; write(s: string): unknown };
}

export interface CollectionSide {
  readonly brokerUrl: string;
  /** the instance id, and the membership when sharding is on */
  readonly cluster: ClusterSide;
  snapshot(where: CollectionSnapshot['where']): Promise<CollectionSnapshot>;
  /** Stops collection, then flushes the pipeline (to the store or its spool), then the store. */
  close(): Promise<void>;
}

export async function startCollectionSide(opts: CollectionOptions): Promise<CollectionSide> {
  const { config, log, metrics } = opts;
  const closers: (() => Promise<void>)[] = [];
  const closeAll = async (): Promise<void> => {
    for (const close of closers.reverse()) await close().catch((err: Error) => log.error({ err }, 'collection: error while shutting down'));
  };
  try {
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    closers.push(async () => { delay.disable(); });
    const { store, close: closeStore } = await openStore({ influx: config.store.influx, dataDir: config.dataDir }, log, 'collection');
    closers.push(closeStore);
    // The store as the pipeline sees it: each batch the store accepted (from the queue or replayed
    // from the spool) has its status points handed on (the status owner's feed, server/status/feed.ts).
    // Up samples that change no timeline are left out of each write (server/status/evidence-thinning.ts):
    // the pipeline, its spool and its PUBACKs still see every point. Devices are known once the
    // inventory is read, below; until then nothing is thinned.
    let deviceById: InventoryView['byId'] = () => undefined;
    const intervals = intervalsFromConfig(config);
    const thinner = new EvidenceThinner((id) => {
      const device = deviceById(id);
      return device ? intervalMsOf(device, intervals) : undefined;
    });
    const thinned = registered(metrics, 'netatlas_status_up_samples_thinned_total', () => new Counter({ name: 'netatlas_status_up_samples_thinned_total', help: 'device_status up samples left out of a write because they change no timeline (DESIGN.md: writes are thinned)', registers: [metrics] }));
    const onPoints = opts.onPoints;
    const writeTo: Pick<MetricStore, 'write'> = {
      write: async (batch) => {
        const points = thinner.thin(batch);
        if (points.length < batch.length) thinned.inc(batch.length - points.length);
        await store.write(points);
        if (!onPoints) return;
        const status = points.filter((p) => STATUS_MEASUREMENTS.has(p.measurement));
        if (status.length > 0) onPoints(status);
      },
    };
    const pipeline = await BatchingWriter.open({
      store: writeTo,
      dataDir: config.dataDir,
      batchSize: config.pipeline.batchSize,
      flushIntervalMs: config.pipeline.flushIntervalMs,
      maxQueuePoints: config.pipeline.maxQueuePoints,
      maxSpoolBytes: config.pipeline.maxSpoolBytes,
      minFreeBytes: config.pipeline.minFreeBytes,
      rejectedRetentionMs: config.retention.rejectedDays * 86_400_000,
      registry: metrics,
      logger: log,
    });
    // Closed before the store (closers run in reverse), so queued points reach it or the spool.
    closers.push(() => pipeline.close());
    const stopReplayProgress = spoolReplayProgress(pipeline, opts.progressOut ?? { write: () => true });
    closers.push(async () => stopReplayProgress());

    let broker: EmbeddedBroker | undefined;
    if (config.mqtt.url === undefined) {
      broker = await startEmbeddedBroker({ port: config.mqtt.embeddedPort, log });
      closers.push(() => broker!.close());
    }
    const brokerUrl = broker?.url ?? config.mqtt.url!;
    const inventory = await watchInventory({ ...opts.files, avgHouseholdSize: config.households.averageSize, log, validate: inventoryChecks(config) });
    closers.push(async () => inventory.close());
    const sections = collectorSections(config, brokerUrl, broker !== undefined);
    let view: InventoryView = inventory.view;
    deviceById = (id) => inventory.view.byId(id);
    let simulator: (() => ComponentHealth) | undefined;
    if (config.simulator.enabled) {
      // loaded only with the simulator on: a deployment never loads sim/
      const [{ startSimulatedNetworkInWorker }, { withSnmpPorts }] = await Promise.all([import('../../sim/network-in-worker.js'), import('../../sim/port-view.js')]);
      const mqttSection = sections['mqtt'] as { topicPrefix: string; protocolVersion: 4 | 5; username?: string; password?: string };
      // A worker of its own: polls measure the network, not the collectors' event loop.
      const network = await startSimulatedNetworkInWorker({
        devices: inventory.current().devices,
        broker: { url: brokerUrl, protocolVersion: broker ? 4 : mqttSection.protocolVersion, topicPrefix: mqttSection.topicPrefix, username: mqttSection.username, password: mqttSection.password },
        snmpBasePort: config.simulator.snmpBasePort,
        ports: 'free',
        seed: config.simulator.seed,
        telemetryIntervalS: config.simulator.telemetryIntervalS,
        faults: config.simulator.faults,
        randomFaultsPerHour: config.simulator.randomFaultsPerHour,
      }, config.log.level);
      closers.push(() => network.close());
      view = withSnmpPorts(view, network.snmpPorts);
      simulator = () => {
        const st = network.stats();
        return { ok: true, detail: `${st.agentsAnswering}/${st.agents} SNMP agents answering, ${st.apsOnline}/${st.aps} APs online, ${st.activeFaults} faults active`, snmpBasePort: network.snmpBasePort, ...st, faults: network.faultHistory() };
      };
    }

    // the instance tag on SNMP points, and the SNMP devices shared with other collector processes
    // when sharding is on (server/collection/cluster-side.ts); leaves after the runner stops
    const cluster = await startClusterSide({ config, brokerUrl, log, snmpIntervalS: (sections['snmp'] as { intervalS: number }).intervalS,
      lastCycle: () => (collectors.find((c) => c.name === 'snmp') as { lastCycle?: CycleReport } | undefined)?.lastCycle });
    closers.push(() => cluster.close());
    const runner = new CollectorRunner({ sink: cluster.sink(pipeline), metrics, log });
    const collectors: Collector[] = [];
    // Stopped before the simulator and the pipeline (closers run in reverse): the last points flush.
    closers.push(() => runner.stop());
    // runs first: with the store down and the spool full, the collectors' last writes must not wait
    closers.push(async () => pipeline.releaseSpoolCap());
    for (const [name, def] of Object.entries(collectorRegistry)) {
      const section = sections[name];
      if ((section as { enabled?: unknown }).enabled === false) continue;
      const collector = await def.create(section, { log, metrics, inventory: name === 'snmp' ? cluster.snmpView(view) : view, dataDir: config.dataDir, intervalSOf });
      runner.add(collector);
      collectors.push(collector);
    }
    await runner.start();
    const brokerSys = brokerSysOf(collectors);
    const brokerProbe = brokerHealth({ ...(broker ? { embedded: broker } : {}), ...(config.mqtt.url !== undefined ? { url: config.mqtt.url } : {}), sys: () => brokerSys?.() });

    let closing: Promise<void> | undefined;
    return {
      brokerUrl,
      cluster,
      snapshot: async (where) => {
        const ms = (ns: number): number => Math.round(ns / 1e5) / 10;
        return {
          where,
          // lost points, the store's refusal cause, a full spool or disk, the dead-letter count
          pipeline: await pipeline.health(),
          broker: await brokerProbe(),
          collectors: collectorHealth(collectors, broker?.url),
          ...(simulator ? { simulator: simulator() } : {}),
          cycles: runner.cycleStats(),
          eventLoopDelayMs: { p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max) },
        };
      },
      close: () => (closing ??= closeAll()),
    };
  } catch (err) {
    await closeAll();
    throw err;
  }
}
