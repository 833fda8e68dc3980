/**
 * The cluster parts of a collection side (collection-side.ts): this process's
 * collector instance id, the membership on the broker when sharding is on, the SNMP collector's
 * sharded inventory view, and the sink that tags every SNMP point with the instance that polled it
 * (always, sharded or not: a point says which process polled it).
 */
import type { Config } from '../config.js';
import type { Logger } from '../../core/log.js';
import type { InventoryView } from '../../core/inventory-view.js';
import type { Sink } from '../../collectors/types.js';
import { ClusterMembership, type Member } from '../../collectors/cluster/membership.js';
import { instanceTagging, shardedView } from '../../collectors/cluster/shard.js';
import { defaultClientId } from '../../collectors/mqtt/config.js';
import { shardingOn } from '../config-cluster.js';

/** what the SNMP collector says of its last cycle (collectors/snmp/collector.ts CycleSummary) */
export interface CycleReport { devices: number; up: number; down: number; unreadable: number; notRun: number; durationMs: number }

export interface ClusterSide {
  /** this process's collector instance: the `instance` tag of its points and heartbeats */
  readonly instance: string;
  /** the membership, when sharding is on */
  readonly membership: ClusterMembership | undefined;
  /** the SNMP collector's inventory view (its share of the SNMP devices when sharding is on) */
  snmpView(view: InventoryView): InventoryView;
  /** the collectors' sink, tagging SNMP points with the instance */
  sink(sink: Sink): Sink;
  /** this member's figures, as its presence and /api/health show them */
  report(): MemberReport;
  close(): Promise<void>;
}

export interface MemberReport {
  /** SNMP devices this member polls (in its latest cycle) */
  devices: number;
  /** when its latest cycle started (epoch ms), null before the first */
  lastCycleAt: number | null;
  lastCycle: CycleReport | null;
}

export interface ClusterSideOptions {
  config: Config;
  brokerUrl: string;
  snmpIntervalS: number;
  /** the SNMP collector's last completed cycle, once it exists */
  lastCycle: () => CycleReport | undefined;
  log: Logger;
}

export async function startClusterSide(opts: ClusterSideOptions): Promise<ClusterSide> {
  const instance = defaultClientId(opts.config.dataDir);
  let lastCycleAt: number | null = null;
  let owned: (() => number) | undefined;
  const report = (): MemberReport => ({ devices: owned?.() ?? 0, lastCycleAt, lastCycle: opts.lastCycle() ?? null });
  let membership: ClusterMembership | undefined;
  if (shardingOn(opts.config)) {
    membership = new ClusterMembership({
      url: opts.brokerUrl, instance, topicPrefix: opts.config.mqtt.topicPrefix, intervalS: opts.snmpIntervalS,
      keepaliveS: opts.config.cluster.keepaliveS, username: opts.config.mqtt.username, password: opts.config.mqtt.password,
      log: opts.log, report: () => ({ ...report() }),
    });
    await membership.start();
  }
  return {
    instance,
    membership,
    snmpView: (view) => {
      // the SNMP collector reads its view once at each cycle's start: that is the cycle's time
      const timed: InventoryView = { ...view, all: () => { lastCycleAt = Date.now(); return view.all(); }, byId: (id) => view.byId(id), byMqttId: (id) => view.byMqttId(id) };
      if (!membership) {
        owned = () => view.all().filter((d) => d.snmp !== undefined).length;
        return timed;
      }
      const sharded = shardedView(timed, membership);
      owned = () => sharded.ownedCount();
      return sharded;
    },
    sink: (sink) => instanceTagging(sink, instance),
    report,
    close: async () => { await membership?.stop(); },
  };
}

/** A member as /api/health lists it: its devices, last cycle and how late its next cycle is. */
export function memberHealth(m: Member, now: number): Record<string, unknown> {
  const r = m.report as Partial<MemberReport>;
  const at = typeof r.lastCycleAt === 'number' ? r.lastCycleAt : null;
  return {
    instance: m.instance,
    devices: typeof r.devices === 'number' ? r.devices : 0,
    lastCycleAt: at === null ? null : new Date(at).toISOString(),
    lastCycle: r.lastCycle ?? null,
    // 0 while cycles start on time; how far behind its schedule the member is otherwise
    lagMs: at === null ? null : Math.max(0, now - at - m.intervalS * 1000),
    pollingFrom: new Date(m.fromMs).toISOString(),
    presenceAgeMs: Math.max(0, now - m.at),
  };
}
