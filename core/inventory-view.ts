/**
 * What a collector (or the simulator) may know of the inventory. It is a live view: the inventory
 * reloads when its file changes, so users look devices up at use time instead of copying the list
 * at start. server/inventory/ implements it; collectors and sim only read it.
 */
import type { Device } from './device.js';

export interface InventoryView {
  all(): readonly Device[];
  byId(id: string): Device | undefined;
  /** the device whose MQTT id (default: its id) is `mqttId` */
  byMqttId(mqttId: string): Device | undefined;
}
