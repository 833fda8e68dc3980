/**
 * How the SNMP collector is sharded without knowing it: it reads its devices from an inventory
 * view each cycle, and writes its points to a sink. The sharded view lists only the SNMP devices
 * this member owns in the current cycle (devices without an `snmp` block pass through: they are
 * the MQTT collector's); the tagging sink adds the polling instance to every SNMP point.
 */
import type { Point } from '../../core/point.js';
import type { InventoryView } from '../../core/inventory-view.js';
import type { Sink } from '../types.js';

export interface Owner {
  /** the live members of the cycle that starts at `cycleStart` */
  liveAt(cycleStart: number): string[];
  owns(device: string, cycleStart: number, live?: readonly string[]): boolean;
}

/** The view of `view` a sharded SNMP collector polls: its own SNMP devices at the time of the call. */
export function shardedView(view: InventoryView, owner: Owner, now: () => number = Date.now): InventoryView & { ownedCount(): number } {
  let owned = 0;
  return {
    all: () => {
      const t = now();
      const live = owner.liveAt(t);
      const out = view.all().filter((d) => d.snmp === undefined || owner.owns(d.id, t, live));
      owned = out.filter((d) => d.snmp !== undefined).length;
      return out;
    },
    byId: (id) => view.byId(id),
    byMqttId: (id) => view.byMqttId(id),
    ownedCount: () => owned,
  };
}

/** measurements the SNMP collector writes (collector_status carries its instance already) */
const POLLED = new Set(['snmp', 'interface', 'optical']);

function isPolled(p: Point): boolean {
  return POLLED.has(p.measurement) || (p.measurement === 'device_status' && p.tags['source'] === 'snmp');
}

/**
 * A sink that tags every SNMP point with `instance=<instance>` (unless it has one): which
 * collector process polled it. The status owner reads the tag of device_status samples to find a
 * device's assigned collector instance (server/status/collector-liveness.ts).
 */
export function instanceTagging(sink: Sink, instance: string): Sink {
  return {
    write: (points, options) => sink.write(points.map((p) => (isPolled(p) && p.tags['instance'] === undefined ? { ...p, tags: { ...p.tags, instance } } : p)), options),
  };
}
