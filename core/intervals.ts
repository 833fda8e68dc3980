/**
 * The collectors' configured intervals, as data, and the shape of the rule that turns them into a
 * device's effective interval. The rule itself (which interval applies to which device) is
 * server/status/intervals.ts's `intervalSOf`: the composition root hands it to the collectors in
 * their context, so that the SNMP schedule and the MQTT down restatements use the very interval
 * that "up holds 2.5 intervals" is measured in, without the collectors importing server/status.
 */
import type { Device } from './device.js';

export interface DefaultIntervals {
  /** the SNMP collector's poll interval (collectors.snmp.intervalS), seconds */
  fibreS: number;
  /** the APs' telemetry interval (collectors.mqtt.expectedIntervalS), seconds */
  wifiS: number;
  /** the SNMP group interval of a device (collectors.snmp.groups[].intervalS), when its group sets one */
  snmpGroupS?: ((device: Device) => number | undefined) | undefined;
}

/** A device's effective interval in seconds under the given defaults (server/status decides it). */
export type EffectiveIntervalOf = (device: Device, intervals: DefaultIntervals) => number;
