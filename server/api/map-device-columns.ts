/**
 * The writer of GET /api/map/devices/columns (MAP_DEVICE_COLUMNS): every column but the statuses
 * is the inventory's, so it is serialized once per inventory snapshot, and a body is that text and
 * one small integer per device. Kept and shared between requests by MapDevicesBodies, as the
 * GeoJSON body is (map-devices-body.ts); it reads no uptimes, so a rebuild reads only the states.
 */
import type { Device } from '../../core/device.js';
import type { Inventory } from '../inventory/inventory.js';
import type { DeviceState } from '../status/index.js';
import { MAP_STATUSES, MAP_TECHS, type DeviceStateJson } from './body-schemas.js';
import type { MapBodyWriter } from './map-devices-body.js';

const STATUS_CODE: Readonly<Record<DeviceStateJson['status'], number>> = Object.fromEntries(MAP_STATUSES.map((s, i) => [s, i])) as Record<DeviceStateJson['status'], number>;
const TECH_CODE: Readonly<Record<Device['tech'], number>> = Object.fromEntries(MAP_TECHS.map((t, i) => [t, i])) as Record<Device['tech'], number>;

/** `"key":[…],` of one column, each value as JSON.stringify writes it (undefined as null) */
function column(key: string, devices: readonly Device[], value: (d: Device) => unknown): string {
  return `${JSON.stringify(key)}:${JSON.stringify(devices.map((d) => value(d) ?? null))},`;
}

/** the body's text before the status codes: the dictionaries and the inventory's columns */
function inventoryColumns(devices: readonly Device[]): string {
  return `{"count":${devices.length},"statuses":${JSON.stringify(MAP_STATUSES)},"techs":${JSON.stringify(MAP_TECHS)},`
    + column('id', devices, (d) => d.id)
    + column('lon', devices, (d) => d.location.lon)
    + column('lat', devices, (d) => d.location.lat)
    + column('tech', devices, (d) => TECH_CODE[d.tech])
    + column('householdsPassed', devices, (d) => d.householdsPassed)
    + column('radiusM', devices, (d) => d.radiusM)
    + '"status":[';
}

/** The columns of /api/map/devices/columns; `stateJson` is the one the GeoJSON body uses, so both say the same status. */
export function columnsWriter(stateJson: (s: DeviceState | undefined) => DeviceStateJson): MapBodyWriter {
  let prefix = new WeakMap<Inventory, string>();
  return {
    name: 'columns',
    withUptimes: false,
    write(inventory, devices, states) {
      let head = prefix.get(inventory);
      if (head === undefined) { head = inventoryColumns(devices); prefix = new WeakMap([[inventory, head]]); }
      const codes = new Array<number>(devices.length);
      for (let i = 0; i < devices.length; i++) codes[i] = STATUS_CODE[stateJson(states.get(devices[i]!.id)).status];
      return `${head}${codes.join(',')}]}`;
    },
  };
}
