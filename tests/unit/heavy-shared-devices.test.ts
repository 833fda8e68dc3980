/**
 * server/heavy/shared-devices.ts: a heavy task names the inventory's devices by index into a
 * shared serialized copy (made once per inventory), and carries any other list whole.
 */
import { describe, expect, it } from 'vitest';
import type { Device } from '../../core/device.js';
import { DeviceSharer, devicesOf } from '../../server/heavy/shared-devices.js';

const dev = (id: string, extra: Partial<Device> = {}): Device => ({ id, tech: 'fibre', site: 's', area: 'a', location: { lat: 50.8, lon: 4.3 }, ...extra });

describe('DeviceSharer and devicesOf', () => {
  it('names the inventory\'s own devices by index, and they come back equal, in the asked order', () => {
    let inventory: readonly Device[] = [dev('f1', { householdsPassed: 120 }), dev('f2'), dev('w1', { tech: 'wifi' })];
    const sharer = new DeviceSharer(() => inventory);
    const asked = [inventory[2]!, inventory[0]!];
    const ref = sharer.ref(asked);
    expect('shared' in ref && [...ref.indices]).toEqual([2, 0]);
    expect(devicesOf(ref)).toEqual(asked);
    // the same inventory: the same shared copy, not a new one
    const again = sharer.ref(inventory);
    expect('shared' in again && 'shared' in ref && again.shared).toBe('shared' in ref ? ref.shared : undefined);
    // a new inventory (f2 removed): a new copy, and indices into it
    inventory = [inventory[0]!, dev('w2', { tech: 'wifi' })];
    const changed = sharer.ref([inventory[1]!]);
    expect('shared' in changed && 'shared' in ref && changed.shared.id !== ref.shared.id).toBe(true);
    expect(devicesOf(changed)).toEqual([dev('w2', { tech: 'wifi' })]);
  });

  it('carries a list that is not made of the inventory\'s objects whole (a copy, a proposed device)', () => {
    const inventory = [dev('f1'), dev('f2')];
    const sharer = new DeviceSharer(() => inventory);
    const copies = [{ ...inventory[0]! }];
    const ref = sharer.ref(copies);
    expect(ref).toEqual({ devices: copies });
    expect(devicesOf(ref)).toBe(copies);
    const mixed = [inventory[1]!, dev('proposed-1')];
    expect('devices' in sharer.ref(mixed)).toBe(true);
  });

  it('prepare() makes the copy of the current inventory once, and ref() then uses it', () => {
    let inventory: readonly Device[] = [dev('f1'), dev('f2')];
    const sharer = new DeviceSharer(() => inventory);
    const made = sharer.prepare();
    expect(sharer.prepare()).toBe(made);
    const ref = sharer.ref([inventory[1]!]);
    expect('shared' in ref && ref.shared).toBe(made.shared);
    inventory = [dev('f3')];
    const next = sharer.prepare();
    expect(next.shared.id).not.toBe(made.shared.id);
    expect(devicesOf({ shared: next.shared, indices: Int32Array.of(0) })).toEqual([dev('f3')]);
  });
});
