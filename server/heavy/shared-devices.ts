/**
 * A heavy task's devices, without copying them to the worker on every request. Posting a task
 * clones what it carries on the sending thread: 100 000 inventory devices cost about 110 ms of
 * the API thread per heavy request (measured with postMessage on this machine), the very thread
 * the pool exists to keep free. So the inventory's devices are serialized once per inventory
 * (v8.serialize, the structured clone postMessage itself uses) into a SharedArrayBuffer, which
 * crosses to a worker by reference; a task names its devices by their index in it, and each
 * worker deserializes an inventory once. A device list that is not made of the current
 * inventory's own objects (a what-if's proposed devices, a test's list) is posted whole, as before.
 */
import v8 from 'node:v8';
import type { Device } from '../../core/device.js';

/** one inventory's devices, serialized */
export interface SharedInventory {
  /** unique in this process: workers cache the deserialized devices under it */
  id: number;
  buffer: SharedArrayBuffer;
}

/** how a task carries its devices */
export type DeviceRef = { devices: readonly Device[] } | { shared: SharedInventory; indices: Int32Array };

let nextId = 1;

/** The API side: turns a route's device list into a DeviceRef. */
export class DeviceSharer {
  private current: { source: readonly Device[]; index: Map<Device, number>; shared: SharedInventory } | undefined;

  /** `inventory` gives the current inventory's devices (the same array until the inventory changes) */
  constructor(private readonly inventory: () => readonly Device[]) {}

  /**
   * Serializes the current inventory's devices unless that is done already (about 0.3 s at 100 000
   * devices): the service calls it at start and on every inventory change, so that no request
   * pays for it; ref() calls it too, for an inventory it was not told of.
   */
  prepare(): NonNullable<DeviceSharer['current']> {
    const source = this.inventory();
    if (this.current?.source !== source) {
      const bytes = v8.serialize(source);
      const buffer = new SharedArrayBuffer(bytes.length);
      new Uint8Array(buffer).set(bytes);
      this.current = { source, index: new Map(source.map((d, i) => [d, i])), shared: { id: nextId++, buffer } };
    }
    return this.current;
  }

  ref(devices: readonly Device[]): DeviceRef {
    const current = this.prepare();
    const indices = new Int32Array(devices.length);
    for (let i = 0; i < devices.length; i++) {
      const at = current.index.get(devices[i]!);
      if (at === undefined) return { devices };
      indices[i] = at;
    }
    return { shared: current.shared, indices };
  }
}

/** the worker side's last inventory (one at a time: an inventory change replaces it) */
let cached: { id: number; devices: readonly Device[] } | undefined;

/** The devices a DeviceRef names. */
export function devicesOf(ref: DeviceRef): readonly Device[] {
  if ('devices' in ref) return ref.devices;
  if (cached?.id !== ref.shared.id) {
    cached = { id: ref.shared.id, devices: v8.deserialize(Buffer.from(ref.shared.buffer)) as Device[] };
  }
  const all = cached.devices;
  const out = new Array<Device>(ref.indices.length);
  for (let i = 0; i < ref.indices.length; i++) out[i] = all[ref.indices[i]!]!;
  return out;
}
