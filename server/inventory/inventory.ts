/**
 * A validated, located inventory: devices (with derived areas) and areas, immutable. The watcher
 * swaps whole snapshots, so a reader never sees a half-reloaded inventory.
 */
import type { InventoryView } from '../../core/inventory-view.js';
import type { Device } from '../../core/device.js';
import type { Area, AreaSet } from './areas.js';
import type { DeviceInput } from './devices-schema.js';
import { locateDevices } from './locate.js';
import type { HouseholdDensity } from './population-grid.js';

export class Inventory implements InventoryView {
  readonly devices: readonly Device[];
  readonly areas: readonly Area[];
  /** ids of devices outside every area */
  readonly outside: readonly string[];
  readonly householdsEstimated: boolean;
  readonly avgHouseholdSize: number;
  /** the population grid (config inventory.populationGrid), or undefined: households spread evenly */
  readonly density: HouseholdDensity | undefined;
  private readonly ids: ReadonlyMap<string, Device>;
  private readonly mqttIds: ReadonlyMap<string, Device>;
  private readonly areaIds: ReadonlyMap<string, Area>;

  constructor(devices: readonly DeviceInput[], areaSet: AreaSet, density?: HouseholdDensity) {
    this.density = density;
    const located = locateDevices(devices, areaSet.areas);
    this.devices = Object.freeze(located.devices);
    this.outside = Object.freeze(located.outside);
    this.areas = Object.freeze([...areaSet.areas]);
    this.householdsEstimated = areaSet.householdsEstimated;
    this.avgHouseholdSize = areaSet.avgHouseholdSize;
    this.ids = new Map(this.devices.map((d) => [d.id, d]));
    this.mqttIds = new Map(this.devices.filter((d) => d.tech === 'wifi').map((d) => [d.mqttId ?? d.id, d]));
    this.areaIds = new Map(this.areas.map((a) => [a.id, a]));
  }

  all(): readonly Device[] { return this.devices; }
  byId(id: string): Device | undefined { return this.ids.get(id); }
  byMqttId(mqttId: string): Device | undefined { return this.mqttIds.get(mqttId); }
  area(id: string): Area | undefined { return this.areaIds.get(id); }
}
