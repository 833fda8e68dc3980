/**
 * The demo's inventory view for the collectors: the same devices, with each simulated fibre
 * node's SNMP port replaced by the port its agent actually took (the simulator moves its block of
 * ports when the inventory's are busy, e.g. when a second demo runs on the same machine).
 */
import type { InventoryView } from '../core/inventory-view.js';
import type { Device } from '../core/device.js';

export function withSnmpPorts(view: InventoryView, ports: ReadonlyMap<string, number>): InventoryView {
  // Cached per Device object: the inventory swaps whole snapshots on reload, so a new object
  // means a new version of the device.
  const cache = new WeakMap<Device, Device>();
  const map = (d: Device | undefined): Device | undefined => {
    if (!d?.snmp) return d;
    const port = ports.get(d.id);
    if (port === undefined || port === d.snmp.port) return d;
    let out = cache.get(d);
    if (!out) {
      out = { ...d, snmp: { ...d.snmp, host: '127.0.0.1', port } };
      cache.set(d, out);
    }
    return out;
  };
  return {
    all: () => view.all().map((d) => map(d)!),
    byId: (id) => map(view.byId(id)),
    byMqttId: (id) => map(view.byMqttId(id)),
  };
}
