/**
 * The semantics of device state (DESIGN.md "Definitions"), as constants. Every rule that decides
 * up, down or unknown is here or in the modules beside this one; nothing outside server/status/
 * may restate them.
 *
 * - **up** is evidence of life. It holds for UP_HOLD_FACTOR (2.5) effective intervals after the
 *   last evidence, or until the next evidence, whichever comes first.
 * - **down** is asserted (no SNMP answer, a failing status interface, an AP's `offline`). It holds
 *   until the device says otherwise, as long as the collector watching it is alive. A collector
 *   that watches restates a held down state every effective interval (SNMP by polling, MQTT by a
 *   restatement timer), so a down state that has not been restated for DOWN_HOLD_FACTOR intervals
 *   means the collector stopped watching: the state ends there. The collector's heartbeats
 *   normally end it sooner (see collector-liveness.ts).
 * - **unreadable** (a device that answers but that we cannot read: wrong credentials, a MIB view
 *   that hides the tables) is unknown time with its reason, never down. It is restated like down.
 * - **unknown** is everything else: no evidence, stale evidence, the collector down.
 */

/** up holds this many effective intervals after the last evidence of life */
export const UP_HOLD_FACTOR = 2.5;

/**
 * down and unreadable hold until the next evidence; a collector restates them every interval, so
 * this many intervals without a restatement means nobody is watching any more.
 */
export const DOWN_HOLD_FACTOR = 2.5;

/** a collector heartbeat keeps its collector alive this many heartbeat periods */
export const HEARTBEAT_HOLD_FACTOR = 2;

/** what one device_status sample says */
export type Evidence = 'up' | 'down' | 'unreadable';

/** the three states of a device at an instant, as every consumer reports them */
export type DeviceStatus = 'up' | 'down' | 'unknown';

/** why a device is unknown at an instant */
export type UnknownReason = 'no-evidence' | 'stale' | 'collector-down' | 'unreadable';

/** the minimum a timeline needs of a device_status sample */
export interface EvidenceSample {
  time: number;
  up: boolean;
  /** the device answered but could not be read: unknown, not down */
  unreadable?: boolean;
  reason?: string;
}

export function evidenceOf(s: Pick<EvidenceSample, 'up' | 'unreadable'>): Evidence {
  if (s.unreadable) return 'unreadable';
  return s.up ? 'up' : 'down';
}

/** how long a sample's state may hold without fresher evidence, in ms */
export function holdMs(evidence: Evidence, intervalMs: number): number {
  return (evidence === 'up' ? UP_HOLD_FACTOR : DOWN_HOLD_FACTOR) * intervalMs;
}

/**
 * How far before a window the reader must look for collector heartbeats and device samples: the
 * longest a state can hold, plus a heartbeat's hold.
 */
export function lookbackMs(maxIntervalMs: number, maxHeartbeatMs: number): number {
  return Math.max(UP_HOLD_FACTOR, DOWN_HOLD_FACTOR) * maxIntervalMs + HEARTBEAT_HOLD_FACTOR * maxHeartbeatMs;
}

/**
 * the longest heartbeat period a collector may be configured with (seconds): a contract between
 * the collectors' config and this reader's lookback, so it lives in core/ beside the
 * collector_status point, and is part of this module's vocabulary
 */
export { MAX_HEARTBEAT_S } from '../../core/status-points.js';
