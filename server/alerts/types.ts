/** Alerts and the events they produce (fired, resolved): the payload every notifier sends. */

/** Every rule type an alert can come from (README's alerts section documents each one). */
export const ALERT_RULES = ['device_down', 'area_down', 'collector_down', 'device_unreadable', 'area_uptime', 'threshold', 'health', 'broker_dropping'] as const;
export type AlertRule = (typeof ALERT_RULES)[number];

/**
 * What a device or collector went into when the condition of its alert ended: `up` (evidence of
 * life), one of the unknown reasons of server/status (the run of down time ended because we
 * stopped knowing, not because the device came back), `readable` (an unreadable device answered
 * with a reading again), `alive` (a collector heartbeat again) or `removed` (no longer in the
 * inventory).
 */
export type EndedAs = 'up' | 'unknown: stale' | 'unknown: collector-down' | 'unknown: maintenance' | 'unknown: unreadable' | 'readable' | 'alive' | 'removed';

export interface Alert {
  /** stable: rule, subject and start; the id of its events derive from it */
  id: string;
  rule: AlertRule;
  /** device id, area id, collector name, `<rule name>:<device>` or component name */
  subject: string;
  severity: 'critical' | 'warning';
  summary: string;
  /** epoch ms the condition began (the start of the incident for device_down) */
  startedAt: number;
  /** epoch ms the alert was raised (after debounce) */
  firedAt: number;
  resolvedAt: number | null;
  /** device_down, collector_down, device_unreadable: when the condition itself ended (resolvedAt adds clearMs and the evaluation tick) */
  endedAt?: number;
  /** … and what the subject went into then */
  endedAs?: EndedAs;
  area?: string;
  /** area_down: the devices down in the area */
  devices?: string[];
  /** device_down: the link changed state repeatedly within the episode */
  flapping?: boolean;
  /** device_unreadable: why the device cannot be read, as its collector said */
  reason?: string;
  /** area_down: devices down; collector_down: devices it watches; threshold, area_uptime: the reading */
  value?: number;
}

export interface AlertEvent {
  /** `<alert id>:fired` or `<alert id>:resolved`: the idempotency key receivers dedupe on */
  id: string;
  kind: 'fired' | 'resolved';
  at: number;
  alert: Alert;
}

export function eventOf(kind: AlertEvent['kind'], alert: Alert, at: number): AlertEvent {
  return { id: `${alert.id}:${kind}`, kind, at, alert: { ...alert, ...(alert.devices ? { devices: [...alert.devices] } : {}) } };
}
