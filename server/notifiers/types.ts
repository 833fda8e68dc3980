/** What notifiers deliver: alert events and report announcements, each with a stable id. */
import type { AlertEvent } from '../alerts/types.js';

export interface ReportEvent {
  /** `report:<report name>`: one announcement per generated report */
  id: string;
  kind: 'report';
  at: number;
  report: { name: string; type: 'weekly-sla' | 'quarterly-desi'; period: string; from: string; to: string; files: string[]; summary: string };
}

export type NotificationEvent = AlertEvent | ReportEvent;

export interface DeliveryResult {
  ok: boolean;
  /** HTTP status or process exit code */
  status?: number;
  error?: string;
}

/** One destination. `send` resolves (never rejects) with the outcome of one attempt. */
export interface Notifier {
  readonly name: string;
  send(event: NotificationEvent): Promise<DeliveryResult>;
}
