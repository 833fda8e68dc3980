/**
 * Webhook bodies: netatlas JSON (the event itself), or a Slack / Microsoft Teams incoming-webhook
 * body (Slack `text`; Teams MessageCard) carrying the same facts as a readable line, plus the
 * event id so a human can match messages.
 */
import { createHmac } from 'node:crypto';
import type { NotificationEvent } from './types.js';

export function eventLine(e: NotificationEvent): string {
  if (e.kind === 'report') return `Report ${e.report.name}: ${e.report.summary}`;
  const a = e.alert;
  if (e.kind === 'resolved') return `RESOLVED ${a.summary} (down ${Math.round(((a.resolvedAt ?? e.at) - a.startedAt) / 1000)} s)`;
  return `ALERT ${a.summary}`;
}

export function webhookBody(e: NotificationEvent, format: 'json' | 'slack' | 'teams'): string {
  if (format === 'slack') return JSON.stringify({ text: `${eventLine(e)} [${e.id}]` });
  if (format === 'teams') {
    const colour = e.kind === 'fired' ? 'D13438' : e.kind === 'resolved' ? '2EB886' : '0078D7';
    return JSON.stringify({ '@type': 'MessageCard', '@context': 'https://schema.org/extensions', summary: eventLine(e), themeColor: colour, title: 'netatlas', text: `${eventLine(e)} [${e.id}]` });
  }
  return JSON.stringify(e);
}

/** `sha256=<hex>` of HMAC-SHA256(secret, body): what the receiver recomputes over the raw body. */
export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}
