/** Alerts and the events they produce (fired, resolved): the payload every notifier sends. */
export type AlertRule = 'device_down' | 'area_down' | 'area_uptime' | 'threshold' | 'health';

export interface Alert {
  /** stable: rule, subject and start; the id of its events derive from it */
  id: string;
  rule: AlertRule;
  /** device id, area id, `<rule name>:<device>` or component name */
  subject: string;
  severity: 'critical' | 'warning';
  summary: string;
  /** epoch ms the condition began (first down sample for device_down) */
  startedAt: number;
  /** epoch ms the alert was raised (after debounce) */
  firedAt: number;
  resolvedAt: number | null;
  area?: string;
  /** area_down: the devices down in the area */
  devices?: string[];
  /** device_down: the link changed state repeatedly within the episode */
  flapping?: boolean;
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
